#include "egress/socks5_request.h"

#include "egress/address.h"

#include <algorithm>
#include <cctype>

namespace sandbox::egress {

namespace {

constexpr std::uint8_t k_connect = 1;
constexpr std::uint8_t k_ipv4 = 1;
constexpr std::uint8_t k_name = 3;
constexpr std::uint8_t k_ipv6 = 4;

[[noreturn]] void refuse(Socks5Reply code, const std::string& why)
{
  throw Socks5Error(socks5_reply(code), why);
}

std::uint8_t byte_at(const std::string& bytes, std::size_t index)
{
  return static_cast<std::uint8_t>(bytes[index]);
}

} // namespace

std::string socks5_reply(Socks5Reply code)
{
  return std::string{static_cast<char>(k_socks5_version), static_cast<char>(code), 0, static_cast<char>(k_ipv4), 0, 0, 0, 0, 0, 0};
}

std::size_t Socks5Parser::needed() const
{
  if (!m_greeting_done) {
    return m_pending.size() < 2 ? 2 : 2 + byte_at(m_pending, 1);
  }
  if (m_pending.size() < 5) {
    return 5;
  }
  switch (byte_at(m_pending, 3)) {
  case k_ipv4:
    return 4 + 4 + 2;
  case k_ipv6:
    return 4 + 16 + 2;
  default:
    return 4 + 1 + byte_at(m_pending, 4) + 2;
  }
}

std::size_t Socks5Parser::feed(std::string_view bytes)
{
  std::size_t used = 0;
  while (!m_done && used < bytes.size()) {
    m_pending.push_back(bytes[used++]);
    if (m_pending.size() == 1 && byte_at(m_pending, 0) != k_socks5_version) {
      refuse(Socks5Reply::general_failure, "not SOCKS version 5");
    }
    if (m_greeting_done && m_pending.size() == 4) {
      if (byte_at(m_pending, 1) != k_connect) {
        refuse(Socks5Reply::command_not_supported, "only the SOCKS5 command CONNECT is served");
      }
      std::uint8_t type = byte_at(m_pending, 3);
      if (type != k_ipv4 && type != k_name && type != k_ipv6) {
        refuse(Socks5Reply::address_type_not_supported, "an unknown SOCKS5 address type");
      }
    }
    if (m_pending.size() == needed()) {
      message_ended();
    }
  }
  return used;
}

void Socks5Parser::message_ended()
{
  if (!m_greeting_done) {
    std::string_view methods = std::string_view(m_pending).substr(2);
    if (methods.find('\0') == std::string_view::npos) {
      throw Socks5Error(std::string{static_cast<char>(k_socks5_version), static_cast<char>(0xff)},
                        "the SOCKS5 client offers no method without authentication");
    }
    m_greeting_done = true;
    m_pending.clear();
    return;
  }
  std::string_view address = std::string_view(m_pending).substr(4, m_pending.size() - 6);
  std::uint8_t type = byte_at(m_pending, 3);
  if (type == k_name) {
    address.remove_prefix(1);
    if (address.empty() || !std::all_of(address.begin(), address.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        })) {
      refuse(Socks5Reply::general_failure, "the SOCKS5 host is not a DNS name");
    }
    m_request.host = std::string(address);
  } else {
    m_request.host = Address::from_bytes(reinterpret_cast<const std::uint8_t*>(address.data()), address.size()).text();
  }
  m_request.port = static_cast<std::uint16_t>(byte_at(m_pending, m_pending.size() - 2) << 8 | byte_at(m_pending, m_pending.size() - 1));
  if (m_request.port == 0) {
    refuse(Socks5Reply::general_failure, "the SOCKS5 port is 0");
  }
  m_request.method = "SOCKS5";
  m_done = true;
}

} // namespace sandbox::egress
