#include "run/run_options.h"

#include "egress/allowlist.h"
#include "managed/labels.h"
#include "run/capabilities.h"
#include "run/defaults.h"
#include "run/detached.h"
#include "run/detach_keys.h"
#include "run/host_binds.h"
#include "run/isolation.h"
#include "run/mount_syntax.h"
#include "run/problems.h"
#include "run/volume_options.h"
#include "run/workspace_mode.h"
#include "util/error.h"
#include "util/file.h"
#include "util/identity.h"
#include "util/json.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <regex>
#include <sys/stat.h>

namespace sandbox::run {

namespace {

constexpr std::int64_t k_min_memory = 6LL * 1024 * 1024;

void resolve_user(const RunFlags& flags, const HostFacts& host, RunOptions& out)
{
  if (!flags.user) {
    // Rootless, uid 0 of the engine's user namespace is the invoker: no one more privileged.
    std::int64_t uid = host.rootless_engine ? 0 : host.uid == 0 ? k_nobody : host.uid;
    std::int64_t gid = host.rootless_engine ? 0 : host.uid == 0 ? k_nobody : host.gid;
    out.user = std::to_string(uid) + ":" + std::to_string(gid);
    out.sandbox_uid = uid;
    out.sandbox_gid = gid;
    return;
  }
  const std::string& user = *flags.user;
  if (user.empty() || has_control_character(user) || user.find_first_of(" /") != std::string::npos) {
    throw UsageError("invalid --user \"" + user + "\": expected UID[:GID] or a user name");
  }
  out.user = user;
  if (user == "root") {
    out.sandbox_uid = 0;
    out.sandbox_gid = 0;
    return;
  }
  std::size_t colon = user.find(':');
  out.sandbox_uid = parse_integer(user.substr(0, colon));
  if (colon != std::string::npos) {
    out.sandbox_gid = parse_integer(user.substr(colon + 1));
  } else if (out.sandbox_uid) {
    // A bare UID would run with gid 0 (root's group): pair it with the same GID instead.
    out.sandbox_gid = out.sandbox_uid;
    out.user = user + ":" + user;
  }
  // A name: the engine gets it as typed, and its ids come from the image (run/user_lookup.h).
  out.user_named = !out.sandbox_uid || !out.sandbox_gid;
  if (out.user_named) {
    out.sandbox_uid = flags.user_ids ? std::optional(flags.user_ids->first) : std::nullopt;
    out.sandbox_gid = flags.user_ids ? std::optional(flags.user_ids->second) : std::nullopt;
  }
}

std::string load_seccomp(const std::string& spec, const std::string& cwd)
{
  if (spec == "unconfined") {
    return spec;
  }
  std::string path = absolute_path(spec, cwd);
  std::string text;
  try {
    text = read_regular_file(path, 4 * 1024 * 1024);
  } catch (const Error& e) {
    throw UsageError("--seccomp-profile: " + std::string(e.what()));
  }
  json::Value profile;
  try {
    profile = json::parse(text);
  } catch (const json::JsonError& e) {
    throw UsageError("--seccomp-profile " + path + ": " + e.what());
  }
  if (!profile.is_object() || !profile["defaultAction"].is_string()) {
    throw UsageError("--seccomp-profile " + path + ": not a seccomp profile (expected an object with a \"defaultAction\" string)");
  }
  const json::Value& syscalls = profile["syscalls"];
  if (!syscalls.is_null() && !syscalls.is_array()) {
    throw UsageError("--seccomp-profile " + path + ": \"syscalls\" must be an array");
  }
  return profile.dump();
}

// The engine is only handed paths that no one but root and the invoker can change (see
// stage_dirs.h): the output always goes through a stage, and a workspace whose path could be
// swapped is pinned in one while the container starts. The project, the workspace and the output
// count as hostile: another sandbox may have them writable.
void stage_binds(const HostFacts& host, RunOptions& out, Problems& problems)
{
  // The output directory receives what the sandbox wrote: hostile too.
  std::vector<std::string> hostile{host.cwd};
  for (const std::optional<std::string>& dir : {out.workspace, out.output}) {
    if (dir) {
      hostile.push_back(*dir);
    }
  }
  auto invoker = static_cast<uid_t>(host.uid);
  std::string root = stage_root(host.config_dir.empty() ? "" : absolute_path(host.config_dir, host.cwd));
  int host_binds = 0;
  for (BindSpec& bind : out.binds) {
    bool output = bind.role == BindRole::output;
    // A copied workspace is read through a descriptor whose identity is checked (workspace_mode.h).
    if (!output && (out.workspace_mode == WorkspaceMode::copy || !path_can_be_swapped(bind.source, hostile, invoker))) {
      continue;
    }
    // The same directory bound twice (-v $PWD:/app beside the workspace) is pinned once.
    auto pinned = std::find_if(out.pins.begin(), out.pins.end(), [&](const PinSpec& pin) { return pin.source == bind.source; });
    if (!output && pinned != out.pins.end()) {
      bind.source = pinned->staged();
      continue;
    }
    std::string role = output ? "output" : bind.role == BindRole::workspace ? "workspace" : "bind" + std::to_string(host_binds++);
    if (bind.role == BindRole::host && !is_directory(bind.source)) {
      problems.add("-v " + printable(bind.source) + ":" + bind.target + ": a file whose path others can change cannot be held still "
                   "while the sandbox starts; bind its directory");
      continue;
    }
    std::string stage_dir = find_stage_dir(bind.source, hostile, invoker, out.run_id + "-" + role, root);
    if (stage_dir.empty()) {
      problems.add("no directory of yours on the filesystem of " + printable(bind.source)
                   + " (outside the project, unchangeable by others) can stage it, so that no one can swap it while the sandbox starts; "
                   + (bind.role == BindRole::host ? "bind another path" : "name another with --" + role));
      continue;
    }
    if (output) {
      out.staged_output = StagedOutput{bind.source, stage_dir};
      bind.source = out.staged_output->staged();
    } else {
      out.pins.push_back(PinSpec{bind.source, stage_dir});
      bind.source = out.pins.back().staged();
    }
  }
  // A bind inside another pinned one (-v ./src beside the default workspace) is pinned first: once
  // the outer directory has moved, the inner one's path leads nowhere.
  std::stable_sort(out.pins.begin(), out.pins.end(),
                   [](const PinSpec& a, const PinSpec& b) { return a.source.size() > b.source.size(); });
}

// A path resolve_named_path returned: beneath `project` it was checked link by link, and resolving
// links now could follow one planted since; elsewhere the user's links are theirs to use.
std::string real_named_path(const std::string& path, const std::string& project)
{
  return is_within(path, project) ? path : absolute_path(path, "/");
}

// A bind at `target` inside the read-only workspace needs its mount point there: runc cannot
// create one in a read-only mount. A missing directory is created with the run (only inside the
// workspace, never through a link); a file's mount point must exist.
void mount_point_in_workspace(const std::string& target, bool directory, RunOptions& out, const std::string& what)
{
  if (!out.workspace || !is_within(target, out.workspace_target) || target == out.workspace_target) {
    return;
  }
  std::string mount_point = resolve_inside(*out.workspace, target.substr(out.workspace_target.size() + 1), what);
  struct stat st;
  bool exists = ::lstat(mount_point.c_str(), &st) == 0;
  if (directory && !exists) {
    out.dirs_to_create.push_back(mount_point);
  } else if (directory ? !S_ISDIR(st.st_mode) : !exists || !S_ISREG(st.st_mode)) {
    throw UsageError(what + ": " + target + " lies in the read-only workspace, where " + mount_point + " must be "
                     + (directory ? "a directory" : "a file") + " to mount it on");
  }
}

// --workspace-target and --output-target: where the two appear in the sandbox.
void resolve_targets(const RunFlags& flags, RunOptions& out, Problems& problems)
{
  problems.check([&] {
    if (flags.workspace_target) {
      if (flags.workspace.value_or("") == "none") {
        throw UsageError("--workspace-target needs a workspace (it is \"none\")");
      }
      out.workspace_target = sandbox_path(*flags.workspace_target, "--workspace-target");
    }
  });
  out.output_target = out.workspace_target + "/" + k_output_name;
  problems.check([&] {
    if (flags.output_target) {
      if (flags.output.value_or("") == "none") {
        throw UsageError("--output-target needs an output (it is \"none\")");
      }
      out.output_target = sandbox_path(*flags.output_target, "--output-target");
      if (out.output_target == out.workspace_target) {
        throw UsageError("--output-target " + out.output_target + " would hide the workspace");
      }
    }
  });
}

void resolve_mounts(const RunFlags& flags, const std::vector<HostBindRequest>& host_binds, const HostFacts& host,
                    RunOptions& out, Problems& problems)
{
  resolve_targets(flags, out, problems);
  std::string workspace_flag = flags.workspace.value_or(host.cwd);
  if (workspace_flag != "none") {
    std::string path = host.cwd;
    std::string refused;
    if (flags.workspace) {
      try {
        path = real_named_path(resolve_named_path(workspace_flag, host.cwd, host.cwd, "--workspace " + workspace_flag),
                               host.cwd);
      } catch (const UsageError& e) {
        refused = e.what();
      }
    }
    std::string secrets = flags.workspace_named || !is_directory(path) ? "" : secrets_held_by(path, host);
    if (!refused.empty()) {
      problems.add(refused);
    } else if (!is_directory(path)) {
      problems.add("--workspace " + workspace_flag + ": not a directory");
    } else if (!secrets.empty()) {
      problems.add("the workspace would be " + path + ", " + secrets
                   + ": refusing to expose it by default; name it with --workspace " + path + " if you mean it");
    } else {
      out.workspace = path;
      out.binds.push_back({path, out.workspace_target, !flags.workspace_rw, BindRole::workspace});
      out.workdir = out.workspace_target;
      struct stat st;
      if (flags.workspace_rw && out.sandbox_uid && *out.sandbox_uid != 0 && ::stat(path.c_str(), &st) == 0
          && st.st_uid != static_cast<uid_t>(*out.sandbox_uid) && !(st.st_mode & S_IWOTH)) {
        out.warnings.push_back("--workspace-rw: the sandbox user " + std::to_string(*out.sandbox_uid)
                               + " does not own " + path + " and may not be able to write to it (--user decides who it runs as)");
      }
    }
  } else if (flags.workspace_rw) {
    problems.add("--workspace-rw needs a workspace (it is \"none\")");
  }

  if (flags.output.value_or("") != "none") {
    problems.check([&] {
      // The default output/ lies in the (untrusted) workspace: no symlink may lead it elsewhere.
      // A directory the user names is resolved the same way inside the workspace (or the current
      // directory); elsewhere it is taken as named, but never through a symlink at its end.
      std::string path;
      if (flags.output && has_unsafe_character(*flags.output)) {
        throw UsageError("--output \"" + printable(*flags.output) + "\": the name contains control characters");
      }
      std::string project = out.workspace.value_or(host.cwd);
      if (!flags.output) {
        path = resolve_inside(project, "output", "output directory");
      } else {
        std::string what = "--output " + *flags.output;
        path = resolve_named_path(resolve_named_path(*flags.output, host.cwd, host.cwd, what), project, host.cwd, what);
        struct stat st;
        if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
          throw UsageError(what + ": is a symbolic link; refusing to mount where it points");
        }
        path = real_named_path(path, project);
      }
      struct stat st;
      if (::lstat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
        throw UsageError("--output " + path + ": exists and is not a directory");
      }
      if (::lstat(path.c_str(), &st) != 0) {
        out.dirs_to_create.push_back(path);
      }
      out.output = path;
      out.binds.push_back({path, out.output_target, false, BindRole::output});
      bool is_its_own_mount_point = out.workspace && is_within(out.output_target, out.workspace_target)
                                    && path == *out.workspace + out.output_target.substr(out.workspace_target.size());
      if (!is_its_own_mount_point) {
        mount_point_in_workspace(out.output_target, true, out, "output mount point");
      }
    });
  }

