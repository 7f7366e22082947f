#include "managed/volumes.h"

#include "managed/labels.h"
#include "util/error.h"
#include "util/identity.h"
#include "util/units.h"

#include <algorithm>
#include <ctime>

namespace sandbox::managed {

namespace {



bool is_valid_volume_name(const std::string& name)
{
  // The engine's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  return name.size() >= 2 && name.size() <= 255 && ok(name[0])
         && std::all_of(name.begin() + 1, name.end(), [&](char c) { return ok(c) || c == '_' || c == '.' || c == '-'; });
}

} // namespace

ManagedVolume volume_from_json(const json::Value& volume)
{
  ManagedVolume out;
  out.name = volume.string_or("Name");
  out.mountpoint = volume.string_or("Mountpoint");
  out.driver = volume.string_or("Driver");
  out.scope = volume.string_or("Scope");
  out.engine_created = volume.string_or("CreatedAt");
  const json::Value& labels = volume["Labels"];
  if (labels.is_object()) {
    for (const json::Member& label : labels.members()) {
      out.labels.emplace_back(label.first, label.second.is_string() ? label.second.as_string() : "");
    }
  }
  out.tenant = labels.string_or(k_label_tenant);
  out.run = labels.string_or(k_label_run);
  out.created = labels.string_or(k_label_created);
  out.owner = labels.string_or(k_label_owner);
  out.managed = labels.string_or(k_label_managed) == "true";
  out.kept = labels.string_or(k_label_kept) == "true";
  out.created_at = parse_rfc3339(out.created);
  if (out.created_at == 0) {
    out.created_at = parse_rfc3339(volume.string_or("CreatedAt"));
  }
  return out;
}

std::int64_t parse_rfc3339(const std::string& text)
{
  return parse_rfc3339_seconds(text).value_or(0);
}

NewVolume new_volume(const CreateRequest& request, const std::string& unique, const std::string& created,
                     const std::string& creator)
{
  NewVolume out;
  if (request.tenant) {
    validate_id(*request.tenant, "--tenant");
  }
  if (request.run) {
    validate_id(*request.run, "--run");
  }
  if (request.name) {
    out.name = *request.name;
  } else {
    if (!request.tenant) {
      throw UsageError("a volume without a NAME needs --tenant (its name is tenant-<T>-run-<R>-<unique>)");
    }
    out.name = "tenant-" + *request.tenant + "-run-" + request.run.value_or("none") + "-" + unique;
  }
  if (!is_valid_volume_name(out.name)) {
    throw UsageError("invalid volume name \"" + out.name + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
  }
  out.labels.emplace_back(k_label_managed, "true");
  if (request.tenant) {
    out.labels.emplace_back(k_label_tenant, *request.tenant);
  }
  if (request.run) {
    out.labels.emplace_back(k_label_run, *request.run);
  }
  out.labels.emplace_back(k_label_created, created);
  out.labels.emplace_back(k_label_creator, creator);
  for (const std::string& label : request.labels) {
    std::size_t eq = label.find('=');
    std::string key = label.substr(0, eq);
    if (key.empty() || std::any_of(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      throw UsageError("invalid --label \"" + label + "\": expected KEY=VALUE");
    }
    if (key.rfind("docker-sandbox.", 0) == 0) {
      throw UsageError("invalid --label \"" + label + "\": the docker-sandbox. prefix is reserved");
    }
    out.labels.emplace_back(key, eq == std::string::npos ? "" : label.substr(eq + 1));
  }
  return out;
}

std::vector<ManagedVolume> list_volumes(engine::EngineClient& client, const std::optional<std::string>& tenant,
                                        const std::optional<std::string>& run)
{
  std::vector<std::string> labels{std::string(k_label_managed) + "=true"};
  if (tenant) {
    labels.push_back(std::string(k_label_tenant) + "=" + *tenant);
  }
  if (run) {
    labels.push_back(std::string(k_label_run) + "=" + *run);
  }
  json::Value reply = client.get_json("/volumes", {{"filters", label_filters(labels)}});
  std::vector<ManagedVolume> out;
  const json::Value& volumes = reply["Volumes"];
  if (volumes.is_array()) {
    for (const json::Value& volume : volumes.elements()) {
      // Checked here too: Podman 4.3 answers label filters with volumes that match only some.
      ManagedVolume found = volume_from_json(volume);
      if (found.managed && (!tenant || found.tenant == *tenant) && (!run || found.run == *run)) {
        out.push_back(std::move(found));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const ManagedVolume& a, const ManagedVolume& b) { return a.name < b.name; });
  return out;
}

std::optional<ManagedVolume> inspect_volume(engine::EngineClient& client, const std::string& name)
{
  if (!is_valid_volume_name(name)) {
    throw UsageError("invalid volume name \"" + name + "\"");
  }
  engine::HttpResponse response = client.call("GET", "/volumes/" + name, {}, std::nullopt, {404});
  if (response.status == 404) {
    return std::nullopt;
  }
  return volume_from_json(json::parse(response.body));
}

ManagedVolume find_volume(engine::EngineClient& client, const std::string& name, const std::optional<std::string>& tenant)
{
  std::optional<ManagedVolume> volume = inspect_volume(client, name);
  if (!volume) {
    throw Error("no such volume: " + name);
  }
  if (!volume->managed) {
    throw Error(name + " is not a docker-sandbox volume; remove it with docker volume rm if you mean it");
  }
  if (tenant && volume->tenant != *tenant) {
    throw Error("volume " + name + " belongs to " + (volume->tenant.empty() ? "no tenant" : "tenant " + volume->tenant)
                + ", not to tenant " + *tenant + "; refusing to touch it");
  }
  return *volume;
}

std::vector<std::string> volume_users(engine::EngineClient& client, const std::string& name)
{
  json::Value filter = json::Value::object();
  json::Value values = json::Value::array();
  values.push(name);
  filter.set("volume", std::move(values));
  json::Value list = client.get_json("/containers/json", {{"all", "1"}, {"filters", filter.dump()}});
  std::vector<std::string> out;
  for (const json::Value& container : list.is_array() ? list.elements() : std::vector<json::Value>{}) {
    const json::Value& names = container["Names"];
    std::string shown = names.is_array() && names.size() > 0 ? names.elements()[0].as_string() : container.string_or("Id");
    out.push_back(shown.size() > 1 && shown[0] == '/' ? shown.substr(1) : shown);
  }
  return out;
}

std::vector<std::string> unused_volumes(engine::EngineClient& client)
{
  json::Value reply = client.get_json(
    "/volumes", {{"filters", label_filters({std::string(k_label_managed) + "=true"}, true)}});
  std::vector<std::string> out;
  const json::Value& volumes = reply["Volumes"];
  if (volumes.is_array()) {
    for (const json::Value& volume : volumes.elements()) {
      out.push_back(volume.string_or("Name"));
    }
  }
  return out;
}

std::vector<ManagedVolume> select_prunable(const std::vector<ManagedVolume>& volumes,
                                           const std::vector<std::string>& unused, std::int64_t now,
                                           std::optional<std::chrono::milliseconds> until, const OwnerAlive& alive)
{
  std::vector<ManagedVolume> out;
  for (const ManagedVolume& volume : volumes) {
    if (std::find(unused.begin(), unused.end(), volume.name) == unused.end()) {
      continue; // in use, even by a stopped container
    }
    if (!volume.owner.empty() && alive(volume.owner)) {
      continue; // a live run's volume, between its creation and its mount
    }
    if (!older_than(volume.created_at, now, until)) {
      continue;
    }
    out.push_back(volume);
  }
  return out;
}

std::vector<ManagedVolume> select_orphans(engine::EngineClient& client, const std::vector<ManagedVolume>& volumes,
                                          const std::vector<std::string>& leaving, const OwnerAlive& alive)
{
  std::vector<ManagedVolume> out;
  for (const ManagedVolume& volume : volumes) {
    if (volume.owner.empty() || volume.kept || alive(volume.owner)) {
      continue;
    }
    std::vector<std::string> users = volume_users(client, volume.name);
    bool only_leaving = std::all_of(users.begin(), users.end(), [&](const std::string& user) {
      return std::find(leaving.begin(), leaving.end(), user) != leaving.end();
    });
    if (only_leaving) {
      out.push_back(volume);
    }
  }
  return out;
}

plan::Plan plan_remove_volumes(const std::vector<ManagedVolume>& volumes, engine::ApiVersion version)
{
  plan::Plan plan;
  plan.api_version = version;
  for (const ManagedVolume& volume : volumes) {
    plan::Step step = plan::make_step("remove-" + volume.name, "remove volume " + volume.name, "DELETE", "/volumes/" + volume.name);
    step.accepted = {404};
    plan.steps.push_back(step);
  }
  return plan;
}

} // namespace sandbox::managed
