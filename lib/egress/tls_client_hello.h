#pragma once

// The server name (SNI) a TLS client asks for in its ClientHello, read by the egress proxy from the
// first bytes of a CONNECT tunnel without terminating TLS. A tunnel to an allowed name whose
// ClientHello names another host (a site served on the same shared address, as on a CDN) is refused
// unless a rule allows that name too.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox::egress {

// At most this much of the tunnel's first bytes is read for the ClientHello (a handshake message
// may span records; real ones, post-quantum key shares included, are a few KiB).
inline constexpr std::size_t k_max_client_hello_bytes = 64 * 1024;

struct ClientHello
{
  enum class Status {
    incomplete, // a TLS handshake so far: more bytes are needed
    not_tls,    // the tunnel does not start with a TLS record (plain HTTP on port 80, say)
    malformed,  // it starts with one, but not with a valid ClientHello, or is longer than the cap
    complete,
  };
  Status status = Status::incomplete;
  // The host_name of the server_name extension, lowercase, without a trailing dot; nullopt when the
  // ClientHello has none (a client connecting by address).
  std::optional<std::string> server_name;
  // It carries an Encrypted ClientHello: server_name is only the outer, public name, and the
  // server may serve the one inside, which nobody else can read.
  bool hides_server_name = false;
};

// Reads the ClientHello at the start of `bytes`, the first bytes a client sent into a tunnel.
ClientHello read_client_hello(std::string_view bytes);

} // namespace sandbox::egress
