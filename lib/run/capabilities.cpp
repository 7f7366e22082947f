#include "run/capabilities.h"

#include "util/error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace sandbox::run {

std::string normalise_capability(const std::string& name)
{
  std::string upper;
  for (char c : name) {
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (upper.empty() || upper.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != std::string::npos) {
    throw UsageError("invalid --cap-add \"" + name + "\": expected a capability name such as NET_BIND_SERVICE");
  }
  if (upper == "ALL") {
    return upper;
  }
  return upper.rfind("CAP_", 0) == 0 ? upper : "CAP_" + upper;
}

bool is_dangerous_capability(const std::string& normalised)
{
  static constexpr std::array<std::string_view, 14> k_dangerous{
    "CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_PTRACE", "CAP_SYS_RAWIO", "CAP_DAC_READ_SEARCH", "CAP_NET_ADMIN",
    "CAP_BPF", "CAP_PERFMON", "CAP_SYS_BOOT", "CAP_SYS_TIME", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_SYSLOG", "ALL"};
  return std::find(k_dangerous.begin(), k_dangerous.end(), normalised) != k_dangerous.end();
}

} // namespace sandbox::run
