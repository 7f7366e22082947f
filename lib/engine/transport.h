#pragma once

// Sends HTTP requests to an endpoint over a unix socket, TCP, TLS, or a dial-stdio tunnel.

#include "engine/endpoint.h"
#include "engine/http.h"

#include <memory>
#include <mutex>
#include <vector>

namespace sandbox::engine {

class DialStdioProxy;
class RawConnection;

class Transport
{
public:
  explicit Transport(Endpoint endpoint);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends one request, on a kept connection when one is idle (a streaming one: on a fresh one).
  // Returns the response whatever its status; throws ConnectionError when the engine cannot be
  // reached, the exchange breaks off, the reply is larger than the bounds below, or nothing
  // arrives for `timeout_seconds`; Cancelled once the CancelToken is raised.
  HttpResponse send(const HttpRequest& request);

  // A connection for one request: the most recently kept one that is still open and silent
  // (`reused` true), or a fresh one. No cancel fd, no idle timeout. Throws ConnectionError.
  std::unique_ptr<RawConnection> take_connection(bool& reused);
  // Keeps a connection whose last reply was read to its end and allowed it (keep_alive), for the
  // next take_connection(); closes it when enough are kept already. Safe from any thread.
  void keep_connection(std::unique_ptr<RawConnection> connection);

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
  // Guards the two below. Today one thread sends (the stdin pump writes only to the attach
  // connection); the guard keeps a busy connection from ever being shared should that change.
  std::mutex m_mutex;
  std::unique_ptr<DialStdioProxy> m_proxy;
  std::vector<std::unique_ptr<RawConnection>> m_idle; // closed before the proxy goes
};

// "Cannot connect to the Docker daemon at <host>" with the context named, as one line.
std::string describe_unreachable(const Endpoint& endpoint, const std::string& reason);

} // namespace sandbox::engine
