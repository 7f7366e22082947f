#pragma once

// The docker CLI's configuration directory and the parts of config.json the plugin honours.

#include "engine/environment.h"
#include "engine/global_options.h"
#include "engine/registry_auth.h"

#include <map>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::engine {

// One entry of "proxies": what the docker CLI gives containers as HTTP_PROXY and the others.
struct ProxyConfig
{
  std::string http_proxy;  // "httpProxy"
  std::string https_proxy; // "httpsProxy"
  std::string no_proxy;    // "noProxy"
  std::string ftp_proxy;   // "ftpProxy"
  std::string all_proxy;   // "allProxy"
};

struct ConfigFile
{
  std::string dir;                                            // the config directory
  std::optional<std::string> current_context;                 // "currentContext"
  std::vector<std::pair<std::string, std::string>> http_headers; // "HttpHeaders"
  std::optional<std::string> detach_keys;                     // "detachKeys", when not empty
  CredentialConfig credentials;                               // "auths", "credsStore", "credHelpers"
  std::map<std::string, ProxyConfig> proxies;                 // "proxies": by docker host, or "default"
  std::optional<std::string> ps_format;                       // "psFormat": ls without --format
  std::optional<std::string> volumes_format;                  // "volumesFormat": volume ls without --format
  std::vector<std::string> warnings;                          // e.g. config.json unreadable
};

// --config, else $DOCKER_CONFIG, else $HOME/.docker.
std::string resolve_config_dir(const GlobalOptions& options, const Environment& env);

// Loads <dir>/config.json. A missing file is an empty config; an unparsable one is a warning,
// as in the docker CLI.
ConfigFile load_config_file(const std::string& dir);

} // namespace sandbox::engine
