#include "metadata.h"

namespace sandbox::cli {

std::string plugin_metadata()
{
  return std::string(R"({"SchemaVersion":"0.1.0","Vendor":"docker-sandbox","Version":")") + SANDBOX_VERSION
         + R"(","ShortDescription":")" + std::string(k_short_description)
         + R"(","URL":"https://github.com/docker-sandbox/docker-sandbox"})";
}

} // namespace sandbox::cli
