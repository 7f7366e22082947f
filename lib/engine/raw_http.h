#pragma once

// HTTP/1.1 over a RawConnection: enough for the attach upgrade and for long polls we must be
// able to abandon (wait), both driven from a poll() loop.

#include "engine/engine_client.h"
#include "engine/http.h"
#include "engine/raw_connection.h"

#include <memory>
#include <string>

namespace sandbox::engine {

// Sends `method target` (target already versioned) with a valid Host header and the endpoint's
// custom headers, then reads the status line and headers. Bytes read past the header block are
// put back into the connection. Returns the response head (body empty).
HttpResponse send_raw_request(RawConnection& connection, const Endpoint& endpoint, const std::string& method,
                              const std::string& target, const Headers& extra_headers);

// Opens a connection and sends POST `path_and_query` (unversioned) with the attach upgrade
// headers. Returns the hijacked stream. Throws EngineError with the engine's (plain-text)
// message when the reply is not 101 or 200.
std::unique_ptr<RawConnection> hijack(EngineClient& client, const std::string& path_and_query);

// Incrementally decodes a chunked HTTP body. feed() returns the decoded bytes so far.
class ChunkedDecoder
{
public:
  std::string feed(const char* data, std::size_t size);
  bool done() const { return m_state == State::done; }

private:
  enum class State { size, data, data_end, trailer, done };
  State m_state = State::size;
  std::string m_line;
  std::size_t m_remaining = 0;
};

} // namespace sandbox::engine
