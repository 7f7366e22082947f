#include "managed/containers.h"

#include "managed/images.h"
#include "managed/labels.h"
#include "managed/lifetime.h"
#include "util/error.h"
#include "util/file.h"
#include "util/units.h"

#include <map>

namespace sandbox::managed {

namespace {

std::string label(const json::Value& labels, std::string_view key)
{
  return labels.string_or(key);
}

void add_volumes(ManagedContainer& c, const json::Value& mounts)
{
  if (mounts.is_array()) {
    for (const json::Value& mount : mounts.elements()) {
      if (mount.string_or("Type") == "volume" && !mount.string_or("Name").empty()) {
        c.volumes.push_back(mount.string_or("Name"));
      }
    }
  }
}

void add_labels(ManagedContainer& c, const json::Value& labels)
{
  if (labels.is_object()) {
    for (const json::Member& member : labels.members()) {
      c.labels.emplace_back(member.first, member.second.is_string() ? member.second.as_string() : "");
    }
  }
}

ManagedContainer from_list_entry(const json::Value& entry)
{
  ManagedContainer c;
  c.id = entry.string_or("Id");
  const json::Value& names = entry["Names"];
  if (names.is_array() && names.size() > 0 && names.elements()[0].is_string()) {
    c.name = names.elements()[0].as_string();
    if (!c.name.empty() && c.name[0] == '/') {
      c.name.erase(0, 1);
    }
  }
  c.image = familiar_image_name(entry.string_or("Image"));
  c.state = entry.string_or("State");
  c.status = entry.string_or("Status");
  c.created = entry["Created"].is_int() ? entry["Created"].as_int() : 0;
  const json::Value& labels = entry["Labels"];
  c.run_id = label(labels, k_label_run);
  c.tenant = label(labels, k_label_tenant);
  c.owner = label(labels, k_label_owner);
  c.command = entry.string_or("Command");
  add_labels(c, labels);
  add_volumes(c, entry["Mounts"]);
  return c;
}

// Containers inherit their image's labels, so docker-sandbox.managed alone proves nothing: any
// image can carry it. A container is ours when the owner and creation labels, which every create
// of ours sets anew, are there and are not simply its image's.
bool created_by_us(const json::Value& labels, const json::Value& image_labels)
{
  std::string owner = labels.string_or(k_label_owner);
  return labels.string_or(k_label_managed) == "true" && !owner.empty()
         && (owner != image_labels.string_or(k_label_owner)
             || labels.string_or(k_label_created) != image_labels.string_or(k_label_created));
}

json::Value image_labels(engine::EngineClient& client, const std::string& image)
{
  try {
    return client.get_json("/images/" + image + "/json")["Config"]["Labels"];
  } catch (const EngineError& e) {
    if (e.status() == 404) {
      return json::Value(); // removed (docker rmi -f): nothing it could have passed on remains to compare
    }
    throw;
  }
}

} // namespace

std::vector<ManagedContainer> list_managed_containers(engine::EngineClient& client, const std::string& filters)
{
  json::Value list = client.get_json(
    "/containers/json", {{"all", "1"}, {"filters", filters.empty() ? label_filters({std::string(k_label_managed) + "=true"}) : filters}});
  std::vector<ManagedContainer> out;
  std::map<std::string, json::Value> labels_of_image;
  for (const json::Value& entry : list.is_array() ? list.elements() : std::vector<json::Value>{}) {
    std::string image = entry.string_or("ImageID");
    if (!labels_of_image.count(image)) {
      labels_of_image[image] = image.empty() ? json::Value() : image_labels(client, image);
    }
    if (created_by_us(entry["Labels"], labels_of_image[image])) {
      out.push_back(from_list_entry(entry));
    }
  }
  return out;
}

ManagedContainer find_managed_container(engine::EngineClient& client, const std::string& reference)
{
  if (reference.empty() || reference.find_first_of("/?#% ") != std::string::npos) {
    throw UsageError("invalid container name \"" + reference + "\"");
  }
  json::Value inspect;
  try {
    inspect = client.get_json("/containers/" + reference + "/json");
  } catch (const EngineError& e) {
    if (e.status() == 404) {
      throw Error("no such container: " + reference);
    }
    throw;
  }
  const json::Value& labels = inspect["Config"]["Labels"];
  std::string image = inspect.string_or("Image");
  if (!created_by_us(labels, image.empty() ? json::Value() : image_labels(client, image))) {
    throw Error(reference + " is not a docker-sandbox container; remove it with docker rm if you mean it");
  }
  ManagedContainer c;
  c.id = inspect.string_or("Id");
  c.name = inspect.string_or("Name");
  if (!c.name.empty() && c.name[0] == '/') {
    c.name.erase(0, 1);
  }
  c.image = inspect["Config"].string_or("Image");
  c.user = inspect["Config"].string_or("User");
  c.state = inspect["State"].string_or("Status");
  c.run_id = labels.string_or(k_label_run);
  c.tenant = labels.string_or(k_label_tenant);
  c.owner = labels.string_or(k_label_owner);
  add_labels(c, labels);
  add_volumes(c, inspect["Mounts"]);
  return c;
}

std::vector<ManagedContainer> select_prunable(const std::vector<ManagedContainer>& containers, std::int64_t now,
                                              std::optional<std::chrono::milliseconds> until, const OwnerAlive& alive)
{
  std::vector<ManagedContainer> out;
  for (const ManagedContainer& c : containers) {
    if (!older_than(c.created, now, until)) {
      continue;
    }
    if (lifetime_of(c)) {
      // It lives on its own until its deadline (rm removes it before), unless its plugin died
      // before it started it.
      if (expired(c, now) || (c.state == "created" && !alive(c.owner))) {
        out.push_back(c);
      }
      continue;
    }
    // "created": a run between create and start, or a volume transfer's helper, which is never started.
    bool active = c.state == "running" || c.state == "paused" || c.state == "restarting" || c.state == "created";
    if (active && alive(c.owner)) {
      continue;
    }
    out.push_back(c);
  }
  return out;
}

plan::Plan plan_remove_containers(const std::vector<ManagedContainer>& containers, engine::ApiVersion version)
{
  plan::Plan plan;
  plan.api_version = version;
  for (const ManagedContainer& c : containers) {
    plan::Step step = plan::make_step("remove-" + c.id.substr(0, 12),
                                      "remove " + (c.name.empty() ? c.id.substr(0, 12) : c.name) + " (" + c.state + ")",
                                      "DELETE", "/containers/" + c.id);
    step.query = {{"force", "1"}, {"v", "1"}};
    step.accepted = {404};
    plan.steps.push_back(step);
  }
  return plan;
}

} // namespace sandbox::managed
