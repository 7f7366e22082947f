#include "run/capabilities.h"

#include "util/error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace sandbox::run {

namespace {

struct Capability
{
  std::string_view name; // without CAP_; the index in k_capabilities is its bit
  bool dangerous;        // see is_dangerous_capability
};

constexpr std::array<Capability, 41> k_capabilities{{
  {"CHOWN", false}, {"DAC_OVERRIDE", false}, {"DAC_READ_SEARCH", true}, {"FOWNER", false}, {"FSETID", false},
  {"KILL", false}, {"SETGID", false}, {"SETUID", false}, {"SETPCAP", false}, {"LINUX_IMMUTABLE", false},
  {"NET_BIND_SERVICE", false}, {"NET_BROADCAST", false}, {"NET_ADMIN", true}, {"NET_RAW", false},
  {"IPC_LOCK", false}, {"IPC_OWNER", false}, {"SYS_MODULE", true}, {"SYS_RAWIO", true}, {"SYS_CHROOT", false},
  {"SYS_PTRACE", true}, {"SYS_PACCT", false}, {"SYS_ADMIN", true}, {"SYS_BOOT", true}, {"SYS_NICE", false},
  {"SYS_RESOURCE", false}, {"SYS_TIME", true}, {"SYS_TTY_CONFIG", false}, {"MKNOD", false}, {"LEASE", false},
  {"AUDIT_WRITE", false}, {"AUDIT_CONTROL", false}, {"SETFCAP", false}, {"MAC_OVERRIDE", true},
  {"MAC_ADMIN", true}, {"SYSLOG", true}, {"WAKE_ALARM", false}, {"BLOCK_SUSPEND", false}, {"AUDIT_READ", false},
  {"PERFMON", true}, {"BPF", true}, {"CHECKPOINT_RESTORE", false},
}};

const Capability* find_capability(std::string_view normalised)
{
  std::string_view name = normalised.substr(normalised.rfind("CAP_", 0) == 0 ? 4 : 0);
  for (const Capability& cap : k_capabilities) {
    if (cap.name == name) {
      return &cap;
    }
  }
  return nullptr;
}

} // namespace

std::string normalise_capability(const std::string& name, const std::string& flag)
{
  std::string upper;
  for (char c : name) {
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (upper.empty() || upper.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != std::string::npos) {
    throw UsageError("invalid " + flag + " \"" + name + "\": expected a capability name such as NET_BIND_SERVICE");
  }
  if (upper == "ALL") {
    return upper;
  }
  return upper.rfind("CAP_", 0) == 0 ? upper : "CAP_" + upper;
}

bool is_dangerous_capability(const std::string& normalised)
{
  const Capability* cap = find_capability(normalised);
  return normalised == "ALL" || (cap && cap->dangerous);
}

std::optional<std::string> capability_mask(const std::vector<std::string>& caps)
{
  std::uint64_t mask = 0;
  for (const std::string& name : caps) {
    if (name == "ALL") {
      return std::nullopt;
    }
    if (const Capability* cap = find_capability(name)) {
      mask |= std::uint64_t{1} << (cap - k_capabilities.data());
    }
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(mask));
  return std::string(text);
}

} // namespace sandbox::run
