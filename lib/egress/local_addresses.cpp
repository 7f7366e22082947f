#include "egress/local_addresses.h"

#include "util/error.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace sandbox::egress {

std::vector<Address> local_addresses()
{
  std::vector<Address> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) {
    return out;
  }
  for (ifaddrs* item = list; item; item = item->ifa_next) {
    if (!item->ifa_addr || (item->ifa_flags & IFF_LOOPBACK) != 0) {
      continue;
    }
    std::optional<Address> address;
    if (item->ifa_addr->sa_family == AF_INET) {
      const auto* raw = &reinterpret_cast<const sockaddr_in*>(item->ifa_addr)->sin_addr;
      address = Address::from_bytes(reinterpret_cast<const std::uint8_t*>(raw), 4);
    } else if (item->ifa_addr->sa_family == AF_INET6) {
      const auto* raw = &reinterpret_cast<const sockaddr_in6*>(item->ifa_addr)->sin6_addr;
      address = Address::from_bytes(reinterpret_cast<const std::uint8_t*>(raw), 16);
    }
    if (address && std::find(out.begin(), out.end(), *address) == out.end()) {
      out.push_back(*address);
    }
  }
  ::freeifaddrs(list);
  return out;
}

std::vector<Address> route_gateways(std::string_view proc_net_route)
{
  constexpr unsigned long k_gateway_flag = 0x2; // RTF_GATEWAY
  std::vector<Address> out;
  std::size_t begin = proc_net_route.find('\n'); // the header
  while (begin != std::string_view::npos && begin < proc_net_route.size()) {
    std::size_t end = proc_net_route.find('\n', begin + 1);
    std::string line(proc_net_route.substr(begin + 1, end == std::string_view::npos ? std::string_view::npos : end - begin - 1));
    begin = end;
    // Iface Destination Gateway Flags ...: the addresses as the kernel's %08X of the 32 bits in
    // network order, so their bytes in memory are the address's.
    char iface[64];
    std::uint32_t destination = 0;
    std::uint32_t gateway = 0;
    unsigned long flags = 0;
    if (std::sscanf(line.c_str(), "%63s %x %x %lx", iface, &destination, &gateway, &flags) != 4 || gateway == 0
        || (flags & k_gateway_flag) == 0) {
      continue;
    }
    Address address = Address::from_bytes(reinterpret_cast<const std::uint8_t*>(&gateway), 4);
    if (std::find(out.begin(), out.end(), address) == out.end()) {
      out.push_back(address);
    }
  }
  return out;
}

std::vector<Address> route_gateways_v6(std::string_view proc_net_ipv6_route)
{
  constexpr unsigned long k_gateway_flag = 0x2; // RTF_GATEWAY
  std::vector<Address> out;
  std::size_t begin = 0;
  while (begin < proc_net_ipv6_route.size()) {
    std::size_t end = proc_net_ipv6_route.find('\n', begin);
    std::string line(proc_net_ipv6_route.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    begin = end == std::string_view::npos ? proc_net_ipv6_route.size() : end + 1;
    // destination, its prefix, source, its prefix, next hop, metric, references, use, flags, device
    char hop[33];
    unsigned long flags = 0;
    if (std::sscanf(line.c_str(), "%*32s %*2s %*32s %*2s %32s %*8s %*8s %*8s %8lx", hop, &flags) != 2 || std::strlen(hop) != 32
        || (flags & k_gateway_flag) == 0) {
      continue;
    }
    std::uint8_t bytes[16];
    bool valid = true;
    for (std::size_t i = 0; i < 16 && valid; ++i) {
      unsigned value = 0;
      valid = std::sscanf(hop + 2 * i, "%2x", &value) == 1;
      bytes[i] = static_cast<std::uint8_t>(value);
    }
    if (!valid || std::all_of(std::begin(bytes), std::end(bytes), [](std::uint8_t b) { return b == 0; })) {
      continue;
    }
    Address address = Address::from_bytes(bytes, 16);
    if (std::find(out.begin(), out.end(), address) == out.end()) {
      out.push_back(address);
    }
  }
  return out;
}

Address address_in_block(const Network& block, const std::vector<Address>& addresses)
{
  std::vector<Address> inside;
  std::copy_if(addresses.begin(), addresses.end(), std::back_inserter(inside), [&](const Address& a) { return block.contains(a); });
  if (inside.size() == 1) {
    return inside.front();
  }
  std::string seen;
  for (const Address& address : addresses) {
    seen += (seen.empty() ? "" : ", ") + address.text();
  }
  throw Error((inside.empty() ? "no address in " : "more than one address in ") + block.text() + " (this container has "
              + (seen.empty() ? std::string("none") : seen) + ")");
}

} // namespace sandbox::egress
