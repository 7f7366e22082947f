#include "engine/raw_http.h"

#include "util/cancel.h"
#include "util/error.h"
#include "util/trace.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <charconv>
#include <cstring>
#include <strings.h>

namespace sandbox::engine {

namespace {

constexpr std::size_t k_max_head = 64 * 1024;
constexpr std::size_t k_max_header_count = 256;

HttpResponse parse_head(const std::string& head)
{
  HttpResponse response;
  std::size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  // "HTTP/1.1 101 UPGRADED"
  std::size_t space = status_line.find(' ');
  if (status_line.rfind("HTTP/1.", 0) != 0 || space == std::string::npos) {
    throw ConnectionError("the engine sent an invalid HTTP response: " + status_line.substr(0, 80));
  }
  response.status = std::atoi(status_line.c_str() + space + 1);
  bool http11 = status_line.rfind("HTTP/1.1 ", 0) == 0;
  std::size_t pos = line_end + 2;
  while (pos < head.size()) {
    std::size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) {
      end = head.size();
    }
    std::string line = head.substr(pos, end - pos);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers.emplace_back(line.substr(0, colon), value);
      if (response.headers.size() > k_max_header_count) {
        throw ConnectionError("the engine sent more than " + std::to_string(k_max_header_count) + " response headers");
      }
    }
    pos = end + 2;
  }
  // HTTP/1.0 (even with "Connection: keep-alive") is not worth the corner: one request, one connection.
  bool close = false;
  for (const auto& [name, value] : response.headers) {
    if (strcasecmp(name.c_str(), "Connection") == 0) {
      std::string lower = value;
      for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      close = close || lower.find("close") != std::string::npos;
    }
  }
  response.keep_alive = http11 && !close;
  return response;
}

} // namespace

void write_request_head(RawConnection& connection, const Endpoint& endpoint, const std::string& method,
                        const std::string& target, const Headers& extra_headers)
{
  std::string request = method + " " + endpoint.path_prefix + target + " HTTP/1.1\r\n";
  request += "Host: " + std::string(endpoint.transport == TransportKind::tcp ? endpoint.address : "docker") + "\r\n";
  request += "User-Agent: docker-sandbox/" SANDBOX_VERSION "\r\n";
  for (const auto& [name, value] : endpoint.headers) {
    request += name + ": " + value + "\r\n";
  }
  for (const auto& [name, value] : extra_headers) {
    request += name + ": " + value + "\r\n";
  }
  request += "\r\n";
  trace(method + " " + endpoint.host + endpoint.path_prefix + target + " (raw connection)");
  connection.write_all(request);
}

HttpResponse read_response_head(RawConnection& connection, const std::string& what)
{
  std::string head;
  char buffer[4096];
  for (;;) {
    std::size_t n = connection.read(buffer, sizeof buffer);
    if (n == 0) {
      throw ConnectionError("the engine closed the connection before answering " + what);
    }
    head.append(buffer, n);
    std::size_t end = head.find("\r\n\r\n");
    if (end != std::string::npos) {
      connection.unread(head.substr(end + 4));
      head.resize(end);
      break;
    }
    if (head.size() > k_max_head) {
      throw ConnectionError("the engine sent an oversized response header");
    }
  }
  HttpResponse response = parse_head(head);
  trace("  -> " + std::to_string(response.status));
  return response;
}

std::unique_ptr<RawConnection> write_request_on_kept(Transport& transport, const std::function<void(RawConnection&)>& prepare,
                                                     const std::string& method, const std::string& target,
                                                     const Headers& extra_headers, bool& reused)
{
  std::unique_ptr<RawConnection> connection = transport.take_connection(reused);
  prepare(*connection);
  std::uint64_t sent_before = connection->bytes_sent();
  try {
    write_request_head(*connection, transport.endpoint(), method, target, extra_headers);
    return connection;
  } catch (const ConnectionError&) {
    if (!reused || !connection->peer_closed() || connection->bytes_sent() != sent_before) {
      throw;
    }
  }
  trace("  -> the engine had closed the kept connection; sending " + method + " " + target + " on a fresh one");
  connection = RawConnection::open(transport);
  reused = false;
  prepare(*connection);
  write_request_head(*connection, transport.endpoint(), method, target, extra_headers);
  return connection;
}

