#include "run/profile.h"

#include "run/profile_schema.h"
#include "util/error.h"
#include "util/file.h"
#include "util/json_schema.h"

#include <cstdio>

namespace sandbox::run {

namespace {

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
    text = read_file(path);
  } catch (const Error& e) {
    throw UsageError("profile: " + std::string(e.what()));
  }
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

void apply_profile(const json::Value& profile, RunFlags& flags)
{
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
  fill(flags.workspace, mounts["workspace"]);
  fill(flags.output, mounts["output"]);
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

} // namespace sandbox::run
