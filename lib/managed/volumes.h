#pragma once

// Managed volumes: per tenant and run, labelled, and never confused with anyone else's. Only
// volumes labelled docker-sandbox.managed=true are listed, removed or pruned.

#include "engine/engine_client.h"
#include "plan/plan.h"
#include "managed/owner.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::managed {

struct ManagedVolume
{
  std::string name;
  std::string tenant;
  std::string run;
  std::string created;      // RFC 3339, from our label
  std::int64_t created_at = 0; // unix seconds, 0 when unknown
  std::vector<std::pair<std::string, std::string>> labels;
  std::string mountpoint;
  std::string driver;       // "local"
  std::string scope;        // "local"
  std::string engine_created; // the engine's CreatedAt, RFC 3339
  std::string owner;        // "<host>:<pid>" of the plugin running the run that made it, if any
  bool managed = false;     // labelled docker-sandbox.managed=true
  bool kept = false;        // a run's volume kept on purpose (--keep-volumes): never an orphan
};

struct CreateRequest
{
  std::optional<std::string> name;    // nullopt: tenant-<T>-run-<R>-<unique>
  std::optional<std::string> tenant;
  std::optional<std::string> run;
  std::vector<std::string> labels;    // KEY=VALUE
};

// The name and labels of a new volume, validated: tenant and run ids, label keys (our prefix is
// reserved), the engine's name rule. `unique` makes a generated name unique between parallel
// creators, `creator` marks this creation so that a lost race is detected. Throws UsageError.
struct NewVolume
{
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
};
NewVolume new_volume(const CreateRequest& request, const std::string& unique, const std::string& created,
                     const std::string& creator);

// A volume as the engine describes it (GET /volumes/NAME, or one of a list).
ManagedVolume volume_from_json(const json::Value& volume);

// Managed volumes, optionally only those of a tenant and/or run.
std::vector<ManagedVolume> list_volumes(engine::EngineClient& client, const std::optional<std::string>& tenant,
                                        const std::optional<std::string>& run);

// The volume called `name`, ours or not; nullopt when it does not exist.
std::optional<ManagedVolume> inspect_volume(engine::EngineClient& client, const std::string& name);

// The managed volume called `name`. Throws Error when it does not exist, is not ours, or (with
// `tenant`) belongs to another tenant or to none.
ManagedVolume find_volume(engine::EngineClient& client, const std::string& name,
                          const std::optional<std::string>& tenant = std::nullopt);

// Names of the containers (any state) that mount the volume.
std::vector<std::string> volume_users(engine::EngineClient& client, const std::string& name);

// Names of managed volumes no container mounts, among those listed.
std::vector<std::string> unused_volumes(engine::EngineClient& client);

// What prune removes: managed, unused, created before now - until, and not the volume of a run
// whose plugin is still alive (it may not be mounted yet).
std::vector<ManagedVolume> select_prunable(const std::vector<ManagedVolume>& volumes,
                                           const std::vector<std::string>& unused, std::int64_t now,
                                           std::optional<std::chrono::milliseconds> until, const OwnerAlive& alive);

// The volumes of runs whose plugin is gone (killed before it could remove them) that no container
// uses except those in `leaving` (names of containers being removed too). Kept volumes are not
// orphans: they stay until the user removes them (volume rm, volume prune).
std::vector<ManagedVolume> select_orphans(engine::EngineClient& client, const std::vector<ManagedVolume>& volumes,
                                          const std::vector<std::string>& leaving, const OwnerAlive& alive);

// DELETE /volumes/{name} for each (404 accepted: already gone).
plan::Plan plan_remove_volumes(const std::vector<ManagedVolume>& volumes, engine::ApiVersion version);

// Parses an RFC 3339 UTC time ("2026-11-23T10:00:00Z"); 0 when it cannot.
std::int64_t parse_rfc3339(const std::string& text);

} // namespace sandbox::managed
