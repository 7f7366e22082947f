#include "managed/networks.h"

#include "managed/labels.h"

#include <algorithm>

namespace sandbox::managed {

std::vector<ManagedNetwork> list_managed_networks(engine::EngineClient& client, const std::optional<std::string>& tenant)
{
  std::vector<std::string> labels{std::string(k_label_managed) + "=true"};
  if (tenant) {
    labels.push_back(std::string(k_label_tenant) + "=" + *tenant);
  }
  json::Value reply = client.get_json("/networks", {{"filters", label_filters(labels)}});
  std::vector<ManagedNetwork> out;
  if (!reply.is_array()) {
    return out;
  }
  for (const json::Value& network : reply.elements()) {
    const json::Value& found = network["Labels"];
    // Checked here too, as for volumes: an engine may answer a label filter loosely.
    if (!found.is_object() || found.string_or(std::string(k_label_managed)) != "true") {
      continue;
    }
    ManagedNetwork item{network.string_or("Id"), network.string_or("Name"), found.string_or(std::string(k_label_tenant)),
                        found.string_or(std::string(k_label_owner))};
    if (!item.id.empty() && (!tenant || item.tenant == *tenant)) {
      out.push_back(std::move(item));
    }
  }
  std::sort(out.begin(), out.end(), [](const ManagedNetwork& a, const ManagedNetwork& b) { return a.name < b.name; });
  return out;
}

std::vector<ManagedNetwork> select_orphan_networks(const std::vector<ManagedNetwork>& networks, const OwnerAlive& alive)
{
  std::vector<ManagedNetwork> out;
  for (const ManagedNetwork& network : networks) {
    if (!network.owner.empty() && !alive(network.owner)) {
      out.push_back(network);
    }
  }
  return out;
}

std::vector<plan::Step> remove_network_steps(const std::vector<ManagedNetwork>& networks)
{
  std::vector<plan::Step> out;
  for (const ManagedNetwork& network : networks) {
    plan::Step step = plan::make_step("remove-network-" + network.name, "remove the network " + network.name, "DELETE",
                                      "/networks/" + network.id);
    step.accepted = {403, 404};
    out.push_back(std::move(step));
  }
  return out;
}

} // namespace sandbox::managed
