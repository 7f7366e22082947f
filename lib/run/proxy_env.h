#pragma once

// config.json's "proxies", which the docker CLI turns into environment variables of the containers
// it creates. A sandbox gets them only when the user gave it a network: by default it has none,
// and a proxy address it cannot reach would only make tools inside wait and fail.

#include "engine/config_file.h"

#include <map>
#include <string>
#include <vector>

namespace sandbox::run {

struct RunOptions;

// The variables the docker CLI adds for `docker_host` (its entry in `proxies`, else "default"):
// HTTP_PROXY, HTTPS_PROXY, NO_PROXY, FTP_PROXY and ALL_PROXY, each also in lower case, those with a
// value, in that order, leaving out every name `env` (KEY=VALUE or KEY) already sets.
std::vector<std::string> proxy_env(const std::map<std::string, engine::ProxyConfig>& proxies,
                                   const std::string& docker_host, const std::vector<std::string>& env);

// Appends proxy_env() to options.env unless the sandbox's network is "none".
void add_proxy_env(RunOptions& options, const std::map<std::string, engine::ProxyConfig>& proxies,
                   const std::string& docker_host);

// The user information ("user:password" before '@') of the proxy URLs among `env`'s variables
// named *_PROXY in either spelling, from config.json or -e: what the dry run shows as <redacted>.
std::vector<std::string> proxy_secrets(const std::vector<std::string>& env);

} // namespace sandbox::run
