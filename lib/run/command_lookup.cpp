#include "run/command_lookup.h"

#include "engine/container_archive.h"
#include "util/paths.h"
#include "util/printable.h"

#include <algorithm>

namespace sandbox::run {

namespace {

// Links followed for one candidate: Docker's linkTarget is already fully resolved (one is
// enough), another engine's may name the next link only.
constexpr int k_max_links = 8;
// Stats for one lookup: a PATH longer than this is left to the runtime.
constexpr int k_max_stats = 32;

std::string join(const std::string& dir, const std::string& name)
{
  return dir.empty() || dir.back() != '/' ? dir + "/" + name : dir + name;
}

std::string parent_of(const std::string& path)
{
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

std::string quoted(const std::string& name)
{
  return "exec: \"" + printable(name) + "\"";
}

} // namespace

CommandToRun command_to_run(const json::Value& inspect)
{
  CommandToRun command;
  command.name = inspect.string_or("Path");
  // Podman names its init as the Path, with the command after "--" in Args; dockerd hides it.
  const json::Value& args = inspect["Args"];
  if (inspect["HostConfig"]["Init"] == json::Value(true) && args.is_array() && args.size() >= 2
      && args.elements()[0] == json::Value("--") && args.elements()[1].is_string()) {
    command.name = args.elements()[1].as_string();
  }
  command.path_env = k_default_path;
  const json::Value& env = inspect["Config"]["Env"];
  if (env.is_array()) {
    for (const json::Value& item : env.elements()) {
      if (item.is_string() && item.as_string().rfind("PATH=", 0) == 0) {
        command.path_env = item.as_string().substr(5); // the last one wins, as in the engine
      }
    }
  }
  if (inspect["Mounts"].is_array()) {
    for (const json::Value& mount : inspect["Mounts"].elements()) {
      if (mount.is_object() && !mount.string_or("Destination").empty()) {
        command.mount_points.push_back(mount.string_or("Destination"));
      }
    }
  }
  command.workdir = inspect["Config"].string_or("WorkingDir");
  if (command.workdir.empty()) {
    command.workdir = "/";
  }
  return command;
}

CommandLookup::CommandLookup(CommandToRun command) : m_command(std::move(command))
{
  const std::string& name = m_command.name;
  m_slash = name.find('/') != std::string::npos;
  if (name.empty()) {
    m_verdict = CommandVerdict::undecided;
    return;
  }
  if (m_slash) {
    m_candidates.push_back(name[0] == '/' ? name : join(m_command.workdir, name));
  } else {
    // Go's filepath.SplitList: an empty PATH has no entries, "a::b" has an empty one.
    const std::string& path = m_command.path_env;
    for (std::size_t start = 0; !path.empty() && start <= path.size();) {
      std::size_t colon = path.find(':', start);
      std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      m_candidates.push_back(dir.empty() || dir[0] != '/' ? std::string() : join(dir, name));
      if (colon == std::string::npos) {
        break;
      }
      start = colon + 1;
    }
  }
  m_index = 0;
  m_current = m_candidates.empty() ? std::string() : m_candidates[0];
  if (m_candidates.empty()) {
    m_verdict = CommandVerdict::not_found;
  } else if (m_current.empty()) {
    m_verdict = CommandVerdict::undecided; // relative to the working directory: runc refuses it its own way
  }
}

std::optional<std::string> CommandLookup::next() const
{
  if (m_verdict != CommandVerdict::looking) {
    return std::nullopt;
  }
  return m_current;
}

void CommandLookup::next_candidate()
{
  if (m_slash || ++m_index >= m_candidates.size()) {
    m_verdict = m_slash ? m_verdict : CommandVerdict::not_found;
    return;
  }
  m_current = m_candidates[m_index];
  m_links = 0;
  if (m_current.empty()) {
    m_verdict = CommandVerdict::undecided;
  }
}

void CommandLookup::observe(int status, const json::Value& stat)
{
  if (m_verdict != CommandVerdict::looking) {
    return;
  }
  ++m_stats;
  bool in_mount = std::any_of(m_command.mount_points.begin(), m_command.mount_points.end(),
                              [&](const std::string& point) { return is_within(m_current, point); });
  if (status == 404 && m_command.misses_in_mounts_unknown && in_mount) {
    m_verdict = CommandVerdict::undecided;
  } else if (status == 404) {
    if (m_slash) {
      m_verdict = CommandVerdict::not_found;
    }
    next_candidate();
  } else if (status < 200 || status > 299) {
    m_verdict = CommandVerdict::undecided; // "not a directory" and the like: the runtime will say
  } else if (!stat["mode"].is_int() || stat["mode"].as_int() < 0) {
    throw Error("the engine's stat of " + printable(m_current) + " in the container cannot be read");
  } else if (engine::stat_is_symlink(stat)) {
    std::string target = stat.string_or("linkTarget");
    if (target.empty() || ++m_links > k_max_links) {
      m_verdict = CommandVerdict::undecided;
    } else {
      m_current = target[0] == '/' ? target : join(parent_of(m_current), target);
    }
  } else if (engine::stat_is_directory(stat) || (stat["mode"].as_int() & 0111) == 0) {
    if (m_slash) {
      m_verdict = CommandVerdict::cannot_run;
    }
    next_candidate(); // along PATH, Go passes it over
  } else {
    m_verdict = CommandVerdict::found;
  }
  if (m_verdict == CommandVerdict::looking && m_stats >= k_max_stats) {
    m_verdict = CommandVerdict::undecided;
  }
}

void CommandLookup::throw_if_cannot_run() const
{
  const std::string& name = m_command.name;
  if (m_verdict == CommandVerdict::not_found) {
    throw CommandCannotRun(127, m_slash ? quoted(name) + ": stat " + printable(name) + ": no such file or directory"
                                        : quoted(name) + ": executable file not found in $PATH");
  }
  if (m_verdict == CommandVerdict::cannot_run) {
    throw CommandCannotRun(126, quoted(name) + ": permission denied");
  }
}

std::vector<plan::Step> command_lookup_steps(const std::string& container_ref, bool misses_in_mounts_unknown)
{
  plan::Step read = plan::make_step("command", "read the command, its PATH and working directory as the engine will run them",
                                    "GET", "/containers/" + container_ref + "/json");
  plan::Step stat = plan::make_step("command-lookup", "look the command up as the runtime will, before anything runs", "HEAD",
                                    "/containers/" + container_ref + "/archive");
  // Whatever the engine cannot stat is left to the runtime to say (a socket proxy's 403 too).
  stat.accepted = {400, 403, 404, 500};
  stat.walk_summary = "?path= each place the command may be, one request each: for a name without '/', the directories "
                      "of its PATH in turn (passing over directories and files without an execute bit); for a symbolic "
                      "link, its target. Not found: exit 127; a directory or a file without an execute bit: exit 126; "
                      "in docker run's words, and nothing is started";
  stat.walk = [misses_in_mounts_unknown](const plan::Results& results, const std::vector<plan::Reply>& walked) -> std::optional<engine::Query> {
    const json::Value* inspect = results.find("command");
    if (!inspect) {
      return std::nullopt;
    }
    CommandToRun command = command_to_run(*inspect);
    command.misses_in_mounts_unknown = misses_in_mounts_unknown;
    CommandLookup lookup(command);
    for (const plan::Reply& reply : walked) {
      lookup.observe(reply.status, reply.body);
    }
    lookup.throw_if_cannot_run();
    std::optional<std::string> path = lookup.next();
    if (!path) {
      return std::nullopt;
    }
    return engine::Query{{"path", *path}};
  };
  return {read, stat};
}

} // namespace sandbox::run