  std::vector<std::string> hostile;
  for (const std::optional<std::string>& dir : {out.workspace, out.output}) {
    if (dir) {
      hostile.push_back(*dir);
    }
  }
  std::size_t ours = out.binds.size();
  for (const HostBindRequest& request : host_binds) {
    problems.check([&] {
      BindSpec bind = resolve_host_bind(request, host, hostile);
      mount_point_in_workspace(bind.target, is_directory(bind.source), out, request.typed);
      out.binds.push_back(bind);
    });
  }
  // The workspace and the output go inside no bind of the user's: runc would make their mount
  // points in the user's directory (a profile may place them).
  for (std::size_t i = 0; i < ours; ++i) {
    for (std::size_t j = ours; j < out.binds.size(); ++j) {
      if (is_within(out.binds[i].target, out.binds[j].target)) {
        problems.add(out.binds[i].target + " lies inside the bind at " + out.binds[j].target + "; place it elsewhere");
      }
    }
  }

  stage_binds(host, out, problems);

  for (const std::string& exclude : flags.exclude) {
    if (!out.workspace) {
      problems.add("--exclude " + exclude + ": needs a workspace");
      continue;
    }
    problems.check([&] {
      if (has_unsafe_character(exclude)) {
        throw UsageError("--exclude: the path contains control characters");
      }
      std::string host_path = resolve_inside(*out.workspace, exclude, "--exclude " + exclude);
      if (host_path == *out.workspace) {
        throw UsageError("--exclude " + exclude + ": cannot exclude the whole workspace");
      }
      struct stat st;
      if (::lstat(host_path.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
          throw UsageError("--exclude " + exclude + ": exists and is not a directory");
        }
      } else {
        out.dirs_to_create.push_back(host_path);
      }
      TmpfsSpec spec;
      spec.target = out.workspace_target + host_path.substr(out.workspace->size());
      spec.exec = true;
      spec.mode = 01777;
      out.tmpfs.push_back(spec);
    });
  }
}

// An existing mount point keeps its mode under runc, so a non-root sandbox must own its tmpfs:
// one whose owner was not given gets the sandbox user's ids.
void own_by_sandbox_user(TmpfsSpec& spec, const RunOptions& out)
{
  if (out.sandbox_uid && *out.sandbox_uid != 0 && !spec.uid) {
    spec.uid = out.sandbox_uid;
    if (out.sandbox_gid && !spec.gid) {
      spec.gid = out.sandbox_gid;
    }
  }
}

void resolve_tmpfs(const RunFlags& flags, RunOptions& out, Problems& problems)
{
  TmpfsSpec tmp;
  tmp.target = "/tmp";
  tmp.size = k_default_tmp_size;
  tmp.mode = 01777;
  std::vector<TmpfsSpec> requested;
  for (const std::string& text : flags.tmpfs) {
    problems.check([&] { requested.push_back(parse_tmpfs(text)); });
  }
  bool tmp_overridden = std::any_of(requested.begin(), requested.end(), [](const TmpfsSpec& s) { return s.target == "/tmp"; });
  std::vector<TmpfsSpec> all;
  if (!tmp_overridden) {
    all.push_back(tmp);
  }
  all.insert(all.end(), out.tmpfs.begin(), out.tmpfs.end());
  all.insert(all.end(), requested.begin(), requested.end());
  out.tmpfs.clear();
  for (TmpfsSpec& spec : all) {
    for (const TmpfsSpec& seen : out.tmpfs) {
      if (seen.target == spec.target) {
        problems.add("duplicate tmpfs mount point " + spec.target);
      }
    }
    for (const BindSpec& bind : out.binds) {
      if (bind.target == spec.target) {
        problems.add("tmpfs " + spec.target + " would hide the "
                     + (bind.role == BindRole::workspace ? "workspace"
                        : bind.role == BindRole::output  ? "output directory"
                                                         : "bound " + bind.source));
      }
    }
    own_by_sandbox_user(spec, out);
    out.tmpfs.push_back(spec);
  }
}

// --allow-host, --egress-network and --egress-log: the sandbox's traffic goes through the egress
// proxy on a network of its own, so no other network and no published port goes with it.
void resolve_egress(const RunFlags& flags, const HostFacts& host, RunOptions& out, Problems& problems)
{
  if (flags.allow_hosts.empty()) {
    if (flags.egress_network || flags.egress_log) {
      problems.add(std::string(flags.egress_network ? "--egress-network" : "--egress-log") + " needs --allow-host");
    }
    return;
  }
  EgressOptions egress;
  egress.allow = flags.allow_hosts;
  egress.engine_host_addresses = host.host_addresses;
  problems.check([&] { egress::Allowlist(egress.allow, egress.engine_host_addresses); });
  if (flags.network && *flags.network != "none") {
    problems.add("--allow-host sends the sandbox's traffic through the egress proxy: it cannot be combined with --network "
                 + *flags.network);
  }
  if (!flags.publish.empty()) {
    problems.add("--allow-host cannot be combined with -p: the sandbox's network is internal, with no route in or out");
  }
  if (flags.egress_network) {
    const std::string& name = *flags.egress_network;
    if (name.empty() || has_control_character(name) || name.find_first_of(" /") != std::string::npos || name == "none"
        || name == "host") {
      problems.add("invalid --egress-network \"" + name + "\": a network name other than none and host");
    }
    egress.egress_network = name;
  }
  if (flags.egress_log) {
    std::string path = absolute_path(resolve_named_path(*flags.egress_log, host.cwd, host.cwd, "--egress-log " + *flags.egress_log),
                                     host.cwd);
    egress.log_below_project = is_within(path, host.cwd);
    std::string parent = path.substr(0, path.rfind('/') + 1);
    struct stat st{};
    if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      problems.add("--egress-log " + printable(*flags.egress_log) + ": " + printable(parent) + " is not a directory");
    }
    egress.log_file = path;
  }
  egress.network = "docker-sandbox-egress-" + out.run_id;
  egress.proxy_name = "docker-sandbox-egress-proxy-" + out.run_id;
  out.network = egress.network;
  out.egress = std::move(egress);
}

