#pragma once

// HTTP/1.1 over a RawConnection: enough for the attach upgrade and for long polls we must be
// able to abandon (wait), both driven from a poll() loop.

#include "engine/engine_client.h"
#include "engine/http.h"
#include "engine/raw_connection.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::engine {

// Writes the request line of `method target` (target already versioned) with a valid Host header,
// the endpoint's custom headers and `extra_headers`, which must say how a body is framed
// (Content-Length or Transfer-Encoding), and the blank line.
void write_request_head(RawConnection& connection, const Endpoint& endpoint, const std::string& method,
                        const std::string& target, const Headers& extra_headers);

// Reads the status line and headers. Bytes read past the header block are put back into the
// connection. Returns the response head (body empty). `what` names the request in errors.
HttpResponse read_response_head(RawConnection& connection, const std::string& what);

// write_request_head() on a connection from transport.take_connection(), after `prepare` (a cancel
// fd, an idle timeout) ran on it. A kept connection found closed before a byte of the head went
// out is replaced by a fresh one, since the engine cannot have seen the request. Sets `reused`.
std::unique_ptr<RawConnection> write_request_on_kept(Transport& transport, const std::function<void(RawConnection&)>& prepare,
                                                     const std::string& method, const std::string& target,
                                                     const Headers& extra_headers, bool& reused);

// Whether a failed exchange on a kept connection failed only because the engine had closed it
// before sending a byte of its reply (`received_before`: bytes_received() when the request began).
bool closed_before_reply(const RawConnection& connection, bool reused, std::uint64_t received_before);

// A request without a body: write_request_head() then read_response_head().
HttpResponse send_raw_request(RawConnection& connection, const Endpoint& endpoint, const std::string& method,
                              const std::string& target, const Headers& extra_headers);

// Opens a connection and sends POST `path_and_query` (unversioned) with the attach upgrade
// headers, and `json_body` when there is one (an exec's start). Returns the hijacked stream.
// Throws EngineError with the engine's (plain-text) message when the reply is not 101 or 200.
std::unique_ptr<RawConnection> hijack(EngineClient& client, const std::string& path_and_query,
                                      const std::optional<std::string>& json_body = std::nullopt);

// A request written on a connection of its own, whose reply is read later by finish(): two
// requests in flight at once, without threads.
class PendingRequest
{
public:
  // Writes `method target` (target unversioned) with `json_body`, if any. Throws ConnectionError.
  PendingRequest(EngineClient& client, const std::string& method, const std::string& target,
                 const std::optional<std::string>& json_body);
  ~PendingRequest();
  PendingRequest(const PendingRequest&) = delete;
  PendingRequest& operator=(const PendingRequest&) = delete;

  // Reads the reply, its body bounded at 1 MiB. Throws EngineError unless the status is 2xx or in
  // `accepted`, ConnectionError.
  HttpResponse finish(const std::vector<int>& accepted);

private:
  Transport& m_transport;
  std::unique_ptr<RawConnection> m_connection;
  std::string m_what;
  bool m_head;
};

// Incrementally decodes a chunked HTTP body. feed() returns the decoded bytes so far and, in
// `consumed`, how many input bytes belonged to the body (fewer than `size` only once done).
class ChunkedDecoder
{
public:
  std::string feed(const char* data, std::size_t size, std::size_t* consumed = nullptr);
  bool done() const { return m_state == State::done; }

private:
  enum class State { size, data, data_end, trailer, done };
  State m_state = State::size;
  std::string m_line;
  std::size_t m_remaining = 0;
};

// Reads a response body framed by Content-Length, chunked encoding, or the connection's end.
class BodyReader
{
public:
  BodyReader(RawConnection& connection, const HttpResponse& head);
  // Up to `size` bytes of the body; 0 at its end. Throws ConnectionError when it breaks off.
  std::size_t read(char* buffer, std::size_t size);
  // The rest of the body, at most `limit` bytes.
  std::string read_all(std::size_t limit);
  // Whether the body was read to the end its framing announced (never for a body that ends with
  // the connection), so that the connection may carry another request.
  bool complete() const;

private:
  RawConnection& m_connection;
  bool m_chunked = false;
  std::optional<std::uint64_t> m_remaining; // Content-Length left
  ChunkedDecoder m_decoder;
  std::string m_decoded; // decoded but not yet returned
};

} // namespace sandbox::engine
