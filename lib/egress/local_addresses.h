#pragma once

// The addresses of the machine (or container) a program runs on, and the one the egress proxy
// listens on in its container.

#include "egress/address.h"

#include <string_view>
#include <vector>

namespace sandbox::egress {

// Every address of every interface but the loopback ones, IPv4 and IPv6, each once.
std::vector<Address> local_addresses();

// The IPv4 gateways of a routing table as /proc/net/route shows it, each once. In the proxy's
// container the default route's gateway is the engine host (the egress network's bridge), whose
// services a name must not lead to, also when the engine is not the plugin's own machine.
std::vector<Address> route_gateways(std::string_view proc_net_route);

// The same for IPv6, from /proc/net/ipv6_route (next hops as 32 hex digits in network order), for
// an egress network with IPv6.
std::vector<Address> route_gateways_v6(std::string_view proc_net_ipv6_route);

// The proxy's listening address: its one address in `block`, the run's internal network (the
// plugin reads the block from the network's inspect). The proxy has an address on the egress
// network too, where any neighbour container would reach it; it never listens there. Throws Error
// naming the block and the addresses seen when none or more than one lies in it.
Address address_in_block(const Network& block, const std::vector<Address>& addresses);

} // namespace sandbox::egress
