#pragma once

// The egress proxy's configuration: a JSON file the plugin uploads next to the proxy binary.
//   {"allow": ["pypi.org", "*.pythonhosted.org:443", "10.0.0.0/8:8080"],
//    "engine_host_addresses": ["172.17.0.1"], "log": "-",
//    "max_connections": 1024, "head_timeout_ms": 10000, "connect_timeout_ms": 10000,
//    "idle_timeout_ms": 300000}
// Only "allow" is required (the rules of --allow-host). "engine_host_addresses" are addresses or
// CIDR blocks a name may reach only through an address rule; "log" is "-" (standard output, the
// default) or a file to append to.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::egress {

struct ProxyConfig
{
  std::vector<std::string> allow;
  std::vector<std::string> engine_host_addresses;
  std::string log = "-";
  std::size_t max_connections = 1024;
  std::chrono::milliseconds head_timeout{10'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds idle_timeout{300'000};
};

// Reads the configuration from JSON text; throws UsageError naming every problem (unknown keys,
// wrong types, bad rules), one per line.
ProxyConfig parse_proxy_config(std::string_view text);

// The configuration as the JSON text parse_proxy_config reads.
std::string proxy_config_json(const ProxyConfig& config);

} // namespace sandbox::egress
