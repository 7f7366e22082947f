#pragma once

// Settings docker run has that change nothing of the sandbox's walls: --hostname, --shm-size,
// --ulimit and --platform, parsed and checked as docker checks them.

#include <cstdint>
#include <string>

namespace sandbox::run {

// One --ulimit: NAME=SOFT[:HARD], -1 for unlimited.
struct Ulimit
{
  std::string name;
  std::int64_t soft = 0;
  std::int64_t hard = 0;
};

// Parses "nofile=1024:2048" or "core=0". Throws UsageError for a name setrlimit does not know
// (as, core, cpu, data, fsize, locks, memlock, msgqueue, nofile, nproc, rss, rttime,
// sigpending, stack), for rtprio and nice (they let the sandbox raise its own priority), a value
// that is not a whole number or -1, or soft > hard.
Ulimit parse_ulimit(const std::string& text);

// Throws UsageError unless `name` is a host name: 1 to 63 letters, digits, '-' and '.', not
// starting with '-' or '.'.
void check_hostname(const std::string& name);

// Throws UsageError unless `platform` is OS[/ARCH[/VARIANT]] of letters, digits and '_'.
void check_platform(const std::string& platform);

} // namespace sandbox::run
