#include "run/proxy_env.h"

#include "run/run_options.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace sandbox::run {

std::vector<std::string> proxy_env(const std::map<std::string, engine::ProxyConfig>& proxies,
                                   const std::string& docker_host, const std::vector<std::string>& env)
{
  auto entry = proxies.find(docker_host);
  if (entry == proxies.end()) {
    entry = proxies.find("default");
  }
  if (entry == proxies.end()) {
    return {};
  }
  const engine::ProxyConfig& proxy = entry->second;
  const std::pair<const char*, const std::string*> variables[] = {
    {"HTTP_PROXY", &proxy.http_proxy}, {"HTTPS_PROXY", &proxy.https_proxy}, {"NO_PROXY", &proxy.no_proxy},
    {"FTP_PROXY", &proxy.ftp_proxy},   {"ALL_PROXY", &proxy.all_proxy},
  };
  auto is_set = [&env](const std::string& name) {
    return std::any_of(env.begin(), env.end(), [&name](const std::string& item) {
      return item.compare(0, item.find('='), name) == 0;
    });
  };
  std::vector<std::string> out;
  for (const auto& [upper, value] : variables) {
    if (value->empty()) {
      continue;
    }
    std::string lower = upper;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const std::string& name : {std::string(upper), lower}) {
      if (!is_set(name)) {
        out.push_back(name + "=" + *value);
      }
    }
  }
  return out;
}

void add_proxy_env(RunOptions& options, const std::map<std::string, engine::ProxyConfig>& proxies,
                   const std::string& docker_host)
{
  if (options.network == "none") {
    return;
  }
  for (std::string& variable : proxy_env(proxies, docker_host, options.env)) {
    options.env.push_back(std::move(variable));
  }
}

std::vector<std::string> proxy_secrets(const std::vector<std::string>& env)
{
  std::vector<std::string> secrets;
  for (const std::string& variable : env) {
    std::size_t equals = variable.find('=');
    if (equals == std::string::npos || equals < 6) {
      continue;
    }
    std::string suffix = variable.substr(equals - 6, 6);
    if (suffix != "_PROXY" && suffix != "_proxy") {
      continue;
    }
    std::string value = variable.substr(equals + 1);
    std::size_t scheme = value.find("://");
    std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    std::size_t at = value.rfind('@', value.find('/', start));
    if (at != std::string::npos && at > start) {
      secrets.push_back(value.substr(start, at - start));
    }
  }
  return secrets;
}

} // namespace sandbox::run
