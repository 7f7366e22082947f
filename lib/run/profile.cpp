#include "run/profile.h"

#include "run/profile_schema.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/file.h"
#include "util/json_schema.h"
#include "util/paths.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sys/stat.h>

namespace sandbox::run {

namespace {

constexpr std::size_t k_max_profile_bytes = 1024 * 1024;

std::string join(const std::vector<std::string>& parts, const std::string& separator)
{
  std::string out;
  for (const std::string& part : parts) {
    out += (out.empty() ? "" : separator) + part;
  }
  return out;
}

void fill(std::optional<std::string>& flag, const json::Value& value)
{
  if (!flag && value.is_string()) {
    flag = value.as_string();
  }
}

void fill(std::vector<std::string>& flag, const json::Value& value)
{
  if (flag.empty() && value.is_array()) {
    for (const json::Value& item : value.elements()) {
      flag.push_back(item.as_string());
    }
  }
}

std::string number_text(const json::Value& value)
{
  if (value.is_int()) {
    return std::to_string(value.as_int());
  }
  char text[32];
  std::snprintf(text, sizeof text, "%g", value.as_double());
  return text;
}

// What the host's git runs (hooks, a submodule's gitdir with core.fsmonitor) must stay out of a
// writable mount: .git in any letter case (case-insensitive file systems) on the way, or inside.
bool touches_git(const std::string& path)
{
  std::string lower;
  for (char c : path) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  struct stat st;
  return (lower + "/").find("/.git/") != std::string::npos || ::lstat((path + "/.git").c_str(), &st) == 0;
}

} // namespace

const char* profile_schema()
{
  return k_profile_schema;
}

ProfileFile load_profile(const std::string& path, bool follow_links)
{
  FileSnapshot snapshot;
  try {
    snapshot = snapshot_regular_file(path, k_max_profile_bytes, follow_links);
  } catch (const Error& e) {
    throw UsageError("profile: " + std::string(e.what()));
  }
  ProfileFile profile;
  profile.path = snapshot.real_path;
  profile.dir = snapshot.real_path.substr(0, std::max<std::size_t>(snapshot.real_path.rfind('/'), 1));
  profile.sha256 = sha256_hex(snapshot.content);
  profile.settings = parse_profile(snapshot.content, path);
  return profile;
}

json::Value parse_profile(const std::string& text, const std::string& path)
{
  try {
    std::vector<json::SchemaProblem> problems = json::validate(profile_schema(), text);
    if (!problems.empty()) {
      std::string where = problems.front().where.empty() ? "the top level" : problems.front().where;
      throw UsageError("profile " + path + ": " + where + ": " + problems.front().what);
    }
    return json::parse(text);
  } catch (const json::JsonError& e) {
    throw UsageError("profile " + path + ": " + e.what());
  }
}

void apply_profile(const json::Value& profile, const std::string& profile_dir, RunFlags& flags)
{
  auto inside = [&](const char* key, std::optional<std::string>& flag) {
    const json::Value& value = profile["mounts"][key];
    if (flag || !value.is_string()) {
      return;
    }
    const std::string& path = value.as_string();
    if (path == "none") {
      flag = path;
      return;
    }
    std::string what = "profile: mounts." + std::string(key) + " \"" + path + "\"";
    flag = resolve_inside(profile_dir, path, what);
    if (std::string(key) == "output" && (*flag == profile_dir || *flag == profile_dir + "/" || touches_git(*flag))) {
      throw UsageError(what + ": the output directory may be neither the project itself, nor inside .git, nor hold a .git");
    }
  };
  inside("workspace", flags.workspace);
  inside("output", flags.output);
  if (flags.image.empty() && profile["image"].is_string()) {
    flags.image = profile["image"].as_string();
    if (flags.command.empty()) {
      fill(flags.command, profile["command"]);
    }
  }
  fill(flags.entrypoint, profile["entrypoint"]);
  fill(flags.user, profile["user"]);
  fill(flags.workdir, profile["workdir"]);
  fill(flags.network, profile["network"]);
  fill(flags.allow_hosts, profile["egress"]["allow"]);
  fill(flags.env, profile["env"]);
  fill(flags.cap_add, profile["cap_add"]);
  fill(flags.exclude, profile["exclude"]);
  fill(flags.tmpfs, profile["tmpfs"]);
  fill(flags.runtime, profile["runtime"]);
  fill(flags.isolation, profile["isolation"]);
  fill(flags.seccomp_profile, profile["seccomp_profile"]); // "unconfined" only (the schema)
  flags.writable_root = flags.writable_root || profile["writable_root"] == json::Value(true);
  flags.allow_new_privileges = flags.allow_new_privileges || profile["allow_new_privileges"] == json::Value(true);
  const json::Value& mounts = profile["mounts"];
  fill(flags.workspace_target, mounts["workspace_target"]);
  fill(flags.output_target, mounts["output_target"]);
  if (!flags.workspace_rw && mounts["workspace_rw"].is_bool()) {
    flags.workspace_rw = mounts["workspace_rw"].as_bool();
  }
  const json::Value& limits = profile["limits"];
  fill(flags.memory, limits["memory"]);
  fill(flags.timeout, limits["timeout"]);
  if (!flags.cpus && limits["cpus"].is_number()) {
    flags.cpus = number_text(limits["cpus"]);
  }
  if (!flags.pids_limit && limits["pids"].is_number()) {
    flags.pids_limit = number_text(limits["pids"]);
  }
}

std::string never_accepted(const std::vector<Relaxation>& relaxations)
{
  std::vector<std::string> texts;
  for (const Relaxation& relaxation : relaxations) {
    if (relaxation.forbidden) {
      texts.push_back(relaxation.text());
    }
  }
  return join(texts, "; ");
}

std::optional<AppliedProfile> use_project_profile(RunFlags& flags, const std::string& cwd, const ConsentStore& store,
                                                  const std::string& program)
{
  if (flags.profile == "none") {
    return std::nullopt;
  }
  AppliedProfile applied;
  applied.named = flags.profile.has_value();
  std::string path;
  if (applied.named) {
    path = absolute_path(*flags.profile, cwd);
  } else {
    std::string workspace = flags.workspace && *flags.workspace != "none" ? absolute_path(*flags.workspace, cwd) : cwd;
    path = workspace + "/" + k_profile_file_name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      return std::nullopt;
    }
  }
  ProfileFile profile = load_profile(path, applied.named);
  applied.path = profile.path;
  applied.relaxations = profile_relaxations(profile.settings, flags);