// -p, --device and --gpus. Publishing needs a network: without --network, -p gives the sandbox
// the engine's bridge (its warning says so); none or host would publish nothing.
void resolve_host_access(const RunFlags& flags, RunOptions& out, Problems& problems)
{
  for (const std::string& text : flags.publish) {
    problems.check([&] { out.ports.push_back(parse_publish(text)); });
  }
  if (!flags.publish.empty() && !flags.network) {
    out.network = "bridge";
  } else if (!flags.publish.empty() && (out.network == "none" || out.network == "host")) {
    problems.add("-p publishes nothing with --network " + out.network
                 + (out.network == "none" ? " (the sandbox has no network)" : " (the sandbox shares the host's ports)"));
  }
  for (const std::string& text : flags.devices) {
    problems.check([&] { out.devices.push_back(parse_device(text)); });
  }
  if (flags.gpus) {
    problems.check([&] { out.gpus = parse_gpus(*flags.gpus); });
  }
}

// docker run's spellings of a default against a relaxation of that default, from the flags or the
// project's profile: refused rather than one of them silently ignored.
void check_spelled_defaults(const RunFlags& flags)
{
  if (flags.read_only_root_asked && flags.writable_root) {
    throw UsageError("--read-only contradicts --writable-root (or the profile's writable_root)");
  }
  if (flags.no_new_privileges_asked && flags.allow_new_privileges) {
    throw UsageError("--security-opt no-new-privileges contradicts --allow-new-privileges (or the profile's "
                     "allow_new_privileges)");
  }
  for (const std::string& drop : flags.cap_drop) {
    std::string dropped = normalise_capability(drop, "--cap-drop");
    for (const std::string& add : flags.cap_add) {
      std::string added = normalise_capability(add);
      // --cap-drop ALL --cap-add X is docker's way of saying what we do anyway.
      if (added == dropped || (added == "ALL" && dropped != "ALL")) {
        throw UsageError("--cap-drop " + drop + " contradicts --cap-add " + add + " (or the profile's cap_add)");
      }
    }
  }
}

