#pragma once

// Managed networks: the internal network of a `run --allow-host`, labelled like everything a run
// makes. Prune removes those of runs whose plugin is gone.

#include "engine/engine_client.h"
#include "managed/owner.h"
#include "plan/plan.h"

#include <optional>
#include <string>
#include <vector>

namespace sandbox::managed {

struct ManagedNetwork
{
  std::string id;
  std::string name;
  std::string tenant;
  std::string owner; // "<host>:<pid>" of the plugin that made it
};

// Networks labelled docker-sandbox.managed=true, optionally only a tenant's.
std::vector<ManagedNetwork> list_managed_networks(engine::EngineClient& client, const std::optional<std::string>& tenant);

// Those whose plugin is gone: its run was killed before it could remove them.
std::vector<ManagedNetwork> select_orphan_networks(const std::vector<ManagedNetwork>& networks, const OwnerAlive& alive);

// DELETE /networks/{id} for each: 404 (already gone) accepted, and 403, a network still in use (by
// a sandbox kept with --keep), which stays until that sandbox goes.
std::vector<plan::Step> remove_network_steps(const std::vector<ManagedNetwork>& networks);

} // namespace sandbox::managed
