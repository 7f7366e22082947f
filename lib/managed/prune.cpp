#include "managed/prune.h"

#include "managed/containers.h"
#include "managed/images.h"
#include "managed/lifetime.h"
#include "managed/networks.h"
#include "managed/volumes.h"

#include <algorithm>

namespace sandbox::managed {

Removals plan_prune(engine::EngineClient& client, const PruneScope& scope, const OwnerAlive& alive,
                    engine::ApiVersion version)
{
  std::vector<ManagedContainer> candidates = list_managed_containers(client);
  if (scope.tenant) {
    std::erase_if(candidates, [&](const ManagedContainer& c) { return c.tenant != *scope.tenant; });
  }
  std::vector<ManagedContainer> prunable = select_prunable(candidates, scope.now, scope.until, alive);
  Removals out;
  for (const ManagedContainer& c : prunable) {
    out.names.push_back(c.name);
  }
  // The volumes of a killed run go with its containers (removed first, in the same plan).
  std::vector<ManagedVolume> orphans = select_orphans(client, list_volumes(client, scope.tenant, std::nullopt), out.names, alive);
  out.plan = plan_remove_containers(prunable, version);
  for (const plan::Step& step : plan_remove_volumes(orphans, version).steps) {
    out.plan.steps.push_back(step);
  }
  for (const ManagedVolume& v : orphans) {
    out.names.push_back(v.name);
  }
  // The internal networks of killed --allow-host runs, once their sandbox and proxy are gone.
  std::vector<ManagedNetwork> networks = select_orphan_networks(list_managed_networks(client, scope.tenant), alive);
  for (plan::Step& step : remove_network_steps(networks)) {
    out.plan.steps.push_back(std::move(step));
  }
  for (const ManagedNetwork& n : networks) {
    out.names.push_back(n.name);
  }
  // Images belong to no tenant, and an upgrade leaves the last one at once: only a whole prune.
  if (!scope.tenant && !scope.until) {
    std::vector<std::string> images = stale_egress_images(list_managed_images(client), scope.egress_image);
    for (plan::Step& step : remove_image_steps(images)) {
      out.plan.steps.push_back(std::move(step));
    }
    out.names.insert(out.names.end(), images.begin(), images.end());
  }
  return out;
}

Removals plan_remove_with_run_volumes(engine::EngineClient& client, const std::vector<ManagedContainer>& containers,
                                      const OwnerAlive& alive, engine::ApiVersion version)
{
  Removals out;
  if (containers.empty()) {
    return out;
  }
  for (const ManagedContainer& c : containers) {
    out.names.push_back(c.name);
  }
  // A volume of one of their runs that one of them mounts: never another tenant's or run's that
  // happens to share a --run label.
  std::vector<ManagedVolume> volumes = list_volumes(client, std::nullopt, std::nullopt);
  std::erase_if(volumes, [&](const ManagedVolume& v) {
    return std::none_of(containers.begin(), containers.end(), [&](const ManagedContainer& c) {
      return c.run_id == v.run && c.tenant == v.tenant && std::find(c.volumes.begin(), c.volumes.end(), v.name) != c.volumes.end();
    });
  });
  std::vector<ManagedVolume> orphans = select_orphans(client, volumes, out.names, alive);
  out.plan = plan_remove_containers(containers, version);
  for (const plan::Step& step : plan_remove_volumes(orphans, version).steps) {
    out.plan.steps.push_back(step);
  }
  for (const ManagedVolume& v : orphans) {
    out.names.push_back(v.name);
  }
  return out;
}

Removals plan_remove_expired(engine::EngineClient& client, std::int64_t now, const OwnerAlive& alive,
                             engine::ApiVersion version)
{
  std::vector<ManagedContainer> expired_ones = list_managed_containers(client, detached_filters());
  std::erase_if(expired_ones, [&](const ManagedContainer& c) { return !expired(c, now); });
  return plan_remove_with_run_volumes(client, expired_ones, alive, version);
}

Removals plan_prune_volumes(engine::EngineClient& client, const PruneScope& scope, const OwnerAlive& alive,
                            engine::ApiVersion version)
{
  std::vector<ManagedVolume> prunable = select_prunable(list_volumes(client, scope.tenant, std::nullopt), unused_volumes(client),
                                                        scope.now, scope.until, alive);
  Removals out;
  out.plan = plan_remove_volumes(prunable, version);
  for (const ManagedVolume& v : prunable) {
    out.names.push_back(v.name);
  }
  return out;
}

} // namespace sandbox::managed
