#pragma once

// IP addresses and networks as the egress policy compares them, and the addresses a name must not
// lead to unless a rule names them.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox::egress {

// An IPv4 or IPv6 address; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is held as its IPv4 form.
class Address
{
public:
  // Parses a literal as inet_pton does (no brackets, no zone); nullopt when it is not one.
  static std::optional<Address> parse(std::string_view text);
  // The address of 4 (IPv4) or 16 (IPv6) bytes in network order, unmapped.
  static Address from_bytes(const std::uint8_t* bytes, std::size_t size);

  bool is_v6() const { return m_v6; }
  // The address in network order: the first 4 bytes for IPv4, all 16 for IPv6.
  const std::array<std::uint8_t, 16>& bytes() const { return m_bytes; }
  // The literal as inet_ntop writes it.
  std::string text() const;

  bool operator==(const Address& other) const = default;

private:
  bool m_v6 = false;
  std::array<std::uint8_t, 16> m_bytes{};
};

// An address and a prefix length: a CIDR block, or one address when the prefix is the full width.
class Network
{
public:
  // Parses "ADDRESS" or "ADDRESS/PREFIX"; nullopt when it is neither. A mapped IPv6 block of
  // prefix 96 or more becomes the IPv4 block it covers.
  static std::optional<Network> parse(std::string_view text);

  // True when `address` lies in this block (an IPv4 block never holds an IPv6 address).
  bool contains(const Address& address) const;
  // "ADDRESS/PREFIX", with the host bits as written.
  std::string text() const;

private:
  Address m_base;
  int m_prefix = 0;
};

// Why a connection to `address` needs an explicit rule: "loopback", "link-local", "unspecified",
// "multicast" or "broadcast"; "" for an ordinary address.
std::string_view special_kind(const Address& address);

} // namespace sandbox::egress
