#pragma once

// The Engine's archive endpoints (/containers/{id}/archive): the stat a HEAD reply carries, a tar
// streamed out (GET) and one streamed in (PUT, and the image import). Both streams run over a raw
// connection that we read and write ourselves, so that neither side is ever held in memory and a
// cancellation (Ctrl-C, the docker CLI going away) stops them at once.

#include "engine/engine_client.h"
#include "engine/raw_http.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sandbox::engine {

// The header of an archive HEAD reply that holds the path's stat, base64-encoded JSON.
inline constexpr const char* k_path_stat_header = "X-Docker-Container-Path-Stat";

// The stat a HEAD reply carries ({"name", "size", "mode", "linkTarget", ...}); null when unreadable.
json::Value decode_path_stat(const HttpResponse& response);

// Whether a decoded stat's mode (Go's os.FileMode) says symbolic link, or directory.
bool stat_is_symlink(const json::Value& stat);
bool stat_is_directory(const json::Value& stat);
// A regular file: a mode without any of Go's type bits (false when the mode is missing).
bool stat_is_regular(const json::Value& stat);

// The permission bits (with setuid, setgid and sticky as 04000, 02000, 01000) of a decoded stat's
// mode; nullopt when it has none.
std::optional<unsigned> stat_permissions(const json::Value& stat);

// Fills `chunk` with the next piece of the body; false when there is no more.
using ChunkSource = std::function<bool(std::string& chunk)>;

// A request whose body is the tar that `source` produces, sent chunked to the unversioned `target`
// (path and query): an archive PUT into a container, or an image import. The reply is read by
// finish(), so that another request can be sent while the engine unpacks.
class TarUpload
{
public:
  // Sends the whole body. `cancel_fd` (readable once cancelled) aborts it. Throws EngineError with
  // the engine's message when it refused early, ConnectionError, Cancelled, or what `source` throws.
  TarUpload(EngineClient& client, const std::string& method, const std::string& target, const ChunkSource& source,
            int cancel_fd);
  ~TarUpload();
  TarUpload(const TarUpload&) = delete;
  TarUpload& operator=(const TarUpload&) = delete;

  // Reads the reply. Returns its body (bounded). Throws EngineError, ConnectionError.
  std::string finish();

private:
  Transport& m_transport;
  std::unique_ptr<RawConnection> m_connection;
  std::string m_what;
};

// A GET whose reply is a tar (an archive of a container path), read as it arrives.
class ArchiveDownload
{
public:
  // Sends GET to the unversioned `target`. Throws EngineError (404: the path or the container
  // does not exist).
  ArchiveDownload(EngineClient& client, const std::string& target, int cancel_fd);
  // Keeps the connection for another request when the tar was read to its end.
  ~ArchiveDownload();

  // Up to `size` bytes of the tar; 0 at its end. Throws ConnectionError or Cancelled.
  std::size_t read(char* buffer, std::size_t size);
  std::uint64_t received() const { return m_received; }

private:
  Transport& m_transport;
  std::unique_ptr<RawConnection> m_connection;
  std::unique_ptr<BodyReader> m_body; // destroyed before m_connection, which it reads
  bool m_keep_alive = false;
  std::uint64_t m_received = 0;
};

} // namespace sandbox::engine
