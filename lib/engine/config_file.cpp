#include "engine/config_file.h"

#include "util/file.h"
#include "util/json.h"

#include <pwd.h>
#include <unistd.h>

namespace sandbox::engine {

std::string resolve_config_dir(const GlobalOptions& options, const Environment& env)
{
  if (options.config_dir) {
    return *options.config_dir;
  }
  if (std::optional<std::string> dir = non_empty(env, "DOCKER_CONFIG")) {
    return *dir;
  }
  std::optional<std::string> home = non_empty(env, "HOME");
  if (!home) {
    const passwd* entry = getpwuid(getuid());
    home = entry && entry->pw_dir ? entry->pw_dir : "/";
  }
  return *home + "/.docker";
}

ConfigFile load_config_file(const std::string& dir)
{
  ConfigFile config;
  config.dir = dir;
  std::string path = dir + "/config.json";
  std::optional<std::string> text = read_file_if_exists(path);
  if (!text) {
    return config;
  }
  try {
    json::Value root = json::parse(*text);
    if (const json::Value* current = root.find("currentContext"); current && current->is_string()
        && !current->as_string().empty()) {
      config.current_context = current->as_string();
    }
    if (const json::Value* keys = root.find("detachKeys"); keys && keys->is_string() && !keys->as_string().empty()) {
      config.detach_keys = keys->as_string();
    }
    if (const json::Value* headers = root.find("HttpHeaders"); headers && headers->is_object()) {
      for (const json::Member& header : headers->members()) {
        if (header.second.is_string()) {
          config.http_headers.emplace_back(header.first, header.second.as_string());
        }
      }
    }
  } catch (const json::JsonError& e) {
    config.warnings.push_back("loading config file " + path + ": " + e.what());
  }
  return config;
}

} // namespace sandbox::engine
