#include "egress/local_addresses.h"

#include "util/error.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdint>
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