// A writable HOME, which npm, pip, git and most tools need: the image's is read-only with the
// root, and for a user the image does not know docker sets HOME=/. So HOME is a small tmpfs of the
// sandbox user's own (within the memory limit), unless HOME is set (-e, --env-file, a profile),
// or the root is writable and --user names a user of the image, whose home docker then gives.
// A --tmpfs or a volume at the same path replaces ours.
void resolve_home(const RunFlags& flags, RunOptions& out)
{
  bool home_set = std::any_of(out.env.begin(), out.env.end(), [](const std::string& entry) { return entry.starts_with("HOME="); });
  if (home_set || (flags.writable_root && out.user_named)) {
    return;
  }
  out.env.push_back(std::string("HOME=") + k_home_target);
  bool mounted = std::any_of(out.tmpfs.begin(), out.tmpfs.end(), [](const TmpfsSpec& s) { return s.target == k_home_target; })
                 || std::any_of(out.volumes.begin(), out.volumes.end(), [](const VolumeMount& v) { return v.target == k_home_target; })
                 || std::any_of(out.inputs.begin(), out.inputs.end(), [](const InputSpec& i) { return i.mount.target == k_home_target; })
                 || std::any_of(out.binds.begin(), out.binds.end(), [](const BindSpec& b) { return b.target == k_home_target; });
  if (mounted) { // a --tmpfs, a volume or a bind of the user's there is the home
    return;
  }
  TmpfsSpec home;
  home.target = k_home_target;
  home.size = k_default_home_size;
  home.mode = 0700;
  own_by_sandbox_user(home, out);
  out.tmpfs.push_back(home);
}

