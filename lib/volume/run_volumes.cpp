#include "volume/run_volumes.h"

#include "archive/safe_extractor.h"
#include "engine/container_archive.h"
#include "run/defaults.h"
#include "util/error.h"
#include "util/identity.h"
#include "util/paths.h"
#include "volume/volumes.h"

namespace sandbox::volume {

namespace {

// A run with --tenant T mounts only volumes labelled with tenant T; a run without a tenant
// mounts unmanaged volumes and managed ones that belong to no tenant.
void check_tenant(engine::EngineClient& client, const std::string& name, const std::optional<std::string>& tenant)
{
  std::optional<ManagedVolume> volume = inspect_volume(client, name);
  if (!volume) {
    throw Error("--volume " + name + ": no such volume", "create it first: docker sandbox volume create");
  }
  bool managed = volume->managed;
  const std::string& owner = volume->tenant;
  if (tenant && (!managed || owner != *tenant)) {
    throw Error("--volume " + name + ": the volume belongs to " + (managed && !owner.empty() ? "tenant " + owner : "no tenant")
                + ", not to tenant " + *tenant + "; refusing to mount it");
  }
  if (!tenant && managed && !owner.empty()) {
    throw Error("--volume " + name + ": the volume belongs to tenant " + owner + "; refusing to mount it in a run without --tenant " + owner);
  }
}

} // namespace

RunVolumes::RunVolumes(engine::EngineClient& client, const run::RunOptions& options)
  : m_client(client), m_options(options)
{
}

RunVolumes::~RunVolumes()
{
  if (!m_kept) {
    remove();
  }
}

void RunVolumes::prepare(const TransferHooks& hooks)
{
  for (const run::VolumeMount& mount : m_options.volumes) {
    check_tenant(m_client, mount.volume, m_options.tenant);
  }
  std::vector<run::VolumeMount> own;
  for (const run::InputSpec& input : m_options.inputs) {
    own.push_back(input.mount);
  }
  if (m_options.output_volume) {
    own.push_back(*m_options.output_volume);
  }
  if (own.empty()) {
    return;
  }
  archive::Ownership ownership;
  ownership.uid = m_options.sandbox_uid.value_or(run::k_nobody);
  ownership.gid = m_options.sandbox_gid.value_or(ownership.uid);
  std::vector<VolumeFill> fills;
  for (const run::VolumeMount& mount : own) {
    CreateRequest request;
    request.name = mount.volume;
    request.tenant = m_options.tenant;
    request.run = m_options.run_label;
    std::string creator = owner_tag() + ":" + random_hex(16);
    NewVolume wanted = new_volume(request, "", rfc3339_now(), creator);
    wanted.labels.emplace_back(run::k_label_owner, owner_tag());
    if (m_options.keep_volumes) {
      wanted.labels.emplace_back(run::k_label_kept, "true");
    }
    create_volume(m_client, wanted, creator);
    m_created.push_back(mount.volume);
    fills.push_back({mount.volume, {}, "", ownership});
  }
  for (std::size_t i = 0; i < m_options.inputs.size(); ++i) {
    const std::string& host_path = m_options.inputs[i].host_path;
    fills[i].sources.push_back(host_path + (is_directory(host_path) ? "/." : ""));
  }
  check_fills(fills);
  std::vector<std::pair<std::string, std::string>> labels{{std::string(run::k_label_run), m_options.run_label}};
  if (m_options.tenant) {
    labels.emplace_back(run::k_label_tenant, *m_options.tenant);
  }
  fill_volumes(m_client, fills, labels, hooks);
}

std::vector<std::string> RunVolumes::collect(const std::string& container, const TransferHooks& hooks)
{
  std::vector<std::string> problems;
  archive::ExtractResult written; // the caps hold for all collects together
  for (const run::CollectSpec& spec : m_options.collects) {
    try {
      if (!engine::stat_without_links(m_client, container, spec.container_path)) {
        problems.push_back("--collect " + spec.container_path + ": the sandbox left nothing there");
        continue;
      }
      archive::ExtractOptions options;
      options.destination = spec.host_dir;
      options.max_bytes = m_options.collect_max_bytes - std::min(m_options.collect_max_bytes, written.bytes);
      std::uint64_t members = written.files + written.directories + written.links;
      options.max_members = m_options.collect_max_files - std::min(m_options.collect_max_files, members);
      archive::ExtractResult result = extract_from_container(m_client, container, spec.container_path, options, hooks);
      written.bytes += result.bytes;
      written.files += result.files;
      written.directories += result.directories;
      written.links += result.links;
    } catch (const Cancelled&) {
      throw;
    } catch (const Error& e) {
      problems.push_back("--collect " + spec.container_path + ": " + e.what());
    }
  }
  return problems;
}

std::vector<std::string> RunVolumes::remove()
{
  std::vector<std::string> failures;
  for (const std::string& name : m_created) {
    try {
      m_client.call("DELETE", "/volumes/" + engine::url_encode(name), {}, std::nullopt, {404});
    } catch (const std::exception& e) {
      failures.push_back("cannot remove volume " + name + ": " + e.what());
    }
  }
  m_created.clear();
  return failures;
}

} // namespace sandbox::volume
