#pragma once

// A plain byte stream to the engine (unix socket, TCP, or TLS over TCP), for the requests that
// cpp-httplib cannot make: the hijacked attach connection and long polls that we must be able to
// abandon at any time. The caller polls fd() and calls read() when it is readable; one other
// thread may write at the same time.

#include "engine/transport.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <mutex>
#include <string>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace sandbox::engine {

class RawConnection
{
public:
  // Connects to the transport's endpoint. Throws ConnectionError naming it.
  static std::unique_ptr<RawConnection> open(Transport& transport);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Reads up to `size` bytes (bytes put back with unread() first); 0 at end of stream.
  // Throws ConnectionError.
  std::size_t read(char* buffer, std::size_t size);
  // Writes everything. Throws ConnectionError (e.g. the engine went away).
  void write_all(const char* data, std::size_t size);
  void write_all(const std::string& data) { write_all(data.data(), data.size()); }
  // Half-closes: the engine sees end of input, output keeps flowing.
  void close_write();
  // Makes a write blocked in another thread fail at once (shuts the sending side down).
  void abort_writes();
  // Puts bytes back in front of the stream (read past a header block).
  void unread(std::string bytes);
  // True when read() can return data without touching the socket (buffered or TLS-pending).
  bool has_buffered();
  int fd() const { return m_fd; }
  // From now on, reads and writes throw Cancelled once `fd` (the CancelToken's) is readable,
  // also while they wait.
  void cancel_on(int fd) { m_cancel_fd = fd; }

  // From now on, a read or write that waits longer than `limit` for the engine throws
  // ConnectionError(`what`); nullopt: waits are unbounded again.
  void set_idle_timeout(std::optional<std::chrono::milliseconds> limit, std::string what = "")
  {
    m_idle_limit = limit;
    m_idle_what = std::move(what);
  }

  // Bytes read from and written to the socket so far (TLS: plaintext).
  std::uint64_t bytes_received() const { return m_received; }
  std::uint64_t bytes_sent() const { return m_sent; }
  // Whether a read saw the engine's end (EOF, reset) or a write found the connection gone.
  bool peer_closed() const { return m_peer_closed; }
  // True when nothing is waiting to be read and the engine has not closed: a kept connection
  // that may carry the next request. Never blocks.
  bool silent_and_open();

private:
  RawConnection(int fd, SSL_CTX* ctx, SSL* ssl);
  void wait_for(short events);
  void throw_if_cancelled();
  // What OpenSSL said of the last failed call, with a hint when the engine wanted our certificate.
  std::string tls_error() const;

  int m_fd;
  int m_cancel_fd = -1;
  std::optional<std::chrono::milliseconds> m_idle_limit;
  std::string m_idle_what;
  SSL_CTX* m_ctx;
  SSL* m_ssl;
  std::mutex m_ssl_mutex; // one thread reads while another writes (stdin)
  std::string m_pending;  // read by one thread only
  std::uint64_t m_received = 0;
  std::uint64_t m_sent = 0;
  std::atomic<bool> m_peer_closed{false}; // the stdin thread writes while the main one reads
};

} // namespace sandbox::engine
