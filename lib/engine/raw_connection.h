#pragma once

// A plain byte stream to the engine (unix socket, TCP, or TLS over TCP), for the requests that
// cpp-httplib cannot make: the hijacked attach connection and long polls that we must be able to
// abandon at any time. The caller polls fd() and calls read() when it is readable.

#include "engine/transport.h"

#include <memory>
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
  // Puts bytes back in front of the stream (read past a header block).
  void unread(std::string bytes);
  // True when read() can return data without touching the socket (buffered or TLS-pending).
  bool has_buffered() const;
  int fd() const { return m_fd; }

private:
  RawConnection(int fd, SSL_CTX* ctx, SSL* ssl) : m_fd(fd), m_ctx(ctx), m_ssl(ssl) {}

  int m_fd;
  SSL_CTX* m_ctx;
  SSL* m_ssl;
  std::string m_pending;
};

} // namespace sandbox::engine