void resolve_limits(const RunFlags& flags, RunOptions& out, Problems& problems)
{
  problems.check([&] {
    if (!flags.memory) {
      out.memory = k_default_memory;
    } else if (*flags.memory == "0") {
      out.memory = 0;
    } else {
      out.memory = parse_size(*flags.memory, "--memory");
      if (out.memory < k_min_memory) {
        throw UsageError("invalid --memory \"" + *flags.memory + "\": the minimum is 6m");
      }
    }
  });
  if (flags.pids_limit) {
    std::optional<std::int64_t> pids = parse_integer(*flags.pids_limit);
    if (!pids || *pids < -1) {
      problems.add("invalid --pids-limit \"" + *flags.pids_limit + "\": expected a positive number, or 0 for no limit");
    } else {
      out.pids_limit = *pids <= 0 ? -1 : *pids;
    }
  }
  if (flags.cpus) {
    char* end = nullptr;
    double cpus = std::strtod(flags.cpus->c_str(), &end);
    if (flags.cpus->empty() || *end != '\0' || !(cpus > 0) || cpus > 1024) {
      problems.add("invalid --cpus \"" + *flags.cpus + "\": expected a number of CPUs such as 1.5");
    } else {
      out.nano_cpus = static_cast<std::int64_t>(cpus * 1e9 + 0.5);
    }
  }
  problems.check([&] {
    if (flags.timeout) {
      out.timeout = parse_duration(*flags.timeout, "--timeout");
    }
  });
  if (flags.stop_timeout) {
    std::optional<std::int64_t> seconds = parse_integer(*flags.stop_timeout);
    if (!seconds || *seconds < 0 || *seconds > 3600) {
      problems.add("invalid --stop-timeout \"" + *flags.stop_timeout + "\": expected seconds from 0 to 3600");
    } else {
      out.stop_timeout_seconds = static_cast<int>(*seconds);
    }
  }
}

