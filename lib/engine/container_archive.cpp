#include "engine/container_archive.h"

#include "engine/raw_connection.h"
#include "util/error.h"
#include "util/failpoint.h"
#include "util/json.h"

#include <openssl/evp.h>

#include <cstdio>
#include <vector>

namespace sandbox::engine {

namespace {

constexpr std::size_t k_max_error_body = 8192;

std::string base64_decode(const std::string& text)
{
  std::vector<unsigned char> out(text.size() / 4 * 3 + 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) {
    return "";
  }
  std::size_t size = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as data.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) {
    --size;
  }
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

[[noreturn]] void throw_engine_error(BodyReader& body, HttpResponse& head)
{
  head.body = body.read_all(k_max_error_body);
  throw EngineError(head.status, error_message(head));
}

} // namespace

json::Value decode_path_stat(const HttpResponse& response)
{
  try {
    return json::parse(base64_decode(response.header(k_path_stat_header)));
  } catch (const json::JsonError&) {
    return json::Value();
  }
}

namespace {

// Bits of Go's os.FileMode.
constexpr std::uint32_t k_go_dir = 1u << 31;
constexpr std::uint32_t k_go_symlink = 1u << 27;
constexpr std::uint32_t k_go_setuid = 1u << 23;
constexpr std::uint32_t k_go_setgid = 1u << 22;
constexpr std::uint32_t k_go_sticky = 1u << 20;
// Go's fs.ModeType: directory, symlink, device, named pipe, socket, char device, irregular.
constexpr std::uint32_t k_go_type = k_go_dir | k_go_symlink | 1u << 26 | 1u << 25 | 1u << 24 | 1u << 21 | 1u << 19;

bool stat_mode_has(const json::Value& stat, std::uint32_t bit)
{
  return stat["mode"].is_int() && (static_cast<std::uint32_t>(stat["mode"].as_int()) & bit) != 0;
}

} // namespace

bool stat_is_symlink(const json::Value& stat)
{
  return stat_mode_has(stat, k_go_symlink);
}

bool stat_is_directory(const json::Value& stat)
{
  return stat_mode_has(stat, k_go_dir);
}

bool stat_is_regular(const json::Value& stat)
{
  return stat["mode"].is_int() && !stat_mode_has(stat, k_go_type);
}

std::optional<unsigned> stat_permissions(const json::Value& stat)
{
  if (!stat["mode"].is_int()) {
    return std::nullopt;
  }
  auto mode = static_cast<std::uint32_t>(stat["mode"].as_int());
  return (mode & 0777) | ((mode & k_go_setuid) ? 04000u : 0u) | ((mode & k_go_setgid) ? 02000u : 0u)
         | ((mode & k_go_sticky) ? 01000u : 0u);
}

TarUpload::TarUpload(EngineClient& client, const std::string& method, const std::string& unversioned,
                     const ChunkSource& source, int cancel_fd)
  : m_transport(client.transport())
{
  failpoint("before-upload");
  std::string target = "/v" + client.api_version().str() + unversioned;
  m_what = method + " " + target;
  // On a kept connection, like every request but attach and wait. The body cannot be sent twice,
  // so only a connection found closed before the head went out is replaced.
  bool reused = false;
  m_connection = write_request_on_kept(m_transport, [&](RawConnection& connection) { connection.cancel_on(cancel_fd); },
                                       method, target,
                                       {{"Content-Type", "application/x-tar"}, {"Transfer-Encoding", "chunked"}}, reused);
  try {
    std::string chunk;
    while (source(chunk)) {
      if (chunk.empty()) {
        continue;
      }
      char size_line[32];
      int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
      m_connection->write_all(size_line, static_cast<std::size_t>(n));
      m_connection->write_all(chunk);
      m_connection->write_all("\r\n", 2);
    }
    m_connection->write_all("0\r\n\r\n", 5);
  } catch (const ConnectionError& write_failed) {
    // The engine may have refused the upload early and closed: its answer says why.
    HttpResponse head;
    try {
      head = read_response_head(*m_connection, m_what);
    } catch (const Error&) {
      throw write_failed;
    }
    BodyReader body(*m_connection, head);
    throw_engine_error(body, head);
  }
}

TarUpload::~TarUpload() = default;

std::string TarUpload::finish()
{
  HttpResponse head = read_response_head(*m_connection, m_what);
  BodyReader body(*m_connection, head);
  if (head.status / 100 != 2) {
    throw_engine_error(body, head);
  }
  std::string reply = body.read_all(k_max_error_body);
  if (body.complete() && head.keep_alive) {
    m_transport.keep_connection(std::move(m_connection));
  }
  return reply;
}

ArchiveDownload::ArchiveDownload(EngineClient& client, const std::string& unversioned, int cancel_fd)
  : m_transport(client.transport())
{
  failpoint("before-download");
  std::string target = "/v" + client.api_version().str() + unversioned;
  HttpResponse head;
  // A GET changes nothing: sent once more on a fresh connection when a kept one turns out closed.
  for (bool may_retry = true;; may_retry = false) {
    bool reused = false;
    m_connection = may_retry ? m_transport.take_connection(reused) : RawConnection::open(m_transport);
    m_connection->cancel_on(cancel_fd);
    std::uint64_t received_before = m_connection->bytes_received();
    try {
      head = send_raw_request(*m_connection, client.endpoint(), "GET", target, {{"Accept-Encoding", "identity"}});
      break;
    } catch (const ConnectionError&) {
      if (!may_retry || !closed_before_reply(*m_connection, reused, received_before)) {
        throw;
      }
    }
  }
  m_keep_alive = head.keep_alive;
  m_body = std::make_unique<BodyReader>(*m_connection, head);
  if (head.status != 200) {
    throw_engine_error(*m_body, head);
  }
}

ArchiveDownload::~ArchiveDownload()
{
  // Only a tar read to its announced end leaves the connection fit for another request.
  if (m_body && m_body->complete() && m_keep_alive) {
    m_transport.keep_connection(std::move(m_connection));
  }
}

std::size_t ArchiveDownload::read(char* buffer, std::size_t size)
{
  std::size_t n = m_body->read(buffer, size);
  m_received += n;
  return n;
}

} // namespace sandbox::engine
