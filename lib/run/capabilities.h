#pragma once

// Linux capability names as `--cap-add` and a profile's `cap_add` take them, and the ones that
// hand the sandboxed code the host on most engines.

#include <string>

namespace sandbox::run {

// "net_bind_service" -> "CAP_NET_BIND_SERVICE"; "ALL" stays "ALL". Throws UsageError for a name
// that is not letters and underscores.
std::string normalise_capability(const std::string& name);

// True for a normalised name that breaks the sandbox on an engine without AppArmor or SELinux
// (SYS_ADMIN: cgroup release_agent and mounts; SYS_MODULE: kernel modules; SYS_PTRACE,
// SYS_RAWIO, DAC_READ_SEARCH: open_by_handle_at; NET_ADMIN, BPF, PERFMON; ALL).
bool is_dangerous_capability(const std::string& normalised);

} // namespace sandbox::run
