#include "run/workspace_probe.h"

#include "engine/container_archive.h"
#include "managed/labels.h"
#include "util/dir_fd.h"
#include "util/error.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/units.h"
#include "volume/volume_steps.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

constexpr const char* k_probe = "probe";

std::string dir_target(std::size_t index)
{
  return "/d" + std::to_string(index);
}

// What the probe looks at for `dir`: the directory, or (not made yet) its nearest existing parent.
std::string existing(std::string dir)
{
  struct stat st;
  while (dir != "/" && ::lstat(dir.c_str(), &st) != 0) {
    dir = split_last_component(dir).first;
  }
  return dir.empty() ? "/" : dir;
}

std::string temporary_directory(const engine::Environment& env)
{
  std::optional<std::string> tmp = engine::non_empty(env, "TMPDIR");
  return tmp && (*tmp)[0] == '/' ? *tmp : "/tmp";
}

constexpr const char* k_tmp_prefix = "docker-sandbox-probe-";

// The marker directory (0700, named `name`, which no one can guess) and its marker file, removed
// with this object. It is locked while it lives, so that a later probe sweeps it only once the
// process that made it is gone (SIGKILL runs no destructor).
class Marker
{
public:
  Marker(const HostFacts& host, const std::string& name) : m_name("marker")
  {
    std::string config_dir = host.config_dir.empty() ? "" : absolute_path(host.config_dir, host.cwd);
    std::string prefix;
    // In the config dir by preference (the engine's host shares a home more often than a /tmp).
    if (!config_dir.empty()) {
      try {
        make_directories(config_dir + "/sandbox/probes");
        m_parent = config_dir + "/sandbox/probes";
      } catch (const Error&) {
      }
    }
    if (m_parent.empty() || ::mkdir((m_parent + "/" + name).c_str(), 0700) != 0) {
      m_parent = absolute_path(temporary_directory(host.env), "/");
      prefix = k_tmp_prefix;
      if (::mkdir((m_parent + "/" + prefix + name).c_str(), 0700) != 0) {
        throw Error("cannot make " + m_parent + "/" + prefix + name + ": " + std::strerror(errno));
      }
    }
    m_dir = m_parent + "/" + prefix + name;
    m_lock = UniqueFd(::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    // Where flock is not supported (some network filesystems), the probe goes on unlocked: a
    // sweep could then take its marker after a minute, and the probe would copy.
    if (m_lock.get() >= 0) {
      ::flock(m_lock.get(), LOCK_EX);
    }
    int fd = m_lock.get() < 0 ? -1 : ::openat(m_lock.get(), m_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      int error = errno;
      ::rmdir(m_dir.c_str());
      throw Error("cannot make " + m_dir + "/" + m_name + ": " + std::strerror(error));
    }
    ::close(fd);
    sweep_abandoned_probes(m_parent, prefix);
  }
  ~Marker()
  {
    ::unlinkat(m_lock.get(), m_name.c_str(), 0);
    ::rmdir(m_dir.c_str());
  }
  Marker(const Marker&) = delete;
  Marker& operator=(const Marker&) = delete;
  const std::string& dir() const { return m_dir; }
  const std::string& name() const { return m_name; }

private:
  std::string m_name;
  std::string m_parent;
  std::string m_dir;
  UniqueFd m_lock;
};

} // namespace

