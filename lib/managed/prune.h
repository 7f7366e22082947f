#pragma once

// What `docker sandbox prune` and `volume prune` remove, decided from the engine's lists and
// returned as a plan of removals (the lists are read now; a dry run shows them as lookups).

#include "engine/engine_client.h"
#include "managed/owner.h"
#include "plan/plan.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::managed {

struct PruneScope
{
  std::optional<std::string> tenant;            // only this tenant's objects
  std::optional<std::chrono::milliseconds> until; // only those created before now - until
  std::int64_t now = 0;                          // unix seconds
};

struct Removals
{
  plan::Plan plan;
  std::vector<std::string> names; // what the plan removes, in its order, for the user
};

// Stopped sandbox containers, those whose owner plugin is gone, and the volumes of killed runs
// (after their containers). Throws EngineError, ConnectionError.
Removals plan_prune(engine::EngineClient& client, const PruneScope& scope, const OwnerAlive& alive,
                    engine::ApiVersion version);

// Managed volumes no container uses, except the volumes of a run whose plugin is still alive.
Removals plan_prune_volumes(engine::EngineClient& client, const PruneScope& scope, const OwnerAlive& alive,
                            engine::ApiVersion version);

} // namespace sandbox::managed
