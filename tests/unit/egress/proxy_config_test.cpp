// The egress proxy's configuration file.

#include "egress/proxy_config.h"
#include "support.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

#include <string>

using sandbox::egress::parse_proxy_config;
using sandbox::egress::ProxyConfig;

namespace {

std::string problems(const std::string& text)
{
  return sandbox::test::message_of<sandbox::UsageError>([&] { parse_proxy_config(text); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(proxy_config)

BOOST_AUTO_TEST_CASE(defaults)
{
  ProxyConfig config = parse_proxy_config(R"({"allow": ["example.com"]})");
  BOOST_TEST(config.allow.size() == 1u);
  BOOST_TEST(config.log == "-");
  BOOST_TEST(config.max_connections == 1024u);
  BOOST_TEST(config.head_timeout.count() == 10000);
  BOOST_TEST(config.idle_timeout.count() == 300000);
}

BOOST_AUTO_TEST_CASE(round_trip)
{
  ProxyConfig config;
  config.allow = {"*.example.com:443", "10.0.0.0/8"};
  config.engine_host_addresses = {"172.17.0.1"};
  config.log = "/egress/log";
  config.max_connections = 7;
  config.head_timeout = std::chrono::milliseconds(100);
  config.connect_timeout = std::chrono::milliseconds(200);
  config.idle_timeout = std::chrono::milliseconds(300);
  ProxyConfig again = parse_proxy_config(sandbox::egress::proxy_config_json(config));
  BOOST_TEST(again.allow == config.allow);
  BOOST_TEST(again.engine_host_addresses == config.engine_host_addresses);
  BOOST_TEST(again.log == config.log);
  BOOST_TEST(again.max_connections == 7u);
  BOOST_TEST(again.head_timeout.count() == 100);
  BOOST_TEST(again.connect_timeout.count() == 200);
  BOOST_TEST(again.idle_timeout.count() == 300);
}

BOOST_AUTO_TEST_CASE(every_problem_at_once)
{
  std::string text = problems(R"({"allow": ["ok.example", "bad..example"], "engine_host_addresses": [1],)"
                              R"( "log": "", "max_connections": 0, "idle_timeout_ms": "5s", "listen": 3128})");
  BOOST_TEST(text == "engine_host_addresses: expected a list of strings\n"
                     "log: expected \"-\" or a file path\n"
                     "max_connections: expected a positive whole number\n"
                     "idle_timeout_ms: expected a positive whole number\n"
                     "listen: not a setting of the egress proxy\n"
                     "--allow-host bad..example: each dot-separated label of a name has 1 to 63 characters");
  BOOST_TEST(problems("{}") == "allow: missing");
  BOOST_TEST(problems("[]") == "the egress proxy configuration is not a JSON object");
  BOOST_TEST(problems("{").starts_with("the egress proxy configuration is not JSON: "));
}

BOOST_AUTO_TEST_SUITE_END()
