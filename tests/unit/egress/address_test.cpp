// Addresses and blocks as the egress policy compares them.

#include "egress/address.h"

#include <boost/test/unit_test.hpp>

#include <string>

using sandbox::egress::Address;
using sandbox::egress::Network;
using sandbox::egress::special_kind;

namespace {

Address ip(const std::string& text)
{
  std::optional<Address> parsed = Address::parse(text);
  BOOST_REQUIRE_MESSAGE(parsed.has_value(), text);
  return *parsed;
}

bool in(const std::string& block, const std::string& text)
{
  std::optional<Network> network = Network::parse(block);
  BOOST_REQUIRE_MESSAGE(network.has_value(), block);
  return network->contains(ip(text));
}

} // namespace

BOOST_AUTO_TEST_SUITE(address)

BOOST_AUTO_TEST_CASE(literals)
{
  BOOST_TEST(ip("192.0.2.1").text() == "192.0.2.1");
  BOOST_TEST(ip("2001:DB8::1").text() == "2001:db8::1");
  BOOST_TEST(ip("::ffff:127.0.0.1").text() == "127.0.0.1");
  BOOST_TEST(!ip("::ffff:127.0.0.1").is_v6());
  for (const char* bad : {"", "example.com", "127.1", "0x7f.0.0.1", "1.2.3.4.5", "[::1]", "fe80::1%eth0", "::1/128"}) {
    BOOST_TEST(!Address::parse(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(blocks)
{
  BOOST_TEST(in("10.0.0.0/8", "10.200.3.4"));
  BOOST_TEST(!in("10.0.0.0/8", "11.0.0.1"));
  BOOST_TEST(in("192.0.2.7", "192.0.2.7"));
  BOOST_TEST(!in("192.0.2.7", "192.0.2.8"));
  BOOST_TEST(in("0.0.0.0/0", "203.0.113.9"));
  BOOST_TEST(!in("0.0.0.0/0", "2001:db8::1"));
  BOOST_TEST(in("2001:db8::/32", "2001:db8:ffff::1"));
  BOOST_TEST(!in("2001:db8::/33", "2001:db8:ffff::1"));
  BOOST_TEST(in("10.0.0.0/9", "10.127.255.255"));
  BOOST_TEST(!in("10.0.0.0/9", "10.128.0.0"));
  BOOST_TEST(in("::ffff:127.0.0.0/104", "127.9.9.9"));
  BOOST_TEST(in("127.0.0.0/8", "::ffff:127.0.0.1"));
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "::/129", "::ffff:1.2.3.4/95", "x/8"}) {
    BOOST_TEST(!Network::parse(bad).has_value(), bad);
  }
  BOOST_TEST(Network::parse("10.1.2.3/8")->text() == "10.1.2.3/8");
}

BOOST_AUTO_TEST_CASE(special_addresses)
{
  BOOST_TEST(special_kind(ip("127.0.0.1")) == "loopback");
  BOOST_TEST(special_kind(ip("127.255.0.1")) == "loopback");
  BOOST_TEST(special_kind(ip("::1")) == "loopback");
  BOOST_TEST(special_kind(ip("::ffff:127.0.0.1")) == "loopback");
  BOOST_TEST(special_kind(ip("169.254.169.254")) == "link-local");
  BOOST_TEST(special_kind(ip("::ffff:169.254.169.254")) == "link-local");
  BOOST_TEST(special_kind(ip("fe80::1")) == "link-local");
  BOOST_TEST(special_kind(ip("febf::1")) == "link-local");
  BOOST_TEST(special_kind(ip("0.0.0.0")) == "unspecified");
  BOOST_TEST(special_kind(ip("::")) == "unspecified");
  BOOST_TEST(special_kind(ip("224.0.0.1")) == "multicast");
  BOOST_TEST(special_kind(ip("ff02::1")) == "multicast");
  BOOST_TEST(special_kind(ip("255.255.255.255")) == "broadcast");
  for (const char* ordinary : {"10.0.0.1", "172.17.0.1", "8.8.8.8", "2001:db8::1", "fec0::1", "::2"}) {
    BOOST_TEST(special_kind(ip(ordinary)) == "", ordinary);
  }
}

BOOST_AUTO_TEST_SUITE_END()
