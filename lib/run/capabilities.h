#pragma once

// Linux capability names as `--cap-add` and a profile's `cap_add` take them, and the ones that
// hand the sandboxed code the host on most engines.

#include <optional>
#include <string>
#include <vector>

namespace sandbox::run {

// "net_bind_service" -> "CAP_NET_BIND_SERVICE"; "ALL" stays "ALL". Throws UsageError naming `flag`
// for a name that is not letters and underscores.
std::string normalise_capability(const std::string& name, const std::string& flag = "--cap-add");

// True for a normalised name that hands the host over, or its integrity, on an engine without
// AppArmor or SELinux: SYS_ADMIN (cgroup release_agent, mounts), SYS_MODULE (kernel modules),
// SYS_RAWIO (raw I/O ports and memory), DAC_READ_SEARCH (open_by_handle_at), SYS_PTRACE, NET_ADMIN,
// BPF and PERFMON (kernel attack surface), SYS_BOOT (kexec), SYS_TIME (the host's clock),
// MAC_ADMIN and MAC_OVERRIDE (the LSM itself), SYSLOG (kernel addresses), and ALL.
bool is_dangerous_capability(const std::string& normalised);

// The capability mask (CapEff in /proc/self/status, 16 hex digits) that holds exactly `caps`
// (normalised names); nullopt for ALL, whose mask depends on the kernel. Unknown names add nothing.
std::optional<std::string> capability_mask(const std::vector<std::string>& caps);

} // namespace sandbox::run