void sweep_abandoned_probes(const std::string& parent, const std::string& prefix)
{
  UniqueFd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  std::vector<std::string> names;
  try {
    names = dir.get() < 0 ? names : directory_entries(parent);
  } catch (const Error&) {
    return;
  }
  for (const std::string& name : names) {
    if (name.rfind(prefix, 0) != 0) {
      continue;
    }
    UniqueFd probe(::openat(dir.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st;
    // A minute old at least: a probe being made is not locked yet.
    if (probe.get() < 0 || ::fstat(probe.get(), &st) != 0 || st.st_uid != ::geteuid() || st.st_mtime > ::time(nullptr) - 60
        || ::flock(probe.get(), LOCK_EX | LOCK_NB) != 0) {
      continue;
    }
    std::vector<std::string> inside;
    try {
      inside = directory_entries(parent + "/" + name);
    } catch (const Error&) {
      continue;
    }
    if (inside.empty() || inside == std::vector<std::string>{"marker"}) {
      ::unlinkat(probe.get(), "marker", 0);
      ::unlinkat(dir.get(), name.c_str(), AT_REMOVEDIR);
    }
  }
}

plan::Plan workspace_probe_plan(const std::string& marker_dir, const std::string& marker, const std::vector<std::string>& dirs,
                                const RunIdentity& identity)
{
  plan::Plan plan;
  plan.steps = volume::helper_image_steps();
  std::vector<volume::HelperMount> mounts{{marker_dir, "/m", true, true}};
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    mounts.push_back({dirs[i], dir_target(i), true, true});
  }
  volume::Labels labels{{std::string(managed::k_label_created), identity.created},
                        {std::string(managed::k_label_owner), identity.owner},
                        {std::string(managed::k_label_run), identity.run_id}};
  plan::Step create = volume::create_helper_step(k_probe, mounts, labels, "probe-" + identity.run_id, "workspace-probe");
  create.summary = "create a container (never started) that binds a marker of ours and the directories to mount";
  // A bind the engine refuses (the source does not exist there, is not shared, is not allowed):
  // it does not see our directories.
  create.accepted = {400, 403, 404, 409, 500};
  plan.steps.push_back(std::move(create));
  auto head = [&](const std::string& id, const std::string& path, const std::string& summary) {
    plan::Step step = plan::make_step(id, summary, "HEAD", "/containers/{probe.Id}/archive");
    step.query = {{"path", path}};
    step.accepted = {404};
    step.only_if_status = std::make_pair(std::string(k_probe), 201);
    plan.steps.push_back(std::move(step));
  };
  head("probe-marker", "/m/" + marker, "look for the marker");
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    head("probe-dir-" + std::to_string(i), dir_target(i), "read the mode and modification time of " + dirs[i]);
  }
  plan::Step remove = volume::remove_helper_step("probe-remove", k_probe);
  remove.summary = "remove the probe container";
  plan.cleanup.push_back(std::move(remove));
  return plan;
}

bool probe_saw_same(const plan::Results& results, const std::vector<std::string>& dirs)
{
  std::optional<int> created = results.status(k_probe);
  if (!created || *created != 201) {
    return false; // the engine refused a bind of ours (missing, not shared, not allowed): copy
  }
  if (results.status("probe-marker") != 200) {
    return false;
  }
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const json::Value* seen = results.find("probe-dir-" + std::to_string(i));
    struct stat st;
    std::optional<unsigned> mode = seen ? engine::stat_permissions(*seen) : std::nullopt;
    if (results.status("probe-dir-" + std::to_string(i)) != 200 || !mode || ::lstat(dirs[i].c_str(), &st) != 0) {
      return false;
    }
    std::optional<std::int64_t> mtime = parse_rfc3339_ns(seen->string_or("mtime"));
    std::int64_t here = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    if ((*mode & 0777) != (st.st_mode & 0777) || mtime != here) {
      return false;
    }
  }
  return true;
}

bool copy_unless_engine_sees(bool engine_is_local, plan::Executor& executor, const engine::ApiVersion& version,
                             RunFlags& flags, const HostFacts& host, const RunIdentity& identity, RunOptions& options)
{
  if (options.workspace_mode != WorkspaceMode::detect || !binds_host_paths(options)) {
    return false;
  }
  if (engine_is_local) {
    options.workspace_mode = WorkspaceMode::bind;
    return false;
  }
  std::vector<std::string> dirs;
  for (const std::optional<std::string>& dir : {options.workspace, options.output}) {
    if (dir) {
      dirs.push_back(existing(*dir));
    }
  }
  for (const BindSpec& bind : options.binds) {
    if (bind.role == BindRole::host) {
      auto pin = std::find_if(options.pins.begin(), options.pins.end(), [&](const PinSpec& p) { return p.staged() == bind.source; });
      dirs.push_back(pin == options.pins.end() ? bind.source : pin->source);
    }
  }
  bool seen = false;
  {
    Marker marker(host, identity.run_id + "-" + identity.nonce);
    plan::Plan probe = workspace_probe_plan(marker.dir(), marker.name(), dirs, identity);
    probe.api_version = version;
    seen = probe_saw_same(plan::run_plan(probe, executor), dirs);
  }
  if (seen) {
    options.workspace_mode = WorkspaceMode::bind;
    return false;
  }
  flags.workspace_mode = "copy";
  try {
    options = resolve_run_options(flags, host, identity);
  } catch (const UsageError& e) {
    throw UsageError("the engine does not see this host's directories, so they must be copied, but " + std::string(e.what()));
  }
  return true;
}

} // namespace sandbox::run
