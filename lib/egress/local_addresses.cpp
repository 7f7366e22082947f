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

namespace {

void add_once(std::vector<Address>& out, const Address& address)
{
  if (std::find(out.begin(), out.end(), address) == out.end()) {
    out.push_back(address);
  }
}

// Calls `fn` with each line of `text` (a last line without its newline included).
template <typename Fn> void each_line(std::string_view text, Fn fn)
{
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    fn(std::string(text.substr(0, end)));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
}

constexpr unsigned long k_gateway_flag = 0x2; // RTF_GATEWAY

} // namespace

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
    if (address) {
      add_once(out, *address);
    }
  }
  ::freeifaddrs(list);
  return out;
}

std::vector<Address> route_gateways(std::string_view proc_net_route)
{
  std::vector<Address> out;
  // Iface Destination Gateway Flags ...: the addresses as the kernel's %08X of the 32 bits in
  // network order, so their bytes in memory are the address's. The header line matches nothing.
  each_line(proc_net_route, [&](const std::string& line) {
    char iface[64];
    std::uint32_t destination = 0;
    std::uint32_t gateway = 0;
    unsigned long flags = 0;
    if (std::sscanf(line.c_str(), "%63s %x %x %lx", iface, &destination, &gateway, &flags) == 4 && gateway != 0
        && (flags & k_gateway_flag) != 0) {
      add_once(out, Address::from_bytes(reinterpret_cast<const std::uint8_t*>(&gateway), 4));
    }
  });
  return out;
}

std::vector<Address> route_gateways_v6(std::string_view proc_net_ipv6_route)
{
  std::vector<Address> out;
  each_line(proc_net_ipv6_route, [&](const std::string& line) {
    // destination, its prefix, source, its prefix, next hop, metric, references, use, flags, device
    char hop[33];
    unsigned long flags = 0;
    if (std::sscanf(line.c_str(), "%*32s %*2s %*32s %*2s %32s %*8s %*8s %*8s %8lx", hop, &flags) != 2 || std::strlen(hop) != 32
        || (flags & k_gateway_flag) == 0) {
      return;
    }
    std::uint8_t bytes[16];
    for (std::size_t i = 0; i < 16; ++i) {
      unsigned value = 0;
      if (std::sscanf(hop + 2 * i, "%2x", &value) != 1) {
        return;
      }
      bytes[i] = static_cast<std::uint8_t>(value);
    }
    if (std::any_of(std::begin(bytes), std::end(bytes), [](std::uint8_t b) { return b != 0; })) {
      add_once(out, Address::from_bytes(bytes, 16));
    }
  });
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