bool closed_before_reply(const RawConnection& connection, bool reused, std::uint64_t received_before)
{
  return reused && connection.peer_closed() && connection.bytes_received() == received_before;
}

HttpResponse send_raw_request(RawConnection& connection, const Endpoint& endpoint, const std::string& method,
                              const std::string& target, const Headers& extra_headers)
{
  Headers headers = extra_headers;
  headers.emplace_back("Content-Length", "0");
  write_request_head(connection, endpoint, method, target, headers);
  return read_response_head(connection, method + " " + target);
}

BodyReader::BodyReader(RawConnection& connection, const HttpResponse& head) : m_connection(connection)
{
  m_chunked = strcasecmp(head.header("Transfer-Encoding").c_str(), "chunked") == 0;
  std::string length = head.header("Content-Length");
  if (!m_chunked && !length.empty()) {
    m_remaining = std::strtoull(length.c_str(), nullptr, 10);
  }
  if (head.status == 204 || head.status == 304) {
    m_remaining = 0;
  }
}

std::size_t BodyReader::read(char* buffer, std::size_t size)
{
  if (!m_chunked) {
    if (m_remaining && *m_remaining == 0) {
      return 0;
    }
    std::size_t want = m_remaining ? static_cast<std::size_t>(std::min<std::uint64_t>(*m_remaining, size)) : size;
    std::size_t n = m_connection.read(buffer, want);
    if (n == 0 && m_remaining) {
      throw ConnectionError("the engine closed the connection in the middle of a response");
    }
    if (m_remaining) {
      *m_remaining -= n;
    }
    return n;
  }
  while (m_decoded.empty() && !m_decoder.done()) {
    char raw[64 * 1024];
    std::size_t n = m_connection.read(raw, sizeof raw);
    if (n == 0) {
      throw ConnectionError("the engine closed the connection in the middle of a response");
    }
    std::size_t consumed = 0;
    m_decoded = m_decoder.feed(raw, n, &consumed);
    if (consumed < n) { // bytes after the body: kept, so that the connection is not reused
      m_connection.unread(std::string(raw + consumed, n - consumed));
    }
  }
  std::size_t n = std::min(size, m_decoded.size());
  std::memcpy(buffer, m_decoded.data(), n);
  m_decoded.erase(0, n);
  return n;
}

bool BodyReader::complete() const
{
  if (m_chunked) {
    return m_decoder.done() && m_decoded.empty();
  }
  return m_remaining && *m_remaining == 0;
}

std::string BodyReader::read_all(std::size_t limit)
{
  std::string out;
  char buffer[4096];
  std::size_t n;
  while (out.size() < limit && (n = read(buffer, sizeof buffer)) > 0) {
    out.append(buffer, n);
  }
  return out;
}

std::unique_ptr<RawConnection> hijack(EngineClient& client, const std::string& path_and_query,
                                      const std::optional<std::string>& json_body)
{
  std::string target = "/v" + client.api_version().str() + path_and_query;
  std::unique_ptr<RawConnection> connection = RawConnection::open(client.transport());
  Headers upgrade{{"Connection", "Upgrade"}, {"Upgrade", "tcp"}};
  HttpResponse head;
  if (json_body) {
    upgrade.emplace_back("Content-Type", "application/json");
    upgrade.emplace_back("Content-Length", std::to_string(json_body->size()));
    write_request_head(*connection, client.endpoint(), "POST", target, upgrade);
    connection->write_all(*json_body);
    head = read_response_head(*connection, "POST " + target);
  } else {
    head = send_raw_request(*connection, client.endpoint(), "POST", target, upgrade);
  }
  if (head.status == 101 || head.status == 200) {
    return connection;
  }
  // The error's body: as long as the head says (Podman keeps the connection open after it), or
  // until the close (dockerd's plain text); never more than 8 KiB.
  BodyReader body(*connection, head);
  char buffer[4096];
  std::size_t n;
  while (head.body.size() < 8192 && (n = body.read(buffer, std::min(sizeof buffer, 8192 - head.body.size()))) > 0) {
    head.body.append(buffer, n);
  }
  throw EngineError(head.status, error_message(head));
}

