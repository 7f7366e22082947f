#include "egress/proxy_request.h"

#include "egress/address.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <set>

namespace sandbox::egress {

namespace {

constexpr std::array<std::string_view, 7> k_forwarded_methods = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};

// Headers that describe one hop and never reach the origin (RFC 9110, 7.6.1), Host (replaced by
// the URL's authority) and the proxy's own credentials.
constexpr std::array<std::string_view, 9> k_hop_by_hop = {"connection",         "keep-alive", "proxy-authenticate",
                                                          "proxy-authorization", "proxy-connection", "te",
                                                          "trailer",            "upgrade",    "host"};

[[noreturn]] void bad_request(const std::string& why)
{
  throw RequestError(400, why);
}

bool is_token(std::string_view text)
{
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

std::string lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

std::string_view trimmed(std::string_view text)
{
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::uint16_t parse_port(std::string_view digits)
{
  unsigned value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || digits.size() > 5 || error != std::errc() || end != digits.data() + digits.size() || value == 0 ||
      value > 65535) {
    bad_request("the port must be a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

// Splits "host:port", "[v6]:port" or (with a default port) "host" into the request.
void parse_authority(std::string_view authority, int default_port, ProxyRequest& request)
{
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      bad_request("a '[' without its ']' in the host");
    }
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      bad_request("after ']' only ':PORT' may follow");
    }
    std::optional<Address> address = Address::parse(host);
    if (!address || host.find(':') == std::string_view::npos) {
      bad_request("brackets hold an IPv6 address");
    }
    has_port = !rest.empty();
    port = has_port ? rest.substr(1) : rest;
  } else {
    if (authority.find('@') != std::string_view::npos) {
      bad_request("credentials in the URL are not forwarded");
    }
    std::size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      has_port = true;
    }
    if (host.size() > 253 || !std::all_of(host.begin(), host.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        })) {
      bad_request("the host is not a DNS name or an IP address");
    }
  }
  if (host.empty()) {
    bad_request("the host is empty");
  }
  if (!has_port && default_port == 0) {
    bad_request("CONNECT needs host:port");
  }
  request.host = std::string(host);
  request.port = has_port ? parse_port(port) : static_cast<std::uint16_t>(default_port);
}

void parse_absolute_target(std::string_view target, ProxyRequest& request)
{
  if (!std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    bad_request("the URL holds a character that is not printable ASCII");
  }
  std::string scheme = lower(target.substr(0, std::min<std::size_t>(target.size(), 8)));
  if (scheme.starts_with("https://")) {
    bad_request("an https URL goes through CONNECT");
  }
  if (!scheme.starts_with("http://")) {
    if (target.starts_with('/')) {
      bad_request("this is a proxy: ask for an absolute URL (http://host/path) or CONNECT host:port");
    }
    bad_request("only http URLs are forwarded");
  }
  std::string_view rest = target.substr(7);
  std::size_t end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, end);
  parse_authority(authority, 80, request);
  std::string_view path = rest.substr(end);
  path = path.substr(0, path.find('#'));
  request.target = path.starts_with('/') ? std::string(path) : "/" + std::string(path);
  request.headers.emplace_back("Host", std::string(authority));
}

} // namespace

std::string ProxyRequest::origin_head() const
{
  std::string head = method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : headers) {
    head += name + ": " + value + "\r\n";
  }
  return head + "Connection: close\r\n\r\n";
}

std::size_t RequestHeadParser::feed(std::string_view bytes)
{
  if (m_done) {
    return 0;
  }
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (++m_head_size > k_max_head) {
      throw RequestError(431, "the request head is larger than " + std::to_string(k_max_head / 1024) + " KiB");
    }
    if (bytes[i] != '\n') {
      m_line.push_back(bytes[i]);
      if (m_lines == 0 && m_line.size() > k_max_request_line) {
        throw RequestError(414, "the request line is longer than " + std::to_string(k_max_request_line / 1024) + " KiB");
      }
      continue;
    }
    if (m_line.ends_with('\r')) {
      m_line.pop_back();
    }
    line_ended();
    m_line.clear();
    if (m_done) {
      return i + 1;
    }
  }
  return bytes.size();
}

std::string RequestHeadParser::method_so_far() const
{
  std::string_view line = m_lines == 0 ? std::string_view(m_line) : std::string_view(m_request_line);
  std::string_view method = line.substr(0, line.find(' '));
  return method.size() < line.size() && method.size() <= 16 && is_token(method) ? std::string(method) : "";
}

void RequestHeadParser::line_ended()
{
  if (std::any_of(m_line.begin(), m_line.end(), [](char c) { return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f; })) {
    bad_request("the request head holds a control character");
  }
  if (m_lines++ == 0) {
    m_request_line = m_line;
    std::size_t first = m_line.find(' ');
    std::size_t second = first == std::string::npos ? first : m_line.find(' ', first + 1);
    if (second == std::string::npos || m_line.find(' ', second + 1) != std::string::npos) {
      bad_request("the request line is not METHOD TARGET HTTP/1.1");
    }
    std::string_view line = m_line;
    std::string_view method = line.substr(0, first);
    std::string_view target = line.substr(first + 1, second - first - 1);
    std::string_view version = line.substr(second + 1);
    if (!is_token(method) || target.empty()) {
      bad_request("the request line is not METHOD TARGET HTTP/1.1");
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
      bad_request("only HTTP/1.0 and HTTP/1.1 are spoken");
    }
    m_request.method = std::string(method);
    if (method == "CONNECT") {
      parse_authority(target, 0, m_request);
    } else if (std::find(k_forwarded_methods.begin(), k_forwarded_methods.end(), method) != k_forwarded_methods.end()) {
      parse_absolute_target(target, m_request);
    } else {
      throw RequestError(405, "the method " + std::string(method) + " is not forwarded");
    }
    return;
  }
  if (!m_line.empty()) {
    if (m_lines - 1 > k_max_headers) {
      throw RequestError(431, "more than " + std::to_string(k_max_headers) + " header lines");
    }
    if (m_line.front() == ' ' || m_line.front() == '\t') {
      bad_request("folded header lines are not accepted");
    }
    std::size_t colon = m_line.find(':');
    std::string_view line = m_line;
    if (colon == std::string::npos || !is_token(line.substr(0, colon))) {
      bad_request("a header line is not NAME: VALUE");
    }
    m_raw_headers.emplace_back(m_line.substr(0, colon), std::string(trimmed(line.substr(colon + 1))));
    return;
  }
  m_done = true;
  if (m_request.is_connect()) {
    return;
  }
  std::set<std::string> dropped(k_hop_by_hop.begin(), k_hop_by_hop.end());
  std::set<std::string> lengths;
  bool chunked = false;
  for (const auto& [name, value] : m_raw_headers) {
    std::string key = lower(name);
    if (key == "connection") {
      std::string_view listed = value;
      while (!listed.empty()) {
        std::size_t comma = std::min(listed.find(','), listed.size());
        dropped.insert(lower(trimmed(listed.substr(0, comma))));
        listed.remove_prefix(std::min(comma + 1, listed.size()));
      }
    } else if (key == "content-length") {
      lengths.insert(value);
    } else if (key == "transfer-encoding") {
      chunked = true;
    }
  }
  if (lengths.size() > 1 || (!lengths.empty() && chunked)) {
    bad_request("the request's length is ambiguous (Content-Length and Transfer-Encoding disagree)");
  }
  for (auto& [name, value] : m_raw_headers) {
    if (!dropped.contains(lower(name))) {
      m_request.headers.emplace_back(std::move(name), std::move(value));
    }
  }
}

} // namespace sandbox::egress
