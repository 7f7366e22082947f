// The egress policy: rules, ports, wildcards, address rules and the addresses a name may not lead to.

#include "egress/allowlist.h"
#include "support.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using sandbox::egress::Address;
using sandbox::egress::Allowlist;
using sandbox::egress::Decision;
using sandbox::egress::Rule;

namespace {

Decision decide(const Allowlist& list, const std::string& host, std::uint16_t port, const std::string& resolved)
{
  return list.decide(host, port, *Address::parse(resolved));
}

std::string problems(const std::vector<std::string>& rules, const std::vector<std::string>& engine_host = {})
{
  return sandbox::test::message_of<sandbox::UsageError>([&] { Allowlist list(rules, engine_host); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(allowlist)

BOOST_AUTO_TEST_CASE(rules_as_written)
{
  Allowlist list({"Example.COM.", "*.pythonhosted.org:443", "192.0.2.1", "[2001:db8::1]:8443", "10.0.0.0/8:8080",
                  "2001:db8:1::/48", "[2001:db8:2::/48]:22"},
                 {});
  const std::vector<Rule>& rules = list.rules();
  BOOST_REQUIRE(rules.size() == 7);
  BOOST_TEST(rules[0].name == "example.com");
  BOOST_TEST((rules[0].ports == std::vector<std::uint16_t>{443, 80}));
  BOOST_TEST((rules[1].kind == Rule::Kind::wildcard));
  BOOST_TEST(rules[1].name == "pythonhosted.org");
  BOOST_TEST((rules[1].ports == std::vector<std::uint16_t>{443}));
  BOOST_TEST((rules[3].kind == Rule::Kind::network));
  BOOST_TEST((rules[3].ports == std::vector<std::uint16_t>{8443}));
  BOOST_TEST((rules[5].ports == std::vector<std::uint16_t>{443, 80}));
  BOOST_TEST((rules[6].ports == std::vector<std::uint16_t>{22}));
}

BOOST_AUTO_TEST_CASE(every_bad_rule_is_named_once)
{
  std::string text = problems({"ok.example", "", "a..b", "-a.example", "bücher.example", "x.example:0", "x.example:65536",
                               "x.example:", "x.example:http", "[::1", "[::1]x", "[example.com]:443", "10.0.0.0/33",
                               "a*.example", "*", "1.2.3", "127.1", "a_b.example:99999"},
                              {"172.17.0.1", "bridge"});
  BOOST_TEST(text.find("ok.example") == std::string::npos);
  BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 17);
  BOOST_TEST(text.find("--allow-host bücher.example: internationalized names are not supported: write the name in its "
                       "ASCII (xn--) form") != std::string::npos);
  BOOST_TEST(text.find("--allow-host x.example:0: the port must be a number from 1 to 65535") != std::string::npos);
  BOOST_TEST(text.find("--allow-host 127.1: not an IP address, and a DNS name does not end in a numeric label") !=
             std::string::npos);
  BOOST_TEST(text.find("engine host address bridge: not an IP address or CIDR block") != std::string::npos);
  BOOST_TEST(problems({std::string("a\x1b[2J.example")}).find("\\x1b") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(names_and_ports)
{
  Allowlist list({"example.com", "api.example.net:8443"}, {});
  BOOST_TEST(list.check_host("example.com", 443).allowed);
  BOOST_TEST(list.check_host("EXAMPLE.com.", 80).allowed);
  BOOST_TEST(!list.check_host("example.com", 22).allowed);
  BOOST_TEST(list.check_host("example.com", 22).reason == "no rule allows example.com:22");
  BOOST_TEST(!list.check_host("www.example.com", 443).allowed);
  BOOST_TEST(!list.check_host("example.com.evil.test", 443).allowed);
  BOOST_TEST(list.check_host("api.example.net", 8443).allowed);
  BOOST_TEST(list.check_host("api.example.net", 8443).reason == "allowed by api.example.net:8443");
  BOOST_TEST(!list.check_host("api.example.net", 443).allowed);
}

BOOST_AUTO_TEST_CASE(a_wildcard_matches_subdomains_only)
{
  Allowlist list({"*.example.com"}, {});
  BOOST_TEST(list.check_host("a.example.com", 443).allowed);
  BOOST_TEST(list.check_host("a.b.Example.com", 80).allowed);
  BOOST_TEST(!list.check_host("example.com", 443).allowed);
  BOOST_TEST(!list.check_host("badexample.com", 443).allowed);
  BOOST_TEST(!list.check_host("a.example.com.evil.test", 443).allowed);
}

BOOST_AUTO_TEST_CASE(address_literals_need_address_rules)
{
  Allowlist list({"192.0.2.0/24:443", "[2001:db8::1]", "example.com"}, {});
  BOOST_TEST(list.check_host("192.0.2.55", 443).allowed);
  BOOST_TEST(!list.check_host("192.0.2.55", 80).allowed);
  BOOST_TEST(!list.check_host("198.51.100.1", 443).allowed);
  BOOST_TEST(list.check_host("2001:db8::1", 80).allowed);
  BOOST_TEST(list.check_host("::ffff:192.0.2.1", 443).allowed);
  BOOST_TEST(!list.check_host("2001:db8::2", 443).allowed);
  BOOST_TEST(list.check_host("2001:db8::2", 443).reason == "no rule allows [2001:db8::2]:443");
  BOOST_TEST(decide(list, "192.0.2.1", 443, "192.0.2.1").allowed);
}

BOOST_AUTO_TEST_CASE(a_name_leading_to_a_special_address_is_refused)
{
  Allowlist list({"example.com", "*.example.org"}, {});
  BOOST_TEST(decide(list, "example.com", 443, "93.184.216.34").allowed);
  BOOST_TEST(decide(list, "example.com", 443, "93.184.216.34").reason == "allowed by example.com");
  for (const char* special : {"127.0.0.1", "::1", "169.254.169.254", "fe80::1", "0.0.0.0", "::", "224.0.0.251",
                              "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"}) {
    BOOST_TEST(!decide(list, "example.com", 443, special).allowed, special);
  }
  BOOST_TEST(decide(list, "example.com", 443, "169.254.169.254").reason ==
             "example.com resolves to 169.254.169.254, a link-local address, which only an address rule allows");
  BOOST_TEST(decide(list, "x.example.org", 443, "::ffff:127.0.0.1").reason ==
             "x.example.org resolves to 127.0.0.1, a loopback address, which only an address rule allows");
}

BOOST_AUTO_TEST_CASE(an_address_rule_lets_a_name_reach_a_special_address)
{
  Allowlist list({"localhost:8080", "127.0.0.1:8080", "metadata.internal", "169.254.0.0/16:80"}, {});
  BOOST_TEST(decide(list, "localhost", 8080, "127.0.0.1").allowed);
  BOOST_TEST(decide(list, "localhost", 8080, "127.0.0.1").reason == "allowed by localhost:8080 and 127.0.0.1:8080");
  BOOST_TEST(!decide(list, "localhost", 8080, "127.0.0.2").allowed);
  BOOST_TEST(decide(list, "metadata.internal", 80, "169.254.169.254").allowed);
  BOOST_TEST(!decide(list, "metadata.internal", 443, "169.254.169.254").allowed);
}

BOOST_AUTO_TEST_CASE(dns_rebinding_to_the_engine_host_is_refused)
{
  Allowlist list({"rebind.example"}, {"172.17.0.1", "fd00:dead::/64"});
  BOOST_TEST(decide(list, "rebind.example", 443, "198.51.100.7").allowed);
  BOOST_TEST(!decide(list, "rebind.example", 443, "172.17.0.1").allowed);
  BOOST_TEST(decide(list, "rebind.example", 443, "172.17.0.1").reason ==
             "rebind.example resolves to 172.17.0.1, an engine host address, which only an address rule allows");
  BOOST_TEST(!decide(list, "rebind.example", 443, "fd00:dead::5").allowed);
  BOOST_TEST(!decide(list, "rebind.example", 443, "127.0.0.1").allowed);
  Allowlist explicit_host({"rebind.example", "172.17.0.1:443"}, {"172.17.0.1"});
  BOOST_TEST(decide(explicit_host, "rebind.example", 443, "172.17.0.1").allowed);
}

BOOST_AUTO_TEST_CASE(a_name_rule_never_allows_an_address_literal)
{
  Allowlist list({"example.com"}, {});
  BOOST_TEST(!decide(list, "93.184.216.34", 443, "93.184.216.34").allowed);
  BOOST_TEST(!list.check_host("127.0.0.1", 443).allowed);
}

BOOST_AUTO_TEST_SUITE_END()
