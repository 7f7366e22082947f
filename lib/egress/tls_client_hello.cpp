#include "egress/tls_client_hello.h"

#include <cstdint>

namespace sandbox::egress {

namespace {

constexpr std::uint8_t k_first_record_type = 20; // change_cipher_spec
constexpr std::uint8_t k_last_record_type = 24;  // heartbeat
constexpr std::uint8_t k_handshake_record = 22;
constexpr std::uint8_t k_client_hello = 1;
constexpr std::uint16_t k_server_name_extension = 0;
constexpr std::uint16_t k_encrypted_client_hello_extension = 0xfe0d;
constexpr std::uint8_t k_host_name = 0;
constexpr std::size_t k_record_header = 5;
constexpr std::size_t k_max_record = 16384 + 2048; // TLSCiphertext's bound; a plaintext record is smaller

// Reads big-endian fields from a byte range, remembering when one ran past its end.
class Reader
{
public:
  explicit Reader(std::string_view bytes) : m_bytes(bytes) {}

  std::size_t number(std::size_t width)
  {
    if (m_bytes.size() < width) {
      m_failed = true;
      m_bytes = {};
      return 0;
    }
    std::size_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value = (value << 8) | static_cast<std::uint8_t>(m_bytes[i]);
    }
    m_bytes.remove_prefix(width);
    return value;
  }
  std::string_view bytes(std::size_t size)
  {
    if (m_bytes.size() < size) {
      m_failed = true;
      m_bytes = {};
      return {};
    }
    std::string_view out = m_bytes.substr(0, size);
    m_bytes.remove_prefix(size);
    return out;
  }
  // A field preceded by its length of `width` bytes.
  std::string_view vector(std::size_t width) { return bytes(number(width)); }
  bool failed() const { return m_failed; }
  bool empty() const { return m_bytes.empty(); }

private:
  std::string_view m_bytes;
  bool m_failed = false;
};

// A host name of RFC 6066 3 without its one optional trailing dot: labels of letters, digits,
// hyphens (and underscores, which real names carry), none empty.
bool valid_host_name(std::string_view name)
{
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// The body of a complete ClientHello message (after its 4-byte header).
ClientHello parse_body(std::string_view body)
{
  const ClientHello malformed{ClientHello::Status::malformed, std::nullopt};
  ClientHello out;
  Reader in(body);
  in.number(2);  // legacy_version
  in.bytes(32);  // random
  in.vector(1);  // legacy_session_id
  in.vector(2);  // cipher_suites
  in.vector(1);  // legacy_compression_methods
  if (in.failed()) {
    return malformed;
  }
  if (in.empty()) {
    out.status = ClientHello::Status::complete; // no extensions at all (SSL 3.0 style)
    return out;
  }
  Reader extensions(in.vector(2));
  if (in.failed() || !in.empty()) {
    return malformed;
  }
  bool seen = false;
  while (!extensions.empty()) {
    std::size_t type = extensions.number(2);
    Reader data(extensions.vector(2));
    if (extensions.failed()) {
      return malformed;
    }
    if (type == k_encrypted_client_hello_extension) {
      out.hides_server_name = true;
    }
    if (type != k_server_name_extension) {
      continue;
    }
    if (seen) {
      return malformed; // the same extension twice: RFC 8446 4.2 forbids it
    }
    seen = true;
    Reader names(data.vector(2));
    if (data.failed() || !data.empty() || names.empty()) {
      return malformed;
    }
    while (!names.empty()) {
      std::size_t kind = names.number(1);
      std::string_view name = names.vector(2);
      if (names.failed()) {
        return malformed;
      }
      if (kind != k_host_name) {
        continue;
      }
      if (name.ends_with('.')) {
        name.remove_suffix(1);
      }
      if (out.server_name || !valid_host_name(name)) {
        return malformed; // RFC 6066 3: one host_name at most
      }
      std::string lower(name);
      for (char& c : lower) {
        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      }
      out.server_name = lower;
    }
  }
  out.status = ClientHello::Status::complete;
  return out;
}

} // namespace

ClientHello read_client_hello(std::string_view bytes)
{
  ClientHello out;
  if (bytes.empty()) {
    return out;
  }
  // Any TLS record type (change_cipher_spec, alert, handshake, application_data, heartbeat) is TLS:
  // some servers skip a warning alert before the ClientHello, which must not hide it.
  std::uint8_t first = static_cast<std::uint8_t>(bytes[0]);
  if (first < k_first_record_type || first > k_last_record_type) {
    out.status = ClientHello::Status::not_tls;
    return out;
  }
  // The handshake messages, from the payloads of consecutive handshake records.
  std::string handshake;
  std::size_t at = 0;
  for (;;) {
    if (handshake.size() >= 4) {
      Reader header(handshake);
      std::size_t type = header.number(1);
      std::size_t length = header.number(3);
      if (type != k_client_hello || length + 4 > k_max_client_hello_bytes) {
        out.status = ClientHello::Status::malformed;
        return out;
      }
      if (handshake.size() >= length + 4) {
        return parse_body(std::string_view(handshake).substr(4, length));
      }
    }
    if (bytes.size() - at < k_record_header) {
      break; // more is needed
    }
    Reader header(bytes.substr(at, k_record_header));
    std::size_t type = header.number(1);
    std::size_t major = header.number(1);
    header.number(1); // minor: any
    std::size_t length = header.number(2);
    if (type != k_handshake_record || major != 3 || length == 0 || length > k_max_record) {
      out.status = ClientHello::Status::malformed;
      return out;
    }
    if (bytes.size() - at - k_record_header < length) {
      break;
    }
    handshake.append(bytes.substr(at + k_record_header, length));
    at += k_record_header + length;
  }
  if (bytes.size() >= k_max_client_hello_bytes) {
    out.status = ClientHello::Status::malformed;
  }
  return out;
}

} // namespace sandbox::egress