namespace {
constexpr std::size_t k_max_chunk_line = 4096;
} // namespace

std::string ChunkedDecoder::feed(const char* data, std::size_t size, std::size_t* consumed)
{
  std::string out;
  std::size_t i = 0;
  while (i < size && m_state != State::done) {
    switch (m_state) {
    case State::size:
    case State::data_end:
    case State::trailer: {
      char c = data[i++];
      if (c != '\n') {
        if (m_line.size() == k_max_chunk_line) { // a size line or trailer that never ends
          throw ConnectionError("the engine sent an invalid chunked reply (a line longer than 4 KiB)");
        }
        m_line += c;
        break;
      }
      if (!m_line.empty() && m_line.back() == '\r') {
        m_line.pop_back();
      }
      if (m_state == State::size) {
        std::size_t end = std::min(m_line.find(';'), m_line.size()); // chunk extensions follow ';'
        auto [ptr, ec] = std::from_chars(m_line.data(), m_line.data() + end, m_remaining, 16);
        if (end == 0 || ec != std::errc() || ptr != m_line.data() + end) {
          throw ConnectionError("the engine sent an invalid chunked reply");
        }
        m_state = m_remaining == 0 ? State::trailer : State::data;
      } else if (m_state == State::data_end) {
        if (!m_line.empty()) {
          throw ConnectionError("the engine sent an invalid chunked reply (no line end after a chunk)");
        }
        m_state = State::size;
      } else if (m_line.empty()) {
        m_state = State::done;
      }
      m_line.clear();
      break;
    }
    case State::data: {
      std::size_t n = std::min(m_remaining, size - i);
      out.append(data + i, n);
      i += n;
      m_remaining -= n;
      if (m_remaining == 0) {
        m_state = State::data_end;
      }
      break;
    }
    case State::done:
      break;
    }
  }
  if (consumed) {
    *consumed = i;
  }
  return out;
}

PendingRequest::PendingRequest(EngineClient& client, const std::string& method, const std::string& target,
                               const std::optional<std::string>& json_body)
  : m_transport(client.transport()), m_what(method + " " + target), m_head(method == "HEAD")
{
  std::string versioned = "/v" + client.api_version().str() + target;
  // As Transport::send_whole: a request that changes something runs to its end, bounded in time.
  constexpr int k_limit_seconds = 120;
  // As there too, Ctrl-C stops a read in flight; a request that changes something runs to its end.
  bool read_only = method == "GET" || method == "HEAD";
  auto prepare = [&](RawConnection& connection) {
    connection.set_idle_timeout(std::chrono::seconds(k_limit_seconds), "the engine sent nothing for "
                                  + std::to_string(k_limit_seconds) + " s in answer to " + m_what);
    if (read_only && !CancelToken::instance().requested()) {
      connection.cancel_on(CancelToken::instance().fd());
    }
  };
  Headers headers{{"Content-Length", std::to_string(json_body ? json_body->size() : 0)}};
  if (json_body) {
    headers.emplace_back("Content-Type", "application/json");
  }
  bool reused = false;
  m_connection = write_request_on_kept(m_transport, prepare, method, versioned, headers, reused);
  if (json_body) {
    m_connection->write_all(*json_body);
  }
}

PendingRequest::~PendingRequest() = default;

HttpResponse PendingRequest::finish(const std::vector<int>& accepted)
{
  constexpr std::size_t k_max_body = 1 << 20;
  HttpResponse response = read_response_head(*m_connection, m_what);
  bool ended = true;
  if (!m_head) { // a HEAD reply announces the length of a body it never sends
    BodyReader body(*m_connection, response);
    response.body = body.read_all(k_max_body);
    ended = body.complete();
  }
  if (ended && response.keep_alive) {
    m_transport.keep_connection(std::move(m_connection));
  }
  throw_unless_accepted(response, accepted);
  return response;
}

} // namespace sandbox::engine
