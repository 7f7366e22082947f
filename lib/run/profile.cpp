#include "run/profile.h"

#include "run/profile_schema.h"
#include "util/error.h"
#include "util/file.h"
#include "util/json_schema.h"
#include "util/paths.h"

#include <cstdio>

namespace sandbox::run {

namespace {

constexpr std::size_t k_max_profile_bytes = 1024 * 1024;

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

} // namespace

const char* profile_schema()
{
  return k_profile_schema;
}

json::Value load_profile(const std::string& path)
{
  std::string text;
  try {
    text = read_regular_file(path, k_max_profile_bytes);
  } catch (const Error& e) {
    throw UsageError("profile: " + std::string(e.what()));
  }
  return parse_profile(text, path);
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

std::optional<std::string> find_profile(const std::optional<std::string>& explicit_path, const std::string& workspace)
{
  if (explicit_path) {
    return explicit_path;
  }
  std::string candidate = workspace + "/.docker-sandbox.json";
  return path_exists(candidate) ? std::optional<std::string>(candidate) : std::nullopt;
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
    if (std::string(key) == "output" && (*flag == profile_dir || *flag == profile_dir + "/"
                                         || ("/" + path + "/").find("/.git/") != std::string::npos)) {
      throw UsageError(what + ": the output directory may be neither the project itself nor inside .git");
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
  fill(flags.env, profile["env"]);
  fill(flags.cap_add, profile["cap_add"]);
  fill(flags.exclude, profile["exclude"]);
  fill(flags.tmpfs, profile["tmpfs"]);
  const json::Value& mounts = profile["mounts"];
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

std::vector<std::string> profile_relaxations(const json::Value& profile)
{
  std::vector<std::string> out;
  std::string network = profile.string_or("network", "none");
  if (network != "none") {
    out.push_back("network " + network);
  }
  if (profile["cap_add"].is_array() && profile["cap_add"].size() > 0) {
    std::string caps;
    for (const json::Value& cap : profile["cap_add"].elements()) {
      caps += (caps.empty() ? "" : ",") + cap.as_string();
    }
    out.push_back("capabilities " + caps);
  }
  if (profile["user"].is_string()) {
    out.push_back("user " + profile["user"].as_string());
  }
  if (profile["mounts"]["workspace_rw"].is_bool() && profile["mounts"]["workspace_rw"].as_bool()) {
    out.push_back("a writable workspace");
  }
  if (profile["entrypoint"].is_string()) {
    out.push_back("entrypoint " + profile["entrypoint"].as_string());
  }
  for (const char* key : {"workspace", "output"}) {
    if (profile["mounts"][key].is_string()) {
      out.push_back(std::string(key) + " directory " + profile["mounts"][key].as_string());
    }
  }
  if (profile["exclude"].is_array() && profile["exclude"].size() > 0) {
    out.push_back("writable, executable scratch space over exclude paths");
  }
  if (profile["tmpfs"].is_array()) {
    for (const json::Value& tmpfs : profile["tmpfs"].elements()) {
      std::string spec = tmpfs.as_string();
      if (("," + spec.substr(spec.find(':') == std::string::npos ? spec.size() : spec.find(':') + 1) + ",").find(",exec,")
          != std::string::npos) {
        out.push_back("executable tmpfs " + spec);
      }
    }
  }
  const json::Value& limits = profile["limits"];
  if (limits["memory"].is_string() && limits["memory"].as_string() == "0") {
    out.push_back("no memory limit");
  }
  if (limits["pids"].is_number() && limits["pids"].as_int() <= 0) {
    out.push_back("no pids limit");
  }
  return out;
}

} // namespace sandbox::run