void resolve_labels(const RunFlags& flags, const RunIdentity& identity, RunOptions& out, Problems& problems)
{
  out.labels.emplace_back(managed::k_label_managed, "true");
  out.labels.emplace_back(managed::k_label_run, flags.run.value_or(identity.run_id));
  if (flags.tenant) {
    problems.check([&] { validate_id(*flags.tenant, "--tenant"); });
    out.labels.emplace_back(managed::k_label_tenant, *flags.tenant);
  }
  out.labels.emplace_back(managed::k_label_created, identity.created);
  out.labels.emplace_back(managed::k_label_owner, identity.owner);
  for (auto& [key, value] : managed::lifetime_labels(out.detached ? std::optional(out.detached->lifetime) : std::nullopt)) {
    out.labels.emplace_back(std::move(key), std::move(value));
  }
  for (const std::string& label : flags.labels) {
    std::size_t eq = label.find('=');
    std::string key = label.substr(0, eq);
    if (key.empty() || has_control_character(label)) {
      problems.add("invalid --label \"" + label + "\": expected KEY=VALUE");
    } else if (key.rfind("docker-sandbox.", 0) == 0) {
      problems.add("invalid --label \"" + label + "\": the docker-sandbox. prefix is reserved");
    } else {
      out.labels.emplace_back(key, eq == std::string::npos ? "" : label.substr(eq + 1));
    }
  }
}

} // namespace

