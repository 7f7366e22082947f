#include "run/command_lookup.h"

#include "engine/container_archive.h"
#include "run/detached.h"
#include "run/run_volumes.h"
#include "util/dir_fd.h"
#include "util/paths.h"
#include "util/printable.h"
#include "volume/volume_steps.h"

#include <algorithm>
#include <memory>
#include <set>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

// Links followed for one candidate: Docker's linkTarget is already fully resolved (one is
// enough), another engine's may name the next link only.
constexpr int k_max_links = 8;
// Stats for one lookup, the directories above included: a longer PATH is left to the runtime.
constexpr int k_max_stats = 48;
// A longer path (PATH_MAX) is left to the runtime: a project's links could make them grow.
constexpr std::size_t k_max_path = 4096;

// What every runtime mounts, whatever the container's settings say.
const char* const k_runtime_mounts[] = {"/proc", "/sys", "/dev", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"};

const char* const k_lookup_role = "command-lookup";

std::string join(const std::string& dir, const std::string& name)
{
  return dir.empty() || dir.back() != '/' ? dir + "/" + name : dir + name;
}

std::string parent_of(const std::string& path)
{
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

// `path` without "." and empty components; nullopt when it has "..", which the runtime resolves
// after the links before it, and the lookup does not try to.
std::optional<std::string> plain(const std::string& path)
{
  std::string out;
  for (const std::string& part : path_components(path)) {
    if (part == "..") {
      return std::nullopt;
    }
    out += "/" + part;
  }
  return out.empty() ? "/" : out;
}

// Where the link `target`, found in the directory `dir` (a path without links), leads: its own
// leading ".." components go up from `dir`; nullopt for a ".." after them.
std::optional<std::string> link_destination(const std::string& dir, const std::string& target)
{
  if (target.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> parts = target[0] == '/' ? std::vector<std::string>() : path_components(dir);
  bool leading = true;
  for (const std::string& part : path_components(target)) {
    if (part == ".." && !leading) {
      return std::nullopt;
    }
    leading = leading && part == "..";
    if (part == ".." && !parts.empty()) {
      parts.pop_back();
    } else if (part != "..") {
      parts.push_back(part);
    }
  }
  std::string out;
  for (const std::string& part : parts) {
    out += "/" + part;
  }
  return out.empty() ? "/" : out;
}

// Go's os.FileMode bits, as the engine's stat gives them.
constexpr long long k_go_dir = 1LL << 31;
constexpr long long k_go_symlink = 1LL << 27;

// Go's os.FileMode of a host stat: the permission bits, and setuid, setgid and sticky in Go's places.
long long go_mode(mode_t mode)
{
  return (mode & 0777) | ((mode & S_ISUID) ? 1LL << 23 : 0) | ((mode & S_ISGID) ? 1LL << 22 : 0) | ((mode & S_ISVTX) ? 1LL << 20 : 0);
}

json::Value stat_json(long long mode, const std::string& link_target = "")
{
  json::Value out = json::Value::object();
  out.set("mode", mode);
  out.set("linkTarget", link_target);
  return out;
}

std::string quoted(const std::string& name)
{
  return "exec: \"" + printable(name) + "\"";
}

} // namespace

CommandToRun command_to_run(const json::Value& inspect)
{
  CommandToRun command;
  // argv[0] as the engine merged the image's and the run's: the first word of Config.Entrypoint,
  // else of Config.Cmd. Not Path: Podman names its init there. Anything else (an entrypoint as a
  // string) leaves the name empty, and the verdict to the runtime.
  // A detached sandbox's init (run/detached.h) is passed over: the command comes after its arguments.
  std::size_t skip = 0;
  const json::Value& entrypoint = inspect["Config"]["Entrypoint"];
  if (entrypoint.is_array() && entrypoint.size() >= init_argument_count() && entrypoint.elements()[0].is_string()
      && entrypoint.elements()[0].as_string() == std::string(k_init_dir) + "/" + std::string(k_init_name)) {
    skip = init_argument_count();
  }
  for (const char* field : {"Entrypoint", "Cmd"}) {
    const json::Value& words = inspect["Config"][field];
    std::size_t first = std::string_view(field) == "Entrypoint" ? skip : 0;
    if (words.is_array() && words.size() > first) {
      command.name = words.elements()[first].is_string() ? words.elements()[first].as_string() : std::string();
      break;
    }
    if (!words.is_null() && !words.is_array() && !(words.is_string() && words.as_string().empty())) {
      break;
    }
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
  command.workdir = inspect["Config"].string_or("WorkingDir");
  if (command.workdir.empty()) {
    command.workdir = "/";
  }
  for (const char* point : k_runtime_mounts) {
    command.mount_points.emplace_back(point);
  }
  auto add = [&](const std::string& point) {
    if (std::optional<std::string> normal = plain(point); normal && *normal != "/") {
      command.mount_points.push_back(*normal);
    }
  };
  for (const json::Value* list : {&inspect["Mounts"], &inspect["HostConfig"]["Mounts"]}) {
    if (list->is_array()) {
      for (const json::Value& mount : list->elements()) {
        if (mount.is_object()) {
          add(mount.string_or("Destination"));
          add(mount.string_or("Target"));
        }
      }
    }
  }
  if (inspect["HostConfig"]["Tmpfs"].is_object()) {
    for (const auto& [target, options] : inspect["HostConfig"]["Tmpfs"].members()) {
      add(target);
    }
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
  try_candidate(0);
}

std::optional<std::pair<HostBind, std::string>> deepest_mount(const std::string& path, const std::vector<std::string>& mount_points,
                                                              const std::vector<HostBind>& binds)
{
  std::optional<HostBind> deepest;
  auto consider = [&](const std::string& point, const std::string& source) {
    bool deeper = !deepest || point.size() > deepest->target.size()
                  || (point.size() == deepest->target.size() && !source.empty()); // that mount point is this bind
    if (is_within(path, point) && deeper) {
      deepest = HostBind{point, source};
    }
  };
  for (const std::string& point : mount_points) {
    consider(point, "");
  }
  for (const HostBind& bind : binds) {
    consider(bind.target, bind.source); // the same target as a mount point: the bind it is
  }
  if (!deepest) {
    return std::nullopt;
  }
  std::string relative = path.size() > deepest->target.size() ? path.substr(deepest->target.size() + 1) : std::string();
  return std::make_pair(*deepest, relative);
}

std::optional<std::pair<HostBind, std::string>> CommandLookup::in_bind(const std::string& path) const
{
  std::optional<std::pair<HostBind, std::string>> deepest = deepest_mount(path, m_command.mount_points, m_command.binds);
  return deepest && !deepest->first.source.empty() ? deepest : std::nullopt;
}

bool CommandLookup::meets_mount(const std::string& dir) const
{
  auto meets = [&](const std::string& point) { return is_within(dir, point) || is_within(point, dir); };
  return std::any_of(m_command.mount_points.begin(), m_command.mount_points.end(), meets)
         || std::any_of(m_command.binds.begin(), m_command.binds.end(), [&](const HostBind& bind) { return meets(bind.target); });
}

bool CommandLookup::under_mount(const std::string& path) const
{
  std::optional<std::pair<HostBind, std::string>> deepest = deepest_mount(path, m_command.mount_points, m_command.binds);
  return deepest && deepest->first.source.empty();
}

void CommandLookup::try_candidate(std::size_t index)
{
  m_index = index;
  m_links = 0;
  if (m_candidates.empty()) {
    m_verdict = CommandVerdict::undecided; // an empty PATH: an init's execvp looks in the working directory
  } else if (index >= m_candidates.size()) {
    conclude(CommandVerdict::not_found);
  } else if (m_candidates[index].empty()) {
    m_verdict = CommandVerdict::undecided; // relative to the working directory: runc refuses it its own way
  } else {
    visit(m_candidates[index]);
  }
}

void CommandLookup::visit(const std::string& path)
{
  std::optional<std::string> normal = path.size() > k_max_path ? std::nullopt : plain(path);
  if (!normal) {
    m_verdict = CommandVerdict::undecided;
  } else if (!under_mount(*normal)) {
    m_current = *normal;
  } else if (m_slash) {
    m_verdict = CommandVerdict::undecided;
  } else {
    m_skipped_mount = true; // it may be there: found later along PATH is still found
    try_candidate(m_index + 1);
  }
}

void CommandLookup::conclude(CommandVerdict verdict)
{
  if (verdict == CommandVerdict::not_found && m_skipped_mount) {
    m_verdict = CommandVerdict::undecided;
    return;
  }
  std::set<std::string> seen;
  for (const std::string& path : m_stated) {
    std::string dir;
    std::vector<std::string> parts = path_components(path);
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) { // from the top down
      dir += "/" + parts[i];
      if (seen.insert(dir).second) {
        m_ancestors.push_back(dir);
      }
    }
  }
  m_pending = verdict;
  m_ancestor = 0;
  if (m_ancestors.empty()) {
    m_verdict = verdict;
  } else {
    m_current = m_ancestors.front();
  }
}

std::optional<std::string> CommandLookup::next() const
{
  if (m_verdict != CommandVerdict::looking) {
    return std::nullopt;
  }
  return m_current;
}

void CommandLookup::observe(int status, const json::Value& stat)
{
  if (m_verdict != CommandVerdict::looking) {
    return;
  }
  if (status >= 200 && status <= 299 && (!stat["mode"].is_int() || stat["mode"].as_int() < 0)) {
    throw Error("the engine's stat of " + printable(m_current) + " in the image cannot be read");
  }
  if (status != 404 && (status < 200 || status > 299)) {
    m_verdict = CommandVerdict::undecided; // "not a directory" and the like: the runtime will say
  } else if (m_pending == CommandVerdict::looking) {
    observe_candidate(status, stat);
  } else {
    observe_ancestor(status, stat);
  }
  if (m_verdict == CommandVerdict::looking && ++m_stats >= k_max_stats) {
    m_verdict = CommandVerdict::undecided;
  }
}

void CommandLookup::observe_candidate(int status, const json::Value& stat)
{
  m_stated.push_back(m_current);
  if (status == 404) {
    if (m_slash) {
      conclude(CommandVerdict::not_found);
    } else {
      try_candidate(m_index + 1);
    }
  } else if (engine::stat_is_symlink(stat)) {
    std::string link = stat.string_or("linkTarget");
    // Only the host walk shows a parent free of links; an engine's relative target with ".." is
    // left to the runtime (Docker's are absolute and resolved).
    bool up_from_engine = !link.empty() && link[0] != '/' && link.find("..") != std::string::npos && !in_bind(m_current);
    std::optional<std::string> target = up_from_engine ? std::nullopt : link_destination(parent_of(m_current), link);
    if (!target || ++m_links > k_max_links) {
      m_verdict = CommandVerdict::undecided;
    } else {
      visit(*target);
    }
  } else if (engine::stat_is_directory(stat) || (stat["mode"].as_int() & 0111) == 0) {
    if (m_slash) {
      m_directory = engine::stat_is_directory(stat);
      conclude(CommandVerdict::cannot_run);
    } else {
      try_candidate(m_index + 1); // along PATH, Go passes it over
    }
  } else {
    m_verdict = CommandVerdict::found;
  }
}

void CommandLookup::observe_ancestor(int status, const json::Value& stat)
{
  // A directory above a path looked at that is a link: the engine followed it in the image, the
  // runtime will follow it in the sandbox, where a mount may hold something else.
  if (status != 404 && engine::stat_is_symlink(stat)) {
    std::optional<std::string> target = link_destination(parent_of(m_current), stat.string_or("linkTarget"));
    if (!target || meets_mount(*target)) {
      m_verdict = CommandVerdict::undecided;
      return;
    }
  }
  if (++m_ancestor < m_ancestors.size()) {
    m_current = m_ancestors[m_ancestor];
  } else {
    m_verdict = m_pending;
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
    // Current runc's words (Go 1.20's LookPath says EISDIR); runc 1.1 left "is a directory" out.
    throw CommandCannotRun(126, quoted(name) + (m_directory ? ": is a directory: permission denied" : ": permission denied"));
  }
}

std::pair<int, json::Value> stat_in_bind(const HostBind& bind, const std::string& relative)
{
  std::vector<std::string> parts = path_components(relative);
  if (std::find(parts.begin(), parts.end(), "..") != parts.end()) {
    return {500, json::Value()};
  }
  UniqueFd dir(::open(bind.source.c_str(), O_PATH | O_CLOEXEC));
  std::string container_dir = bind.target;
  for (std::size_t i = 0; dir.get() >= 0; ++i) {
    struct stat st;
    const char* name = i < parts.size() ? parts[i].c_str() : "";
    int flags = i < parts.size() ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH;
    if (::fstatat(dir.get(), name, &st, flags) != 0) {
      return {errno == ENOENT ? 404 : 500, json::Value()};
    }
    bool last = i + 1 >= parts.size();
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = ::readlinkat(dir.get(), name, target, sizeof target - 1);
      if (n <= 0) {
        return {500, json::Value()};
      }
      std::string link(target, static_cast<std::size_t>(n));
      if (last) {
        return {200, stat_json(k_go_symlink | 0777, link)};
      }
      // A link above: the rest of the path, where the link leads in the sandbox.
      std::optional<std::string> leads = link_destination(container_dir, link);
      if (!leads) {
        return {500, json::Value()};
      }
      std::string rest;
      for (std::size_t j = i + 1; j < parts.size(); ++j) {
        rest += "/" + parts[j];
      }
      return {200, stat_json(k_go_symlink | 0777, (*leads == "/" ? "" : *leads) + rest)};
    }
    if (last || i >= parts.size()) {
      if (S_ISDIR(st.st_mode)) {
        return {200, stat_json(k_go_dir | go_mode(st.st_mode))};
      }
      return S_ISREG(st.st_mode) ? std::make_pair(200, stat_json(go_mode(st.st_mode))) : std::make_pair(500, json::Value());
    }
    if (!S_ISDIR(st.st_mode)) {
      return {500, json::Value()}; // not a directory: the runtime says so
    }
    dir = UniqueFd(::openat(dir.get(), name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    container_dir = join(container_dir, parts[i]);
  }
  return {500, json::Value()};
}

std::vector<HostBind> host_binds(const RunOptions& options)
{
  std::vector<HostBind> binds;
  for (const BindSpec& bind : options.binds) {
    binds.push_back({bind.target, bind.source});
  }
  return binds;
}

LookupSteps command_lookup_steps(const RunOptions& options, std::vector<plan::Step> more)
{
  LookupSteps steps;
  steps.container = volume::never_started_container_step(
    "lookup", "create the lookup container: the same image with no mount, never started (an archive request on the sandbox "
              "would mount its binds in the engine's namespace)",
    options.image, "docker-sandbox-lookup-" + options.run_id, {}, run_labels(options), k_lookup_role);
  if (options.platform) {
    steps.container.query.emplace_back("platform", *options.platform);
  }
  steps.container.accepted = {404};
  const std::pair<std::string, int> created{"lookup", 201};

  steps.look.push_back(plan::make_step("command", "read the command, its PATH, working directory and mounts as the engine will run them",
                                       "GET", "/containers/{create.Id}/json"));
  plan::Step stat = plan::make_step("command-lookup", "look the command up in the image as the runtime will, before anything runs",
                                    "HEAD", "/containers/{lookup.Id}/archive");
  // Whatever the engine cannot stat is left to the runtime to say (a socket proxy's 403 too).
  stat.accepted = {400, 403, 404, 500};
  stat.walk_summary = "with ?path= each place the command may be, one request each: for a name without '/', the directories "
                      "of its PATH in turn (passing over directories and files without an execute bit); for a symbolic "
                      "link, its target; before a refusal, the directories above them. Under a host bind: stated here, on "
                      "the host, following no link (not sent); under another mount: left to the runtime. Not found: exit 127; "
                      "a directory or a file without an execute bit: exit 126; in docker run's words, and nothing is started";
  std::vector<HostBind> binds = host_binds(options);
  // One lookup for the walk: each call takes the engine's answer to the previous one, then stats
  // what lies in a host bind itself, until a path needs the engine or the verdict is in.
  auto lookup = std::make_shared<std::optional<CommandLookup>>();
  stat.walk = [lookup, binds](const plan::Results& results, const std::vector<plan::Reply>& walked) -> std::optional<engine::Query> {
    const json::Value* inspect = results.find("command");
    if (!inspect) {
      return std::nullopt;
    }
    if (walked.empty()) {
      CommandToRun command = command_to_run(*inspect);
      command.binds = binds;
      lookup->emplace(std::move(command));
    } else if (!lookup->has_value()) {
      return std::nullopt; // not the walk this state belongs to: left to the runtime
    } else {
      (*lookup)->observe(walked.back().status, walked.back().body);
    }
    CommandLookup& look = **lookup;
    std::optional<std::string> path;
    for (path = look.next(); path; path = look.next()) {
      std::optional<std::pair<HostBind, std::string>> bound = look.in_bind(*path);
      if (!bound) {
        break;
      }
      auto [status, body] = stat_in_bind(bound->first, bound->second);
      look.observe(status, body);
    }
    look.throw_if_cannot_run();
    if (!path) {
      return std::nullopt;
    }
    return engine::Query{{"path", *path}};
  };
  steps.look.push_back(std::move(stat));
  for (plan::Step& step : more) {
    steps.look.push_back(std::move(step));
  }
  for (plan::Step& step : steps.look) {
    step.only_if_status = created;
  }

  steps.remove = volume::remove_helper_step("lookup-remove", "lookup");
  steps.remove.summary = "remove the lookup container";
  steps.remove.overlap = plan::Step::Overlap::reply_later;
  steps.remove.only_if_status = created;
  steps.cleanup = volume::remove_helper_cleanup("lookup-cleanup", "lookup", "lookup-remove");
  steps.cleanup.summary = "remove the lookup container";
  return steps;
}

} // namespace sandbox::run
