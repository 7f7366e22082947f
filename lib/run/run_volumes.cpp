#include "run/run_volumes.h"

#include "managed/labels.h"
#include "run/defaults.h"
#include "run/detached.h"
#include "volume/volume_steps.h"

#include <algorithm>

namespace sandbox::run {

namespace {

constexpr const char* k_helper = "helper";
constexpr const char* k_helper_removed = "helper-remove";
constexpr const char* k_collector = "collector";
constexpr const char* k_collector_removed = "collector-remove";

// One of the run's own volumes, and what is uploaded into it.
struct OwnVolume
{
  VolumeMount mount;
  std::optional<plan::TarEntry> content; // its member is set by volume_steps
  bool content_is_root = false;          // the content is the volume's root itself
  bool kept_on_problems = true;          // stays when something could not be collected
  bool kept_on_interrupt = false;        // stays when the user interrupted the run
};

// The run's own volumes: a copied workspace, the inputs, the output volume, a copied output.
std::vector<OwnVolume> own_volumes(const RunOptions& options)
{
  std::vector<OwnVolume> own;
  const std::optional<WorkspaceCopy>& copy = options.workspace_copy;
  if (copy && copy->workspace) {
    plan::TarEntry tree;
    tree.source = plan::TarEntry::Source::path;
    tree.host_path = *options.workspace;
    tree.uid = -1; // each file's own owner and mode, as a bound workspace shows them
    tree.gid = -1;
    tree.hollow = copy->hollow;
    tree.identity = copy->identity;
    own.push_back({*copy->workspace, tree, true, false}); // a copy of the project: never left behind
  }
  plan::TarEntry owner;
  owner.uid = options.sandbox_uid.value_or(k_nobody);
  owner.gid = options.sandbox_gid.value_or(owner.uid);
  for (const InputSpec& input : options.inputs) {
    plan::TarEntry entry = owner;
    entry.host_path = input.host_path;
    entry.source = input.directory ? plan::TarEntry::Source::contents : plan::TarEntry::Source::path;
    own.push_back({input.mount, entry, false});
  }
  if (options.output_volume) {
    own.push_back({*options.output_volume, std::nullopt, false});
  }
  if (copy && copy->output) {
    // Not read back after an interrupt: what the sandbox wrote stays there for 'volume get'.
    own.push_back({*copy->output, std::nullopt, false, true, true});
  }
  if (options.detached) {
    // Its init: root's, read-only and executable by anyone (run/detached.h).
    plan::TarEntry init;
    init.source = plan::TarEntry::Source::bytes;
    init.member = std::string(k_init_name);
    init.uid = 0;
    init.gid = 0;
    init.mode = 0555;
    init.bytes = options.detached->init.bytes;
    init.bytes_what = "the init of detached sandboxes built into docker-sandbox";
    own.push_back({options.detached->init_volume, init, false, false});
  }
  return own;
}

std::string create_id(std::size_t index)
{
  return "volume-" + std::to_string(index);
}

std::string remove_id(std::size_t index)
{
  return "volume-remove-" + std::to_string(index);
}

// The helper mounts volume i at /v<i>.
std::string helper_dir(std::size_t index)
{
  return "v" + std::to_string(index);
}

// Whether anything is read back after the run (and so a collector is made).
bool reads_back(const RunOptions& options)
{
  bool copied_output = options.workspace_copy && options.workspace_copy->output && options.staged_output;
  return copied_output || (options.output_volume && !options.collects.empty());
}

} // namespace

volume::Labels run_labels(const RunOptions& options)
{
  volume::Labels labels{{std::string(managed::k_label_created), options.created},
                        {std::string(managed::k_label_owner), options.owner},
                        {std::string(managed::k_label_run), options.run_label}};
  if (options.tenant) {
    labels.emplace_back(managed::k_label_tenant, *options.tenant);
  }
  return labels;
}

VolumeSteps volume_steps(const RunOptions& options, bool put_reaches_mounts)
{
  VolumeSteps out;
  std::vector<plan::Step>& steps = out.prepare;
  for (std::size_t i = 0; i < options.volumes.size(); ++i) {
    steps.push_back(volume::mountable_volume_step("mount-check-" + std::to_string(i), options.volumes[i].volume, options.tenant));
  }
  std::vector<OwnVolume> own = own_volumes(options);
  if (own.empty()) {
    return out;
  }
  plan::TarEntry owner;
  owner.uid = options.sandbox_uid.value_or(k_nobody);
  owner.gid = options.sandbox_gid.value_or(owner.uid);
  // Each volume's content, and the owner of its root (see volume::fill_steps).
  plan::Upload roots;
  std::vector<plan::Upload> uploads(own.size());
  std::vector<volume::HelperMount> mounts;
  for (std::size_t i = 0; i < own.size(); ++i) {
    managed::CreateRequest request;
    request.name = own[i].mount.volume;
    request.tenant = options.tenant;
    request.run = options.run_label;
    // Not derivable from the name: a volume someone made first under this name fails the check.
    std::string creator = options.owner + ":" + options.nonce + ":" + std::to_string(i);
    managed::NewVolume wanted = managed::new_volume(request, "", options.created, creator);
    wanted.labels.emplace_back(managed::k_label_owner, options.owner);
    if (options.keep_volumes) {
      wanted.labels.emplace_back(managed::k_label_kept, "true");
    }
    steps.push_back(volume::create_volume_step(create_id(i), wanted, creator));
    if (i + 1 < own.size()) {
      steps.back().overlap = plan::Step::Overlap::with_next;
    }
    mounts.push_back({own[i].mount.volume, "/" + helper_dir(i), false});
    if (!own[i].content_is_root) {
      // The volume's root gets the sandbox user as owner, so that it can use it.
      plan::TarEntry root = owner;
      root.source = plan::TarEntry::Source::directory;
      root.member = helper_dir(i);
      roots.entries.push_back(root);
      root.member = ".";
      uploads[i].entries.push_back(root);
    }
  }
  for (std::size_t i = 0; i < own.size(); ++i) {
    if (!own[i].content) {
      continue;
    }
    plan::TarEntry entry = *own[i].content;
    if (entry.source != plan::TarEntry::Source::bytes) {
      entry.member = ".";
    }
    if (entry.source == plan::TarEntry::Source::path && !own[i].content_is_root) {
      entry.member = entry.host_path.substr(entry.host_path.rfind('/') + 1);
    }
    uploads[i].entries.push_back(entry);
  }
  for (plan::Step& step : volume::helper_image_steps()) {
    steps.push_back(std::move(step));
  }
  steps.push_back(volume::create_helper_step(k_helper, mounts, run_labels(options), options.run_id));
  std::vector<volume::VolumeUpload> filled;
  for (std::size_t i = 0; i < own.size(); ++i) {
    filled.push_back({own[i].mount.volume, "/" + helper_dir(i), std::move(uploads[i])});
  }
  volume::FillSteps fill = volume::fill_steps("{helper.Id}", std::move(filled), std::move(roots), put_reaches_mounts);
  for (plan::Step& step : fill.uploads) {
    steps.push_back(std::move(step));
  }
  steps.back().overlap = plan::Step::Overlap::with_next; // the sandbox is created while the engine unpacks
  out.checks = std::move(fill.checks);
  return out;
}

std::optional<plan::Step> helper_removal_step(const RunOptions& options)
{
  if (own_volumes(options).empty()) {
    return std::nullopt;
  }
  plan::Step remove = volume::remove_helper_step(k_helper_removed, k_helper);
  remove.overlap = plan::Step::Overlap::reply_later;
  return remove;
}

std::optional<plan::Step> collector_step(const RunOptions& options)
{
  if (!reads_back(options)) {
    return std::nullopt;
  }
  // Each volume read back, read-only, where the sandbox has it: the same paths are read.
  std::vector<volume::HelperMount> mounts;
  if (options.workspace_copy && options.workspace_copy->output && options.staged_output) {
    mounts.push_back({options.workspace_copy->output->volume, options.workspace_copy->output->target, true});
  }
  if (options.output_volume && !options.collects.empty()) {
    mounts.push_back({options.output_volume->volume, options.output_volume->target, true});
  }
  return volume::never_started_container_step(k_collector, "create the collector: a helper with only the volumes read back (never started)",
                                              std::string(volume::k_helper_image), "docker-sandbox-collect-" + options.run_id,
                                              mounts, run_labels(options), "volume-transfer");
}

std::vector<plan::Step> collect_steps(const RunOptions& options)
{
  std::vector<plan::Step> steps;
  if (options.workspace_copy && options.workspace_copy->output && options.staged_output) {
    // What the sandbox wrote goes into the output stage, and from there into the output directory
    // as a bound output would: the same delivery, after the same checks as a collect.
    plan::Download download;
    download.destination = options.staged_output->staged();
    download.max_bytes = options.collect_max_bytes;
    download.max_files = options.collect_max_files;
    const std::string& target = options.workspace_copy->output->target;
    for (plan::Step& step : volume::download_steps("output", "{collector.Id}", target, target, download, "the output volume is gone")) {
      step.problem_label = "the output";
      steps.push_back(std::move(step));
    }
  }
  for (std::size_t i = 0; options.output_volume && i < options.collects.size(); ++i) {
    const CollectSpec& spec = options.collects[i];
    plan::Download download;
    download.destination = spec.host_dir;
    download.max_bytes = options.collect_max_bytes;
    download.max_files = options.collect_max_files;
    for (plan::Step& step : volume::download_steps("collect-" + std::to_string(i), "{collector.Id}", options.output_volume->target,
                                                   spec.container_path, download, "the sandbox left nothing there")) {
      step.problem_label = "--collect " + spec.container_path;
      steps.push_back(std::move(step));
    }
  }
  if (steps.empty()) {
    return steps;
  }
  for (plan::Step& step : steps) {
    step.unless_interrupted = true; // after Ctrl-C what the sandbox wrote stays for 'volume get'
    step.only_if_sent.push_back(k_collector);
  }
  plan::Step remove = volume::remove_helper_step(k_collector_removed, k_collector);
  remove.summary = "remove the collector";
  remove.only_if_sent.push_back(k_collector);
  steps.push_back(std::move(remove));
  return steps;
}

std::vector<plan::Step> volume_cleanup_steps(const RunOptions& options)
{
  std::vector<plan::Step> steps;
  std::vector<OwnVolume> own = own_volumes(options);
  if (own.empty()) {
    return steps;
  }
  steps.push_back(volume::remove_helper_cleanup("helper-cleanup", k_helper, k_helper_removed));
  if (reads_back(options)) {
    plan::Step collector = volume::remove_helper_cleanup("collector-cleanup", k_collector, k_collector_removed);
    collector.summary = "remove the collector";
    steps.push_back(std::move(collector));
  }
  for (std::size_t i = 0; i < own.size(); ++i) {
    plan::Step remove = volume::remove_volume_step(remove_id(i), create_id(i), own[i].mount.volume);
    remove.unless_problems = own[i].kept_on_problems;
    remove.unless_detached = options.detached.has_value(); // they go with it: rm, or prune after its --ttl
    if (options.keep_volumes) {
      // Kept once the sandbox started: a run that failed before (an upload the engine lost while
      // the sandbox was being created, a command that cannot run) keeps nothing.
      remove.unless_sent = "start";
    } else if (own[i].kept_on_interrupt) {
      // Kept after Ctrl-C only once the sandbox ran (what it wrote is there): two steps, one
      // for a run that never started it, one for a run that was not interrupted.
      remove.unless_sent = "start";
      plan::Step after_run = volume::remove_volume_step(remove_id(i) + "-after-run", create_id(i), own[i].mount.volume);
      after_run.only_if_sent.push_back("start");
      after_run.unless_problems = own[i].kept_on_problems;
      after_run.unless_interrupted = true;
      steps.push_back(std::move(remove));
      steps.push_back(std::move(after_run));
      continue;
    }
    steps.push_back(std::move(remove));
  }
  return steps;
}

std::vector<std::string> kept_volumes(const RunOptions& options, const plan::Results& results, bool interrupted)
{
  // Kept: created, and none of its removals succeeded or would be sent (the cleanup's own decision).
  std::vector<plan::Step> cleanup = volume_cleanup_steps(options);
  std::vector<std::string> kept;
  std::vector<OwnVolume> own = own_volumes(options);
  for (std::size_t i = 0; i < own.size(); ++i) {
    bool removed = std::any_of(cleanup.begin(), cleanup.end(), [&](const plan::Step& step) {
      return (step.id == remove_id(i) || step.id == remove_id(i) + "-after-run")
             && (results.status(step.id) || plan::conditions_hold(step, results, interrupted));
    });
    if (results.status(create_id(i)) && !removed) {
      kept.push_back(own[i].mount.volume);
    }
  }
  return kept;
}

} // namespace sandbox::run