void add_env_entry(const std::string& entry, const engine::Environment& env, std::vector<std::string>& out,
                   const std::string& where)
{
  std::size_t eq = entry.find('=');
  std::string key = entry.substr(0, eq);
  if (key.empty()) {
    throw UsageError(where + "invalid environment variable \"" + printable(entry) + "\": the name is empty");
  }
  if (key.find_first_of(" \t") != std::string::npos || has_control_character(key) || entry.find('\0') != std::string::npos) {
    throw UsageError(where + "invalid environment variable \"" + printable(key) + "\": the name contains whitespace or a control character");
  }
  if (eq != std::string::npos) {
    out.push_back(entry);
  } else if (std::optional<std::string> value = env(key)) {
    out.push_back(key + "=" + *value);
  }
}

std::vector<std::string> parse_env_file(const std::string& path, const std::string& text,
                                        const engine::Environment& env)
{
  std::vector<std::string> out;
  std::size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    std::size_t newline = text.find('\n', start);
    std::string line = text.substr(start, newline == std::string::npos ? std::string::npos : newline - start);
    start = newline == std::string::npos ? text.size() : newline + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') {
      continue;
    }
    line.erase(0, first);
    add_env_entry(line, env, out, path + ":" + std::to_string(line_number) + ": ");
  }
  return out;
}

bool binds_host_paths(const RunOptions& options)
{
  return options.workspace || options.output
         || std::any_of(options.binds.begin(), options.binds.end(), [](const BindSpec& bind) { return bind.role == BindRole::host; });
}

