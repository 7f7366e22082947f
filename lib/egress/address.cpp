#include "egress/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <vector>

namespace sandbox::egress {

namespace {

constexpr std::uint8_t k_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

struct SpecialBlock
{
  Network network;
  std::string_view kind;
};

std::vector<SpecialBlock> special_blocks()
{
  std::vector<SpecialBlock> blocks;
  for (auto [text, kind] : {std::pair{"127.0.0.0/8", "loopback"}, {"::1", "loopback"},
                            {"169.254.0.0/16", "link-local"}, {"fe80::/10", "link-local"},
                            {"0.0.0.0/8", "unspecified"}, {"::", "unspecified"},
                            {"224.0.0.0/4", "multicast"}, {"ff00::/8", "multicast"},
                            {"255.255.255.255", "broadcast"}}) {
    blocks.push_back({*Network::parse(text), kind});
  }
  return blocks;
}

} // namespace

std::optional<Address> Address::parse(std::string_view text)
{
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) {
    return std::nullopt;
  }
  std::string copy(text);
  std::uint8_t bytes[16];
  if (inet_pton(AF_INET, copy.c_str(), bytes) == 1) {
    return from_bytes(bytes, 4);
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes) == 1) {
    return from_bytes(bytes, 16);
  }
  return std::nullopt;
}

Address Address::from_bytes(const std::uint8_t* bytes, std::size_t size)
{
  Address address;
  if (size == 16 && std::memcmp(bytes, k_mapped_prefix, 12) == 0) {
    std::memcpy(address.m_bytes.data(), bytes + 12, 4);
  } else if (size == 16) {
    address.m_v6 = true;
    std::memcpy(address.m_bytes.data(), bytes, 16);
  } else {
    std::memcpy(address.m_bytes.data(), bytes, 4);
  }
  return address;
}

std::string Address::text() const
{
  char buffer[INET6_ADDRSTRLEN];
  inet_ntop(m_v6 ? AF_INET6 : AF_INET, m_bytes.data(), buffer, sizeof buffer);
  return buffer;
}

std::optional<Network> Network::parse(std::string_view text)
{
  std::size_t slash = text.find('/');
  std::optional<Address> base = Address::parse(text.substr(0, slash));
  if (!base) {
    return std::nullopt;
  }
  int width = base->is_v6() ? 128 : 32;
  bool mapped = !base->is_v6() && text.substr(0, slash).find(':') != std::string_view::npos;
  if (mapped) {
    width = 128;
  }
  Network network;
  network.m_base = *base;
  network.m_prefix = width;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || digits.size() > 3 || error != std::errc() || end != digits.data() + digits.size() ||
        prefix < 0 || prefix > width) {
      return std::nullopt;
    }
    network.m_prefix = prefix;
  }
  if (mapped) {
    if (network.m_prefix < 96) {
      return std::nullopt;
    }
    network.m_prefix -= 96;
  }
  return network;
}

bool Network::contains(const Address& address) const
{
  if (address.is_v6() != m_base.is_v6()) {
    return false;
  }
  const auto& a = address.bytes();
  const auto& b = m_base.bytes();
  int full = m_prefix / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(full)) != 0) {
    return false;
  }
  int rest = m_prefix % 8;
  if (rest == 0) {
    return true;
  }
  std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

std::string Network::text() const
{
  return m_base.text() + "/" + std::to_string(m_prefix);
}

std::string_view special_kind(const Address& address)
{
  static const std::vector<SpecialBlock> k_blocks = special_blocks();
  for (const SpecialBlock& block : k_blocks) {
    if (block.network.contains(address)) {
      return block.kind;
    }
  }
  return "";
}

} // namespace sandbox::egress