  std::vector<std::string> keys;
  for (const Relaxation& relaxation : applied.relaxations) {
    if (std::find(keys.begin(), keys.end(), relaxation.key) == keys.end()) {
      keys.push_back(relaxation.key);
    }
  }
  std::string forbidden = never_accepted(applied.relaxations);
  if (!forbidden.empty()) {
    throw UsageError("profile " + profile.path + ": " + forbidden + " (a flag on the command line can still ask for it)",
                     "--profile none runs without the profile");
  }
  if (!keys.empty() && !applied.named && store.inside(profile.dir)) {
    throw UsageError("profile " + profile.path + " relaxes the sandbox (" + join(keys, ", ") + "), and the consent store "
                       + store.path() + " lies inside the project, which could have written it: refusing to read consent from it",
                     "point DOCKER_CONFIG (or --config) outside the project");
  }
  if (!keys.empty() && !applied.named && !store.trusts(profile.path, profile.sha256)) {
    throw UsageError("profile " + profile.path + " relaxes the sandbox (" + join(keys, ", ")
                       + ") and you have not trusted this content: review it, then run '" + program + " trust "
                       + profile.path + "'",
                     "--profile none runs without the profile");
  }
  apply_profile(profile.settings, profile.dir, flags);
  return applied;
}

} // namespace sandbox::run
