#pragma once

// The docker CLI's configuration directory and the parts of config.json the plugin honours.

#include "engine/environment.h"
#include "engine/global_options.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::engine {

struct ConfigFile
{
  std::string dir;                                            // the config directory
  std::optional<std::string> current_context;                 // "currentContext"
  std::vector<std::pair<std::string, std::string>> http_headers; // "HttpHeaders"
  std::optional<std::string> detach_keys;                     // "detachKeys", when not empty
  std::vector<std::string> warnings;                          // e.g. config.json unreadable
};

// --config, else $DOCKER_CONFIG, else $HOME/.docker.
std::string resolve_config_dir(const GlobalOptions& options, const Environment& env);

// Loads <dir>/config.json. A missing file is an empty config; an unparsable one is a warning,
// as in the docker CLI.
ConfigFile load_config_file(const std::string& dir);

} // namespace sandbox::engine
