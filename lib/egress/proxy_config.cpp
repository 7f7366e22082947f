#include "egress/proxy_config.h"

#include "egress/allowlist.h"
#include "util/error.h"
#include "util/json.h"
#include "util/printable.h"

namespace sandbox::egress {

namespace {

std::vector<std::string> strings(const json::Value& value, const std::string& key, std::vector<std::string>& problems)
{
  std::vector<std::string> out;
  if (!value.is_array()) {
    problems.push_back(key + ": expected a list of strings");
    return out;
  }
  for (const json::Value& element : value.elements()) {
    if (!element.is_string()) {
      problems.push_back(key + ": expected a list of strings");
      return {};
    }
    out.push_back(element.as_string());
  }
  return out;
}

std::int64_t positive(const json::Value& value, const std::string& key, std::vector<std::string>& problems)
{
  if (!value.is_int() || value.as_int() <= 0) {
    problems.push_back(key + ": expected a positive whole number");
    return 1;
  }
  return value.as_int();
}

} // namespace

ProxyConfig parse_proxy_config(std::string_view text)
{
  json::Value document;
  try {
    document = json::parse(text);
  } catch (const json::JsonError& e) {
    throw UsageError(std::string("the egress proxy configuration is not JSON: ") + e.what());
  }
  if (!document.is_object()) {
    throw UsageError("the egress proxy configuration is not a JSON object");
  }
  ProxyConfig config;
  std::vector<std::string> problems;
  if (!document.find("allow")) {
    problems.push_back("allow: missing");
  }
  for (const auto& [key, value] : document.members()) {
    if (key == "allow") {
      config.allow = strings(value, key, problems);
    } else if (key == "engine_host_addresses") {
      config.engine_host_addresses = strings(value, key, problems);
    } else if (key == "log") {
      if (!value.is_string() || value.as_string().empty()) {
        problems.push_back("log: expected \"-\" or a file path");
      } else {
        config.log = value.as_string();
      }
    } else if (key == "max_connections") {
      config.max_connections = static_cast<std::size_t>(positive(value, key, problems));
    } else if (key == "head_timeout_ms") {
      config.head_timeout = std::chrono::milliseconds(positive(value, key, problems));
    } else if (key == "connect_timeout_ms") {
      config.connect_timeout = std::chrono::milliseconds(positive(value, key, problems));
    } else if (key == "idle_timeout_ms") {
      config.idle_timeout = std::chrono::milliseconds(positive(value, key, problems));
    } else {
      problems.push_back(printable(key) + ": not a setting of the egress proxy");
    }
  }
  try {
    Allowlist check(config.allow, config.engine_host_addresses);
  } catch (const UsageError& e) {
    problems.push_back(e.what());
  }
  if (!problems.empty()) {
    std::string joined;
    for (const std::string& problem : problems) {
      joined += (joined.empty() ? "" : "\n") + problem;
    }
    throw UsageError(joined);
  }
  return config;
}

std::string proxy_config_json(const ProxyConfig& config)
{
  json::Value allow = json::Value::array();
  for (const std::string& rule : config.allow) {
    allow.push(rule);
  }
  json::Value engine_host = json::Value::array();
  for (const std::string& address : config.engine_host_addresses) {
    engine_host.push(address);
  }
  json::Value document = json::Value::object();
  document.set("allow", std::move(allow));
  document.set("engine_host_addresses", std::move(engine_host));
  document.set("log", config.log);
  document.set("max_connections", static_cast<long long>(config.max_connections));
  document.set("head_timeout_ms", static_cast<long long>(config.head_timeout.count()));
  document.set("connect_timeout_ms", static_cast<long long>(config.connect_timeout.count()));
  document.set("idle_timeout_ms", static_cast<long long>(config.idle_timeout.count()));
  return document.dump();
}

} // namespace sandbox::egress
