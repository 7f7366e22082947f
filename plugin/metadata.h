#pragma once

// The JSON the docker CLI reads from `docker-sandbox docker-cli-plugin-metadata`. A constant: the
// CLI runs the probe before every plugin call, so answering it must touch nothing.

#define SANDBOX_SHORT_DESCRIPTION "Run untrusted code in a locked-down container"

namespace sandbox::cli {

inline constexpr char k_short_description[] = SANDBOX_SHORT_DESCRIPTION;

inline constexpr char k_plugin_metadata[] =
  R"({"SchemaVersion":"0.1.0","Vendor":"docker-sandbox","Version":")" SANDBOX_VERSION
  R"(","ShortDescription":")" SANDBOX_SHORT_DESCRIPTION
  R"(","URL":"https://github.com/docker-sandbox/docker-sandbox"})"
  "\n";

} // namespace sandbox::cli
