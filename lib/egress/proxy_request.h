#pragma once

// The head of a request a client sends to the egress proxy, read incrementally and within bounds:
// CONNECT host:port (a tunnel, for HTTPS) or an absolute-form request such as
// GET http://host[:port]/path (plain HTTP, forwarded in origin form). Everything else is refused
// with the status the proxy replies.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::egress {

// The longest request line and the largest head (request line and headers) the proxy reads.
inline constexpr std::size_t k_max_request_line = 8 * 1024;
inline constexpr std::size_t k_max_head = 32 * 1024;
inline constexpr std::size_t k_max_headers = 100;

// A request head the proxy refuses; status() is the reply: 400, 405, 414 or 431.
class RequestError : public std::runtime_error
{
public:
  RequestError(int status, const std::string& what) : std::runtime_error(what), m_status(status) {}
  int status() const { return m_status; }

private:
  int m_status;
};

struct ProxyRequest
{
  std::string method;
  // The host as asked: a name or an address literal (IPv6 without brackets).
  std::string host;
  std::uint16_t port = 0;
  // For a forwarded request: the origin-form target ("/path?query").
  std::string target;
  // For a forwarded request: the headers the origin gets, hop-by-hop ones dropped, Host replaced.
  std::vector<std::pair<std::string, std::string>> headers;

  // A tunnel (HTTP CONNECT, or SOCKS5's, method "SOCKS5") rather than one forwarded request.
  bool is_connect() const { return method == "CONNECT" || method == "SOCKS5"; }
  // The head to send to the origin: origin form, the kept headers, Connection: close.
  std::string origin_head() const;
};

// Reads one request head from the bytes a client sends, in pieces of any size.
class RequestHeadParser
{
public:
  // Consumes bytes up to the end of the head and returns how many it took (the rest belongs to the
  // body or the tunnel); throws RequestError when the head is malformed or exceeds a bound.
  std::size_t feed(std::string_view bytes);
  // True once the blank line that ends the head was read.
  bool done() const { return m_done; }
  // The request; only when done().
  const ProxyRequest& request() const { return m_request; }
  // The method as far as it was read, for the log of a refused request ("" before a space).
  std::string method_so_far() const;

private:
  void line_ended();

  std::string m_line;
  std::size_t m_head_size = 0;
  std::size_t m_lines = 0;
  bool m_done = false;
  std::vector<std::pair<std::string, std::string>> m_raw_headers;
  std::string m_request_line;
  ProxyRequest m_request;
};

} // namespace sandbox::egress
