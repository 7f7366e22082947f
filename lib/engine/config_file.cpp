#include "engine/config_file.h"

#include "util/error.h"
#include "util/file.h"
#include "util/json.h"

#include <pwd.h>
#include <unistd.h>

#include <tuple>

namespace sandbox::engine {

namespace {

// "auths": an entry whose "auth" field is not base64 of user:password is left out with a warning
// (the docker CLI refuses the whole file), which never quotes the field.
void read_credentials(const json::Value& root, const std::string& path, ConfigFile& config)
{
  if (const json::Value* store = root.find("credsStore"); store && store->is_string()) {
    config.credentials.creds_store = store->as_string();
  }
  if (const json::Value* helpers = root.find("credHelpers"); helpers && helpers->is_object()) {
    for (const json::Member& helper : helpers->members()) {
      if (helper.second.is_string() && !helper.second.as_string().empty()) {
        config.credentials.cred_helpers[helper.first] = helper.second.as_string();
      }
    }
  }
  const json::Value* auths = root.find("auths");
  if (!auths || !auths->is_object()) {
    return;
  }
  for (const json::Member& entry : auths->members()) {
    if (!entry.second.is_object()) {
      continue;
    }
    AuthConfig auth;
    auth.username = entry.second.string_or("username");
    auth.password = entry.second.string_or("password");
    auth.identity_token = entry.second.string_or("identitytoken");
    auth.registry_token = entry.second.string_or("registrytoken");
    if (std::string field = entry.second.string_or("auth"); !field.empty()) {
      try {
        std::tie(auth.username, auth.password) = decode_auth_field(field);
      } catch (const Error& e) {
        config.warnings.push_back("loading config file " + path + ": auths entry " + entry.first + ": " + e.what());
        continue;
      }
    }
    auth.server_address = entry.first;
    config.credentials.auths[entry.first] = auth;
  }
}

void read_proxies(const json::Value& root, ConfigFile& config)
{
  const json::Value* proxies = root.find("proxies");
  if (!proxies || !proxies->is_object()) {
    return;
  }
  for (const json::Member& entry : proxies->members()) {
    ProxyConfig proxy;
    proxy.http_proxy = entry.second.string_or("httpProxy");
    proxy.https_proxy = entry.second.string_or("httpsProxy");
    proxy.no_proxy = entry.second.string_or("noProxy");
    proxy.ftp_proxy = entry.second.string_or("ftpProxy");
    proxy.all_proxy = entry.second.string_or("allProxy");
    config.proxies[entry.first] = proxy;
  }
}

} // namespace

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
  config.credentials.config_path = path;
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
    for (auto [key, field] : {std::pair{"psFormat", &config.ps_format}, std::pair{"volumesFormat", &config.volumes_format}}) {
      if (const json::Value* format = root.find(key); format && format->is_string() && !format->as_string().empty()) {
        *field = format->as_string();
      }
    }
    if (const json::Value* headers = root.find("HttpHeaders"); headers && headers->is_object()) {
      for (const json::Member& header : headers->members()) {
        if (header.second.is_string()) {
          config.http_headers.emplace_back(header.first, header.second.as_string());
        }
      }
    }
    read_credentials(root, path, config);
    read_proxies(root, config);
  } catch (const json::JsonError& e) {
    config.warnings.push_back("loading config file " + path + ": " + e.what());
  }
  return config;
}

} // namespace sandbox::engine
