#pragma once

// Sends HTTP requests to an endpoint over a unix socket, TCP, TLS, or a dial-stdio tunnel.

#include "engine/endpoint.h"
#include "engine/http.h"

#include <memory>

namespace sandbox::engine {

class DialStdioProxy;

class Transport
{
public:
  explicit Transport(Endpoint endpoint);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends one request on a fresh connection. Returns the response whatever its status; throws
  // ConnectionError when the engine cannot be reached, the exchange breaks off, the reply is
  // larger than the bounds below, or nothing arrives for `timeout_seconds`; Cancelled once the
  // CancelToken is raised.
  HttpResponse send(const HttpRequest& request);

  const Endpoint& endpoint() const { return m_endpoint; }

  // For raw (hijacked) connections: the unix socket path to dial, which is the engine's socket
  // or the local end of the dial-stdio tunnel; empty for TCP.
  std::string unix_socket_path();

private:
  // A request whose reply is read whole (JSON, errors), through our own bounded HTTP reader.
  HttpResponse send_whole(const HttpRequest& request);
  // " (the tunnel said: ...)" after an error over ssh and other dial-stdio tunnels; "" otherwise.
  std::string tunnel_said() const;

  Endpoint m_endpoint;
  std::unique_ptr<DialStdioProxy> m_proxy;
};

// "Cannot connect to the Docker daemon at <host>" with the context named, as one line.
std::string describe_unreachable(const Endpoint& endpoint, const std::string& reason);

} // namespace sandbox::engine
