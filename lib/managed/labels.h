#pragma once

// The labels that mark what docker-sandbox made, and the label filters that find it again.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::managed {

// Label keys every object we create carries.
inline constexpr std::string_view k_label_managed = "docker-sandbox.managed";
inline constexpr std::string_view k_label_run = "docker-sandbox.run";
inline constexpr std::string_view k_label_tenant = "docker-sandbox.tenant";
inline constexpr std::string_view k_label_created = "docker-sandbox.created";
// "<hostname>:<pid>" of the plugin process that owns the object; prune treats a running object
// whose owner process is gone from this host as an orphan.
inline constexpr std::string_view k_label_owner = "docker-sandbox.owner";
// "true" on a run's volume kept with --keep-volumes (or --keep): prune leaves it to the user.
inline constexpr std::string_view k_label_kept = "docker-sandbox.kept";
// What a container is for when it is not a sandbox: "volume-transfer" on the helper.
inline constexpr std::string_view k_label_role = "docker-sandbox.role";
// "run" on a sandbox that ends with its command, "detached" on one that outlives the plugin (run -d,
// create). Every sandbox create sets it, so that an image's own label cannot make a run look detached.
inline constexpr std::string_view k_label_lifetime = "docker-sandbox.lifetime";
// A detached sandbox's deadline, unix seconds ("never" for --ttl 0), and its --idle-timeout in
// seconds ("0": none); set at create, read by ls, prune and every invocation (managed/lifetime.h).
inline constexpr std::string_view k_label_expires = "docker-sandbox.expires";
inline constexpr std::string_view k_label_idle_timeout = "docker-sandbox.idle-timeout";
// Marks one creation of a volume, so that a creator can tell its volume from one of the same name.
inline constexpr std::string_view k_label_creator = "docker-sandbox.creator";

// The `filters` query value of a list request: objects carrying every KEY=VALUE of `labels`,
// and with `dangling` only the volumes no container uses (true) or the used ones (false).
std::string label_filters(const std::vector<std::string>& labels, std::optional<bool> dangling = std::nullopt);

} // namespace sandbox::managed