RunOptions resolve_run_options(const RunFlags& given, const HostFacts& host, const RunIdentity& identity)
{
  // A run whose data travels in volumes (often inside Docker-in-Docker, where host paths mean
  // nothing to the engine) mounts no host directory unless asked to.
  RunFlags flags = given;
  if (!flags.inputs.empty() || !flags.collects.empty()) {
    flags.workspace = flags.workspace.value_or("none");
    flags.output = flags.output.value_or("none");
  }
  if (flags.detach && !flags.output) {
    flags.output = "none"; // nothing waits for a detached sandbox's end to hand it over
  }
  RunOptions out;
  Problems problems;
  out.run_id = identity.run_id;
  out.created = identity.created;
  out.owner = identity.owner;
  out.nonce = identity.nonce.empty() ? identity.run_id : identity.nonce;

  if (flags.image.empty()) {
    problems.add("an image is required: docker sandbox run [OPTIONS] IMAGE [COMMAND] [ARG...]");
  } else if (has_control_character(flags.image) || flags.image.find(' ') != std::string::npos) {
    problems.add("invalid image name \"" + flags.image + "\"");
  }
  out.image = flags.image;
  out.command = flags.command;
  out.entrypoint = flags.entrypoint;
  problems.check([&] { resolve_user(flags, host, out); });

  if (flags.network) {
    const std::string& network = *flags.network;
    if (network.empty() || has_control_character(network) || network.find_first_of(" /") != std::string::npos) {
      problems.add("invalid --network \"" + network + "\"");
    }
    out.network = network;
  }
  resolve_host_access(flags, out, problems);
  resolve_egress(flags, host, out, problems);
  problems.check([&] { check_spelled_defaults(flags); });
  out.read_only_root = !flags.writable_root;
  out.init = !flags.no_init;
  out.no_new_privileges = !flags.allow_new_privileges;
  for (const std::string& cap : flags.cap_add) {
    problems.check([&] { out.cap_add.push_back(normalise_capability(cap)); });
  }
  if (flags.seccomp_profile) {
    problems.check([&] { out.seccomp = load_seccomp(*flags.seccomp_profile, host.cwd); });
  }
  resolve_limits(flags, out, problems);
  problems.check([&] { out.workspace_mode = parse_workspace_mode(flags.workspace_mode); });
  SortedMounts sorted;
  for (const std::string& text : flags.volumes) {
    problems.check([&] { sort_volume_flag(text, sorted); });
  }
  for (const std::string& text : flags.mounts) {
    problems.check([&] { sort_mount_flag(text, sorted); });
  }
  flags.volumes = sorted.volumes;
  flags.tmpfs.insert(flags.tmpfs.end(), sorted.tmpfs.begin(), sorted.tmpfs.end());
  resolve_mounts(flags, sorted.binds, host, out, problems);
  resolve_tmpfs(flags, out, problems);

  for (const std::string& file : flags.env_files) {
    problems.check([&] {
      std::string text;
      try {
        text = read_regular_file(absolute_path(file, host.cwd), 4 * 1024 * 1024);
      } catch (const Error& e) {
        throw UsageError("--env-file: " + std::string(e.what()));
      }
      std::vector<std::string> entries = parse_env_file(file, text, host.env);
      out.env.insert(out.env.end(), entries.begin(), entries.end());
    });
  }
  for (const std::string& entry : flags.env) {
    problems.check([&] { add_env_entry(entry, host.env, out.env, "-e: "); });
  }
  resolve_detached(flags, identity, out, problems);
  resolve_labels(flags, identity, out, problems);
  resolve_volume_options(flags, host, identity, out, problems);
  resolve_home(flags, out);
  if (out.workspace_mode == WorkspaceMode::copy) {
    copy_instead_of_binding(flags, out, problems);
  }

  if (flags.name) {
    static const std::regex k_name("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    if (!std::regex_match(*flags.name, k_name)) {
      problems.add("invalid --name \"" + *flags.name + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    out.name = flags.name;
  } else {
    out.name = "docker-sandbox-" + identity.run_id;
  }
  if (flags.workdir) {
    if (flags.workdir->empty() || (*flags.workdir)[0] != '/') {
      problems.add("invalid --workdir \"" + *flags.workdir + "\": must be an absolute path");
    }
    out.workdir = *flags.workdir;
  }
  if (flags.runtime) {
    if (flags.runtime->empty() || has_control_character(*flags.runtime)) {
      problems.add("invalid --runtime \"" + *flags.runtime + "\"");
    }
    out.runtime = flags.runtime;
  }
  if (flags.isolation) {
    std::optional<Isolation> isolation = parse_isolation(*flags.isolation);
    if (!isolation) {
      problems.add("invalid --isolation \"" + printable(*flags.isolation) + "\": runc, gvisor or auto");
    } else if (flags.runtime) {
      // One rule: the runtime is chosen by kind or by name, never both (a profile's key counts).
      problems.add("--isolation " + *flags.isolation + " and --runtime " + printable(*flags.runtime)
                   + " both choose the OCI runtime: give one of them (a profile's isolation or runtime counts as given)");
    } else {
      out.isolation = *isolation;
      out.runtime = planned_runtime(*isolation);
    }
  }
  if (flags.hostname) {
    problems.check([&] { check_hostname(*flags.hostname); });
    out.hostname = flags.hostname;
  }
  if (flags.shm_size) {
    problems.check([&] { out.shm_size = parse_size(*flags.shm_size, "--shm-size"); });
  }
  for (const std::string& ulimit : flags.ulimits) {
    problems.check([&] { out.ulimits.push_back(parse_ulimit(ulimit)); });
  }
  if (flags.platform) {
    problems.check([&] { check_platform(*flags.platform); });
    out.platform = flags.platform;
  }
  out.interactive = flags.interactive;
  out.tty = flags.tty;
  out.detach_keys = flags.detach_keys.value_or(std::string(k_default_detach_keys));
  problems.check([&] { out.detach_sequence = parse_detach_keys(out.detach_keys, flags.detach_keys_from); });
  out.keep = flags.keep;
  out.pull = flags.pull;
  problems.throw_if_any();
  return out;
}

} // namespace sandbox::run
