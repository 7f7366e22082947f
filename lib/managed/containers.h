#pragma once

// Finding what earlier runs left behind: containers kept with --keep, and orphans of a plugin
// that was killed (SIGKILL) before it could clean up. Only objects carrying our managed label
// are ever considered.

#include "engine/engine_client.h"
#include "managed/owner.h"
#include "plan/plan.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::managed {

struct ManagedContainer
{
  std::string id;
  std::string name;
  std::string image;
  std::string state;   // created, running, exited, dead, ...
  std::string status;  // "Exited (0) 3 minutes ago"
  std::string run_id;
  std::string tenant;
  std::string owner;   // "<host>:<pid>" of the plugin that created it
  std::int64_t created = 0; // unix seconds
  std::string command; // as the engine lists it: "sh -c 'make test'"
  std::vector<std::pair<std::string, std::string>> labels; // every label, in the engine's order
  std::string user; // Config.User (find_managed_container only)
  std::vector<std::string> volumes; // the named volumes it mounts
};

// Every container a create of ours made, in any state: docker-sandbox.managed=true, with owner and
// creation labels that are not inherited from its image (which could forge any label). `filters`
// narrows the list (managed/lifetime.h: the detached ones).
std::vector<ManagedContainer> list_managed_containers(engine::EngineClient& client, const std::string& filters = "");

// The managed container named or identified by `reference`. Throws Error when it does not
// exist or is not ours.
ManagedContainer find_managed_container(engine::EngineClient& client, const std::string& reference);

// What prune removes: containers that are not running, and running or created (not yet started,
// or a volume transfer's helper) ones whose owner process is gone from this host; a detached
// sandbox (managed/lifetime.h) once its deadline has passed, and never before; only those created
// before `now - until` when `until` is set.
std::vector<ManagedContainer> select_prunable(const std::vector<ManagedContainer>& containers, std::int64_t now,
                                              std::optional<std::chrono::milliseconds> until, const OwnerAlive& alive);

// DELETE /containers/{id}?force=1&v=1 for each container.
plan::Plan plan_remove_containers(const std::vector<ManagedContainer>& containers, engine::ApiVersion version);

} // namespace sandbox::managed
