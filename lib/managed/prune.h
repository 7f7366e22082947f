#pragma once

// What `docker sandbox prune` and `volume prune` remove, decided from the engine's lists and
// returned as a plan of removals (the lists are read now; a dry run shows them as lookups).

#include "engine/engine_client.h"
#include "managed/containers.h"
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
  std::string egress_image;                      // this build's egress proxy image, kept (images.h)
};

struct Removals
{
  plan::Plan plan;
  std::vector<std::string> names; // what the plan removes, in its order, for the user
};

// Stopped sandbox containers, those whose owner plugin is gone (an egress proxy too), the volumes
// and internal networks of killed runs (after their containers), and, unless the scope is a
// tenant's or has an age, the egress proxy images of other builds. Throws EngineError,
// ConnectionError.
Removals plan_prune(engine::EngineClient& client, const PruneScope& scope, const OwnerAlive& alive,
                    engine::ApiVersion version);

// `containers`, then the volumes of their runs that they mount and nothing else uses, unless kept
// or of a run whose plugin is alive (what rm removes). Throws EngineError, ConnectionError.
Removals plan_remove_with_run_volumes(engine::EngineClient& client, const std::vector<ManagedContainer>& containers,
                                      const OwnerAlive& alive, engine::ApiVersion version);

// The detached sandboxes whose deadline has passed at `now` (managed/lifetime.h), in any state,
// then the volumes of their runs that nothing else uses (a kept one stays): what every invocation
// removes first. One list request when there are none. Throws EngineError, ConnectionError.
Removals plan_remove_expired(engine::EngineClient& client, std::int64_t now, const OwnerAlive& alive,
                             engine::ApiVersion version);

// Managed volumes no container uses, except the volumes of a run whose plugin is still alive.
Removals plan_prune_volumes(engine::EngineClient& client, const PruneScope& scope, const OwnerAlive& alive,
                            engine::ApiVersion version);

} // namespace sandbox::managed
