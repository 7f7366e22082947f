#pragma once

// The lifetime of a detached sandbox (run -d, create): it ends at a deadline that its create
// stores in a label. Its own init stops it then (plugin/sandbox_init); ls shows the time left, and
// every invocation of the plugin and prune remove it once the deadline has passed, whether or not
// its init did its part.

#include "managed/containers.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::managed {

struct Lifetime
{
  std::optional<std::int64_t> deadline; // unix seconds; nullopt: never (--ttl 0)
  std::int64_t idle_seconds = 0;        // --idle-timeout; 0: none
};

// The labels a sandbox's create carries: lifetime, and for a detached one expires and idle-timeout.
std::vector<std::pair<std::string, std::string>> lifetime_labels(const std::optional<Lifetime>& detached);

// A detached sandbox's lifetime, from its labels; nullopt for a run's sandbox.
std::optional<Lifetime> lifetime_of(const ManagedContainer& c);

// Whether `c` is a detached sandbox whose deadline has passed at `now`.
bool expired(const ManagedContainer& c, std::int64_t now);

// For ls: "" for a run's sandbox, "never", "expired", or the time left ("7 hours").
std::string time_left(const ManagedContainer& c, std::int64_t now);

// The `filters` of a list of detached sandboxes alone (what every invocation reads).
std::string detached_filters();

} // namespace sandbox::managed
