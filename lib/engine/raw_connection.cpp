#include "engine/raw_connection.h"

#include "util/error.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

namespace sandbox::engine {

namespace {

int connect_unix(const std::string& path, const Endpoint& endpoint)
{
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    throw ConnectionError(describe_unreachable(endpoint, "socket path too long"));
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::string reason = std::strerror(errno);
    if (fd >= 0) {
      ::close(fd);
    }
    throw ConnectionError(describe_unreachable(endpoint, reason));
  }
  return fd;
}

constexpr int k_connect_timeout_ms = 10'000;

// connect() that gives up after `timeout_ms` (as cpp-httplib's connection timeout does); the
// socket is left blocking for the TLS handshake.
bool connect_within(int fd, const sockaddr* address, socklen_t length, int timeout_ms)
{
  int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  bool connected = ::connect(fd, address, length) == 0;
  if (!connected && errno == EINPROGRESS) {
    pollfd pending{fd, POLLOUT, 0};
    int error = 0;
    socklen_t size = sizeof error;
    if (::poll(&pending, 1, timeout_ms) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0) {
      connected = error == 0;
      errno = error;
    } else {
      errno = ETIMEDOUT;
    }
  }
  ::fcntl(fd, F_SETFL, flags);
  return connected;
}

int connect_tcp(const Endpoint& endpoint)
{
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(endpoint.address.c_str(), std::to_string(endpoint.port).c_str(), &hints, &found);
  if (rc != 0) {
    throw ConnectionError(describe_unreachable(endpoint, ::gai_strerror(rc)));
  }
  std::string reason = "no address";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd >= 0 && connect_within(fd, ai->ai_addr, ai->ai_addrlen, k_connect_timeout_ms)) {
      ::freeaddrinfo(found);
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
    reason = std::strerror(errno);
    if (fd >= 0) {
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  throw ConnectionError(describe_unreachable(endpoint, reason));
}

std::string ssl_error()
{
  unsigned long code = ERR_get_error();
  char text[256] = "unknown TLS error";
  if (code != 0) {
    ERR_error_string_n(code, text, sizeof text);
  }
  ERR_clear_error();
  return text;
}

// OpenSSL's error, after the hint when the server wanted a client certificate that we did not give.
// TLS 1.3 refuses a missing certificate after the handshake, with an alert that OpenSSL names only
// when it is read; one that arrives while we write shows as a generic error. That the server asked
// is known from the handshake (note_certificate_asked), whatever the timing.
std::string tls_error_of(SSL* ssl)
{
  bool alert = ERR_GET_REASON(ERR_peek_error()) == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED;
  std::string said = ssl_error();
  if (alert || SSL_get_app_data(ssl) != nullptr) {
    return "the engine wants a client certificate (--tlscert and --tlskey, DOCKER_CERT_PATH with cert.pem and "
           "key.pem, or a context that has them); OpenSSL: "
           + said;
  }
  return said;
}

// Called when the server asks for a client certificate and we have none to give: notes it on
// the connection, and goes on without one (the server decides).
int note_certificate_asked(SSL* ssl, X509**, EVP_PKEY**)
{
  SSL_set_app_data(ssl, const_cast<char*>("asked for a client certificate"));
  return 0;
}

} // namespace

std::unique_ptr<RawConnection> RawConnection::open(Transport& transport)
{
  const Endpoint& endpoint = transport.endpoint();
  if (endpoint.transport != TransportKind::tcp) {
    return std::unique_ptr<RawConnection>(new RawConnection(connect_unix(transport.unix_socket_path(), endpoint), nullptr, nullptr));
  }
  int fd = connect_tcp(endpoint);
  if (!endpoint.tls) {
    return std::unique_ptr<RawConnection>(new RawConnection(fd, nullptr, nullptr));
  }
  const TlsFiles& tls = *endpoint.tls;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  auto fail = [&](const std::string& what, bool with_ssl_error = true, SSL* ssl = nullptr) {
    std::string reason = with_ssl_error ? what + ": " + (ssl ? tls_error_of(ssl) : ssl_error()) : what;
    SSL_CTX_free(ctx);
    ::close(fd);
    return ConnectionError(describe_unreachable(endpoint, reason));
  };
  if (!tls.ca_file.empty() ? SSL_CTX_load_verify_locations(ctx, tls.ca_file.c_str(), nullptr) != 1
                           : SSL_CTX_set_default_verify_paths(ctx) != 1) {
    throw fail("cannot load the CA certificate");
  }
  if (!tls.cert_file.empty()
      && (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1
          || SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1)) {
    throw fail("cannot load the client certificate");
  }
  SSL_CTX_set_verify(ctx, tls.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  if (tls.cert_file.empty()) {
    SSL_CTX_set_client_cert_cb(ctx, note_certificate_asked);
  }
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, endpoint.address.c_str());
  if (tls.verify) {
    SSL_set1_host(ssl, endpoint.address.c_str());
  }
  // An endpoint that accepts and then says nothing must not hold the handshake forever.
  timeval limit{k_connect_timeout_ms / 1000, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  if (SSL_connect(ssl) != 1) {
    bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
    ConnectionError error = timed_out
                              ? fail("no TLS handshake within " + std::to_string(k_connect_timeout_ms / 1000) + " s", false)
                              : fail("TLS handshake failed", true, ssl);
    SSL_free(ssl);
    throw error;
  }
  timeval none{0, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
  return std::unique_ptr<RawConnection>(new RawConnection(fd, ctx, ssl));
}

RawConnection::RawConnection(int fd, SSL_CTX* ctx, SSL* ssl) : m_fd(fd), m_ctx(ctx), m_ssl(ssl)
{
  ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
}

RawConnection::~RawConnection()
{
  if (m_ssl) {
    SSL_free(m_ssl);
  }
  if (m_ctx) {
    SSL_CTX_free(m_ctx);
  }
  ::close(m_fd);
}

std::string RawConnection::tls_error() const
{
  // A server that asked for a certificate may have taken none (optional client auth): once it has
  // answered, a later failure is not about the certificate.
  return m_received == 0 ? tls_error_of(m_ssl) : ssl_error();
}

// The socket is non-blocking once connected, so that one thread can write stdin while another
// reads output: every TLS call is made under the mutex and never waits there; waiting happens
// in poll() outside it.
void RawConnection::wait_for(short events)
{
  pollfd fds[2] = {{m_fd, events, 0}, {m_cancel_fd, POLLIN, 0}};
  int timeout = m_idle_limit ? static_cast<int>(m_idle_limit->count()) : -1;
  int ready;
  while ((ready = ::poll(fds, m_cancel_fd >= 0 ? 2 : 1, timeout)) < 0 && errno == EINTR) {
  }
  if (m_cancel_fd >= 0 && (fds[1].revents & POLLIN)) {
    throw Cancelled();
  }
  if (ready == 0) {
    throw ConnectionError(m_idle_what);
  }
}

void RawConnection::throw_if_cancelled()
{
  if (m_cancel_fd < 0) {
    return;
  }
  pollfd cancel{m_cancel_fd, POLLIN, 0};
  if (::poll(&cancel, 1, 0) == 1 && (cancel.revents & POLLIN)) {
    throw Cancelled();
  }
}

std::size_t RawConnection::read(char* buffer, std::size_t size)
{
  throw_if_cancelled();
  if (!m_pending.empty()) {
    std::size_t n = std::min(size, m_pending.size());
    std::memcpy(buffer, m_pending.data(), n);
    m_pending.erase(0, n);
    return n;
  }
  for (;;) {
    if (m_ssl) {
      int n;
      int error;
      {
        std::lock_guard<std::mutex> lock(m_ssl_mutex);
        n = SSL_read(m_ssl, buffer, static_cast<int>(size));
        error = n > 0 ? SSL_ERROR_NONE : SSL_get_error(m_ssl, n);
      }
      if (n > 0) {
        m_received += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        wait_for(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT);
        continue;
      }
      if (error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SYSCALL) {
        m_peer_closed = true;
        return 0;
      }
      throw ConnectionError("reading from the engine: " + tls_error());
    }
    ssize_t n = ::read(m_fd, buffer, size);
    if (n > 0) {
      m_received += static_cast<std::uint64_t>(n);
      return static_cast<std::size_t>(n);
    }
    if (n == 0) {
      m_peer_closed = true;
      return 0;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN) {
      wait_for(POLLIN);
      continue;
    }
    if (errno == ECONNRESET) {
      m_peer_closed = true;
      return 0;
    }
    throw ConnectionError(std::string("reading from the engine: ") + std::strerror(errno));
  }
}

void RawConnection::write_all(const char* data, std::size_t size)
{
  throw_if_cancelled();
  while (size > 0) {
    ssize_t n;
    if (m_ssl) {
      int error;
      {
        std::lock_guard<std::mutex> lock(m_ssl_mutex);
        int written = SSL_write(m_ssl, data, static_cast<int>(size));
        error = written > 0 ? SSL_ERROR_NONE : SSL_get_error(m_ssl, written);
        n = written;
      }
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        wait_for(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT);
        continue;
      }
      if (n <= 0) {
        if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN) {
          m_peer_closed = true;
        }
        throw ConnectionError("writing to the engine: " + tls_error());
      }
    } else {
      n = ::send(m_fd, data, size, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        if (errno == EAGAIN) {
          wait_for(POLLOUT);
          continue;
        }
        if (errno == EPIPE || errno == ECONNRESET) {
          m_peer_closed = true;
        }
        throw ConnectionError(std::string("writing to the engine: ") + std::strerror(errno));
      }
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    m_sent += static_cast<std::uint64_t>(n);
  }
}

void RawConnection::close_write()
{
  if (m_ssl) {
    std::lock_guard<std::mutex> lock(m_ssl_mutex);
    SSL_shutdown(m_ssl); // close_notify, as the Go client's CloseWrite on TLS
  } else {
    ::shutdown(m_fd, SHUT_WR);
  }
}

void RawConnection::abort_writes()
{
  ::shutdown(m_fd, SHUT_WR);
}

void RawConnection::unread(std::string bytes)
{
  m_pending.insert(0, bytes);
}

bool RawConnection::silent_and_open()
{
  if (m_peer_closed || has_buffered()) {
    return false;
  }
  // Readable means the engine closed (or sent bytes nobody asked for): either way, not reusable.
  pollfd check{m_fd, POLLIN, 0};
  int ready;
  while ((ready = ::poll(&check, 1, 0)) < 0 && errno == EINTR) {
  }
  return ready == 0;
}

bool RawConnection::has_buffered()
{
  if (!m_pending.empty()) {
    return true;
  }
  if (!m_ssl) {
    return false;
  }
  std::lock_guard<std::mutex> lock(m_ssl_mutex);
  return SSL_pending(m_ssl) > 0;
}

} // namespace sandbox::engine
