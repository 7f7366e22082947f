// The proxy's listening address: its one address in the internal network's block, never the egress
// network's; and the host's own addresses.

#include "egress/local_addresses.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <bit>
#include <string>
#include <vector>

using sandbox::egress::Address;
using sandbox::egress::Network;

namespace {

std::vector<Address> ips(std::initializer_list<const char*> texts)
{
  std::vector<Address> out;
  for (const char* text : texts) {
    out.push_back(*Address::parse(text));
  }
  return out;
}

Network block(const char* text)
{
  return *Network::parse(text);
}

} // namespace

BOOST_AUTO_TEST_SUITE(local_addresses)

BOOST_AUTO_TEST_CASE(the_address_in_the_internal_block_whatever_the_interface_order)
{
  // The egress network's address comes first or second, as engines attach them.
  for (const auto& addresses : {ips({"172.17.0.3", "172.18.0.2", "fe80::1"}), ips({"fe80::1", "172.18.0.2", "172.17.0.3"})}) {
    BOOST_TEST(sandbox::egress::address_in_block(block("172.18.0.0/16"), addresses).text() == "172.18.0.2");
  }
  BOOST_TEST(sandbox::egress::address_in_block(block("fd00:1::/64"), ips({"172.17.0.3", "fd00:1::2"})).text() == "fd00:1::2");
}

BOOST_AUTO_TEST_CASE(none_or_two_in_the_block_is_an_error_that_names_them)
{
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([] {
               sandbox::egress::address_in_block(block("172.18.0.0/16"), ips({"172.17.0.3", "fe80::1"}));
             })
             == "no address in 172.18.0.0/16 (this container has 172.17.0.3, fe80::1)");
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([] { sandbox::egress::address_in_block(block("10.0.0.0/8"), {}); })
             == "no address in 10.0.0.0/8 (this container has none)");
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([] {
               sandbox::egress::address_in_block(block("10.0.0.0/8"), ips({"10.0.0.2", "10.1.0.2"}));
             })
             == "more than one address in 10.0.0.0/8 (this container has 10.0.0.2, 10.1.0.2)");
}

BOOST_AUTO_TEST_CASE(the_gateways_of_a_routing_table)
{
  // /proc/net/route of a container on two networks, as a little-endian kernel prints it: the default
  // route via 172.17.0.1 (flags UG), two links without a gateway, and a route via 10.1.2.254;
  // a malformed line and a gateway without the flag are ignored, and each gateway counts once.
  const char* table = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                      "eth1\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                      "eth1\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
                      "eth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                      "eth0\t0000000A\tFE02010A\t0003\t0\t0\t0\t000000FF\t0\t0\t0\n"
                      "eth0\t0000000B\t0100000B\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n"
                      "garbage\n"
                      "eth1\t00000000\t010011AC\t0003\t0\t0\t100\t00000000\t0\t0\t0";
  if constexpr (std::endian::native == std::endian::little) {
    BOOST_TEST((sandbox::egress::route_gateways(table) == ips({"172.17.0.1", "10.1.2.254"})));
  }
  BOOST_TEST(sandbox::egress::route_gateways("").empty());
  BOOST_TEST(sandbox::egress::route_gateways("Iface\tDestination\tGateway\n").empty());
}

BOOST_AUTO_TEST_CASE(the_ipv6_gateways_of_a_routing_table)
{
  // /proc/net/ipv6_route: a link route (no next hop), the default route via fd00::1 (flags 0x3),
  // a route via fe80::1 without the gateway flag, the same gateway again, a cut line.
  const char* table = "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
                      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
                      "20010db8000000000000000000000000 20 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000002 00000000 00000001     eth0\n"
                      "20010db8000100000000000000000000 30 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth1\n"
                      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd0000000000";
  BOOST_TEST((sandbox::egress::route_gateways_v6(table) == ips({"fd00::1"})));
  BOOST_TEST(sandbox::egress::route_gateways_v6("").empty());
}

BOOST_AUTO_TEST_CASE(this_hosts_addresses_leave_out_loopback)
{
  std::vector<Address> addresses = sandbox::egress::local_addresses();
  BOOST_TEST(std::none_of(addresses.begin(), addresses.end(), [](const Address& a) { return a.text() == "127.0.0.1" || a.text() == "::1"; }));
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    BOOST_TEST(std::count(addresses.begin(), addresses.end(), addresses[i]) == 1);
  }
}

BOOST_AUTO_TEST_SUITE_END()
