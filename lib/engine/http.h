#pragma once

// One HTTP exchange with the engine, independent of the transport underneath.

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::engine {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse
{
  int status = 0;
  Headers headers;
  std::string body; // empty when the request streamed its body to on_data
  // Whether the engine lets the connection carry another request: an HTTP/1.1 reply without
  // `Connection: close` (set by the raw reader only).
  bool keep_alive = false;

  // The first header with this name (case-insensitive), or "".
  std::string header(const std::string& name) const;
};

struct HttpRequest
{
  std::string method;
  std::string target; // path and query, already versioned and escaped
  Headers headers;
  std::string body;
  std::string content_type;
  // Streaming: called when the status line and headers arrived; return false to abort.
  std::function<bool(const HttpResponse&)> on_headers;
  // Streaming: receives the body in pieces instead of HttpResponse::body; return false to abort.
  std::function<bool(const char* data, std::size_t size)> on_data;
  // Streaming upload: fills the body in pieces (chunked encoding); return false when done.
  std::function<bool(std::string& chunk)> body_source;
  // Seconds to wait for a response; 0 means no limit (wait, logs, archive streams).
  int timeout_seconds = 120;
};

} // namespace sandbox::engine
