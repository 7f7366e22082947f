#pragma once

// SOCKS5 (RFC 1928) as the egress proxy speaks it, on the same port as HTTP: no authentication and
// CONNECT only. A name is sent to the proxy as a name (socks5h://), so the policy sees it; a client
// that resolves names itself (socks5://) can reach only what an address rule allows.

#include "egress/proxy_request.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sandbox::egress {

// The first byte of every SOCKS5 message from a client.
inline constexpr std::uint8_t k_socks5_version = 5;
// The method choice that answers a greeting offering "no authentication".
inline constexpr std::string_view k_socks5_no_authentication{"\x05\x00", 2};

// The reply codes of RFC 1928, 6.
enum class Socks5Reply : std::uint8_t {
  succeeded = 0,
  general_failure = 1,
  not_allowed = 2,
  host_unreachable = 4,
  connection_refused = 5,
  ttl_expired = 6,
  command_not_supported = 7,
  address_type_not_supported = 8,
};

// A SOCKS5 exchange the proxy refuses; reply() is the wire reply the client gets (a method choice
// of 0xFF when the greeting offers no acceptable method, else a request reply).
class Socks5Error : public std::runtime_error
{
public:
  Socks5Error(std::string reply, const std::string& what) : std::runtime_error(what), m_reply(std::move(reply)) {}
  const std::string& reply() const { return m_reply; }

private:
  std::string m_reply;
};

// The reply to a CONNECT request with `code`, bound address 0.0.0.0:0.
std::string socks5_reply(Socks5Reply code);

// Reads the greeting and the CONNECT request of one client, in pieces of any size.
class Socks5Parser
{
public:
  // Consumes bytes up to the end of the greeting, then up to the end of the request, and returns
  // how many it took; throws Socks5Error on anything but a no-authentication CONNECT.
  std::size_t feed(std::string_view bytes);
  // True once the greeting was read: the client waits for k_socks5_no_authentication.
  bool greeting_done() const { return m_greeting_done; }
  // True once the request was read.
  bool done() const { return m_done; }
  // The request, with method "SOCKS5"; only when done().
  const ProxyRequest& request() const { return m_request; }

private:
  // The number of bytes the message in m_pending needs in all, as far as it can tell yet.
  std::size_t needed() const;
  void message_ended();

  std::string m_pending;
  bool m_greeting_done = false;
  bool m_done = false;
  ProxyRequest m_request;
};

} // namespace sandbox::egress
