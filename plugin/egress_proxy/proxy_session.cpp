// A session is one coroutine that reads the request (an HTTP head, or a SOCKS5 greeting and
// request), decides and connects, then two pumps, one per direction, each reading only once its
// previous write has finished (backpressure) and passing an end of stream on as a half-close. A
// watchdog coroutine enforces the deadline of the current phase: the whole request within the head
// timeout (a slowloris client is dropped), the connection within the connect timeout, then an idle
// timeout that every transfer pushes back.

#include "proxy_session.h"

#include "egress/proxy_request.h"
#include "egress/socks5_request.h"
#include "egress/tls_client_hello.h"
#include "proxy_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace sandbox::egress_proxy {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using std::chrono::steady_clock;

namespace {

// A pump moves bytes from one socket to the other through a pipe with splice(2), never through
// user space; the pipe holds up to this much (the kernel's default otherwise: 64 KiB).
constexpr int k_pipe_size = 256 * 1024;
// How long and how much a refused client's remaining bytes are read before the connection closes.
constexpr std::chrono::seconds k_linger{1};
constexpr std::size_t k_max_linger_bytes = 256 * 1024;
// At most this many of a name's addresses are tried.
constexpr std::size_t k_max_candidates = 4;

// The pipe of one pump (see k_pipe_size). Invalid when the process is out of descriptors.
class SplicePipe
{
public:
  SplicePipe()
  {
    if (::pipe2(m_fds, O_NONBLOCK | O_CLOEXEC) == 0) {
      ::fcntl(m_fds[1], F_SETPIPE_SZ, k_pipe_size); // at worst the default size, which works too
    }
  }
  ~SplicePipe()
  {
    for (int fd : m_fds) {
      if (fd >= 0) {
        ::close(fd);
      }
    }
  }
  SplicePipe(const SplicePipe&) = delete;
  SplicePipe& operator=(const SplicePipe&) = delete;
  explicit operator bool() const { return m_fds[0] >= 0; }
  int read_end() const { return m_fds[0]; }
  int write_end() const { return m_fds[1]; }

private:
  int m_fds[2] = {-1, -1};
};

auto nothrow(error_code& error)
{
  return asio::redirect_error(asio::use_awaitable, error);
}

std::string status_reply(int status, const std::string& text)
{
  const char* phrase = status == 400   ? "Bad Request"
                       : status == 403 ? "Forbidden"
                       : status == 405 ? "Method Not Allowed"
                       : status == 414 ? "URI Too Long"
                       : status == 431 ? "Request Header Fields Too Large"
                       : status == 503 ? "Service Unavailable"
                       : status == 502 ? "Bad Gateway"
                       : status == 504 ? "Gateway Timeout"
                                       : "Error";
  std::string body = text + "\n";
  return "HTTP/1.1 " + std::to_string(status) + " " + phrase + "\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// The SOCKS5 reply that says what the HTTP status says.
egress::Socks5Reply socks5_code(int status)
{
  switch (status) {
  case 403:
    return egress::Socks5Reply::not_allowed;
  case 502:
    return egress::Socks5Reply::host_unreachable;
  case 504:
    return egress::Socks5Reply::ttl_expired;
  default:
    return egress::Socks5Reply::general_failure;
  }
}

std::string with_port(const std::string& host, std::uint16_t port)
{
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

struct Lookup
{
  std::vector<egress::Address> addresses;
  // getaddrinfo's reason when it failed.
  std::string failure;
};

// The addresses of `host`, in getaddrinfo's order; blocks, so it runs on the resolver pool.
Lookup lookup(const std::string& host)
{
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* results = nullptr;
  int status = getaddrinfo(host.c_str(), nullptr, &hints, &results);
  if (status != 0) {
    return {{}, gai_strerror(status)};
  }
  Lookup found;
  for (addrinfo* entry = results; entry != nullptr; entry = entry->ai_next) {
    const std::uint8_t* bytes =
      entry->ai_family == AF_INET
        ? reinterpret_cast<const std::uint8_t*>(&reinterpret_cast<const sockaddr_in*>(entry->ai_addr)->sin_addr)
        : reinterpret_cast<const std::uint8_t*>(&reinterpret_cast<const sockaddr_in6*>(entry->ai_addr)->sin6_addr);
    egress::Address address = egress::Address::from_bytes(bytes, entry->ai_family == AF_INET ? 4 : 16);
    if (std::find(found.addresses.begin(), found.addresses.end(), address) == found.addresses.end()) {
      found.addresses.push_back(address);
    }
  }
  freeaddrinfo(results);
  return found;
}

// Looks `host` up on `pool` and completes on `home`. (Boost 1.74 frees a coroutine frame spawned
// onto another executor on the wrong thread, so the pool gets a plain function.)
template <typename Token>
auto async_lookup(asio::thread_pool& pool, asio::any_io_executor home, std::string host, Token&& token)
{
  return asio::async_initiate<Token, void(Lookup)>(
    [&pool, home](auto handler, std::string name) {
      asio::post(pool, [handler = std::move(handler), home, name = std::move(name)]() mutable {
        asio::post(home, [handler = std::move(handler), found = lookup(name)]() mutable { std::move(handler)(std::move(found)); });
      });
    },
    token, std::move(host));
}

tcp::endpoint endpoint_of(const egress::Address& address, std::uint16_t port)
{
  if (address.is_v6()) {
    asio::ip::address_v6::bytes_type bytes;
    std::copy(address.bytes().begin(), address.bytes().end(), bytes.begin());
    return {asio::ip::address_v6(bytes), port};
  }
  asio::ip::address_v4::bytes_type bytes;
  std::copy_n(address.bytes().begin(), 4, bytes.begin());
  return {asio::ip::address_v4(bytes), port};
}

class Session : public std::enable_shared_from_this<Session>
{
public:
  Session(ProxyServer& server, tcp::socket client, bool over_cap)
    : m_server(server), m_client(std::move(client)), m_origin(m_client.get_executor()),
      m_watchdog(m_client.get_executor()), m_over_cap(over_cap)
  {
    m_server.session_started();
    m_entry.time = std::chrono::system_clock::now();
  }
  ~Session() { m_server.session_ended(); }

  // Runs the session, which lives as long as this coroutine.
  static asio::awaitable<void> serve(std::shared_ptr<Session> session) { co_await session->run(); }

private:
  // What the session waits for, which decides what the watchdog closes when the deadline passes:
  // the client (its head, or what it still sends after a refusal), the connection to the
  // destination, or either side of a tunnel.
  enum class Phase { reading, connecting, transferring };

  asio::awaitable<void> run();
  asio::awaitable<void> watch();
  void enter(Phase phase, steady_clock::duration limit);
  void close_all();

  asio::awaitable<bool> read_request();
  asio::awaitable<std::optional<std::vector<egress::Address>>> resolve();
  asio::awaitable<bool> connect(const std::vector<egress::Address>& allowed);
  asio::awaitable<void> pump(tcp::socket& from, tcp::socket& to, std::uint64_t& counter, bool ends_session);
  asio::awaitable<void> transfer(std::string first_up);
  asio::awaitable<bool> check_server_name(std::string& first_up);
  asio::awaitable<void> refuse(int status, const std::string& text);
  asio::awaitable<void> send_and_close(std::string wire);
  void finish();

  ProxyServer& m_server;
  tcp::socket m_client;
  tcp::socket m_origin;
  asio::steady_timer m_watchdog;
  Phase m_phase = Phase::reading;
  steady_clock::time_point m_deadline;
  bool m_timed_out = false;
  bool m_finished = false;
  bool m_over_cap;
  // The client speaks SOCKS5 (its first byte is 5), not HTTP.
  bool m_socks = false;
  steady_clock::time_point m_started = steady_clock::now();
  egress::ProxyRequest m_request;
  std::string m_leftover;
  egress::LogEntry m_entry;
};

void Session::enter(Phase phase, steady_clock::duration limit)
{
  m_phase = phase;
  m_deadline = steady_clock::now() + limit;
  m_watchdog.cancel();
}

void Session::close_all()
{
  error_code ignored;
  m_client.close(ignored);
  m_origin.close(ignored);
}

asio::awaitable<void> Session::watch()
{
  auto self = shared_from_this();
  while (!m_finished) {
    m_watchdog.expires_at(m_deadline);
    error_code error;
    co_await m_watchdog.async_wait(nothrow(error));
    if (m_finished || steady_clock::now() < m_deadline) {
      continue;
    }
    m_timed_out = true;
    error_code ignored;
    if (m_phase == Phase::connecting) {
      m_origin.close(ignored);
      m_deadline = steady_clock::time_point::max();
    } else {
      close_all();
      co_return;
    }
  }
}

asio::awaitable<void> Session::run()
{
  enter(Phase::reading, m_server.config().head_timeout);
  asio::co_spawn(m_client.get_executor(), watch(), asio::detached);
  if (m_over_cap) {
    m_entry = m_server.refusal_entry();
    co_await refuse(503, "egress proxy: too many connections");
  } else if (co_await read_request()) {
    m_entry.method = m_request.method;
    m_entry.host = m_request.host;
    m_entry.port = m_request.port;
    egress::Decision decision = m_server.allowlist().check_host(m_request.host, m_request.port);
    m_entry.reason = decision.reason;
    m_entry.allowed = decision.allowed;
    if (!decision.allowed) {
      co_await refuse(403, "egress denied: " + with_port(m_request.host, m_request.port) + ": " + decision.reason);
    } else if (std::optional<std::vector<egress::Address>> allowed = co_await resolve()) {
      if (co_await connect(*allowed)) {
        std::string first_up;
        if (m_request.is_connect()) {
          error_code error;
          std::string established = m_socks ? egress::socks5_reply(egress::Socks5Reply::succeeded)
                                            : "HTTP/1.1 200 Connection established\r\n\r\n";
          co_await asio::async_write(m_client, asio::buffer(established), nothrow(error));
          first_up = m_leftover;
        } else {
          first_up = m_request.origin_head() + m_leftover;
        }
        co_await transfer(std::move(first_up));
      }
    }
  }
  finish();
}

asio::awaitable<bool> Session::read_request()
{
  std::array<char, 16 * 1024> buffer;
  egress::RequestHeadParser http;
  egress::Socks5Parser socks;
  bool first = true;
  bool answered_greeting = false;
  for (;;) {
    error_code error;
    std::size_t n = co_await m_client.async_read_some(asio::buffer(buffer), nothrow(error));
    if (error) {
      if (m_timed_out) {
        m_entry.method = m_socks ? "SOCKS5" : http.method_so_far();
        m_entry.reason = "the request did not arrive within " + std::to_string(m_server.config().head_timeout.count()) +
                         " ms";
      }
      co_return false;
    }
    std::string_view bytes(buffer.data(), n);
    if (first) {
      m_socks = static_cast<std::uint8_t>(bytes.front()) == egress::k_socks5_version;
      first = false;
    }
    std::size_t used = 0;
    std::string refusal;
    std::string why;
    try {
      used = m_socks ? socks.feed(bytes) : http.feed(bytes);
    } catch (const egress::RequestError& e) {
      refusal = status_reply(e.status(), std::string("egress proxy: ") + e.what());
      why = "refused with " + std::to_string(e.status()) + ": " + e.what();
    } catch (const egress::Socks5Error& e) {
      refusal = e.reply();
      why = std::string("refused: ") + e.what();
    }
    if (!refusal.empty()) {
      m_entry.method = m_socks ? "SOCKS5" : http.method_so_far();
      m_entry.reason = why;
      co_await send_and_close(std::move(refusal));
      co_return false;
    }
    if (m_socks && socks.greeting_done() && !answered_greeting) {
      co_await asio::async_write(m_client, asio::buffer(egress::k_socks5_no_authentication), nothrow(error));
      answered_greeting = true;
    }
    if (m_socks ? socks.done() : http.done()) {
      m_leftover = std::string(bytes.substr(used));
      m_request = m_socks ? socks.request() : http.request();
      co_return true;
    }
  }
}

asio::awaitable<std::optional<std::vector<egress::Address>>> Session::resolve()
{
  std::vector<egress::Address> addresses;
  if (std::optional<egress::Address> literal = egress::Address::parse(m_request.host)) {
    addresses.push_back(*literal);
  } else {
    Lookup found = co_await async_lookup(m_server.resolver_pool(), m_client.get_executor(), m_request.host,
                                         asio::use_awaitable);
    std::string failure = found.failure;
    addresses = std::move(found.addresses);
    if (!failure.empty() || addresses.empty()) {
      std::string why = "cannot resolve " + m_request.host + ": " + (failure.empty() ? "no address" : failure);
      m_entry.reason += "; " + why;
      co_await refuse(502, "egress proxy: " + why);
      co_return std::nullopt;
    }
  }
  std::vector<egress::Address> allowed;
  std::optional<egress::Decision> first_refusal;
  for (const egress::Address& address : addresses) {
    egress::Decision decision = m_server.allowlist().decide(m_request.host, m_request.port, address);
    if (decision.allowed && allowed.size() < k_max_candidates) {
      allowed.push_back(address);
      if (allowed.size() == 1) {
        m_entry.reason = decision.reason;
      }
    } else if (!decision.allowed && !first_refusal) {
      first_refusal = decision;
      m_entry.address = address.text();
    }
  }
  if (allowed.empty()) {
    m_entry.allowed = false;
    m_entry.reason = first_refusal->reason;
    co_await refuse(403, "egress denied: " + with_port(m_request.host, m_request.port) + ": " + first_refusal->reason);
    co_return std::nullopt;
  }
  co_return allowed;
}

asio::awaitable<bool> Session::connect(const std::vector<egress::Address>& allowed)
{
  enter(Phase::connecting, m_server.config().connect_timeout);
  error_code error;
  for (const egress::Address& address : allowed) {
    m_entry.address = address.text();
    error_code ignored;
    m_origin.close(ignored);
    co_await m_origin.async_connect(endpoint_of(address, m_request.port), nothrow(error));
    if (!error) {
      m_origin.set_option(tcp::no_delay(true), ignored);
      enter(Phase::transferring, m_server.config().idle_timeout);
      co_return true;
    }
    if (m_timed_out) {
      break;
    }
  }
  bool timed_out = m_timed_out;
  m_timed_out = false;
  enter(Phase::transferring, m_server.config().idle_timeout);
  std::string why = timed_out ? "no connection within " + std::to_string(m_server.config().connect_timeout.count()) + " ms"
                                : error.message();
  m_entry.reason += "; cannot connect to " + with_port(m_entry.address, m_request.port) + ": " + why;
  co_await refuse(timed_out ? 504 : 502, "egress proxy: cannot connect to " + with_port(m_request.host, m_request.port) +
                                            ": " + why);
  co_return false;
}

asio::awaitable<void> Session::pump(tcp::socket& from, tcp::socket& to, std::uint64_t& counter, bool ends_session)
{
  auto self = shared_from_this();
  SplicePipe pipe;
  if (!pipe) {
    close_all();
    co_return;
  }
  error_code error;
  from.native_non_blocking(true, error);
  to.native_non_blocking(true, error);
  for (;;) {
    // What the socket holds, into the pipe (which is empty: everything before it was written).
    ssize_t n = ::splice(from.native_handle(), nullptr, pipe.write_end(), nullptr, k_pipe_size, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      co_await from.async_wait(tcp::socket::wait_read, nothrow(error));
      if (error) {
        close_all();
        co_return;
      }
      continue;
    }
    if (n == 0 && !ends_session) {
      to.shutdown(tcp::socket::shutdown_send, error);
      co_return;
    }
    if (n <= 0) {
      close_all();
      co_return;
    }
    m_deadline = steady_clock::now() + m_server.config().idle_timeout;
    // ... and out to the other socket, waiting while it cannot take more (backpressure).
    for (ssize_t left = n; left > 0;) {
      ssize_t m = ::splice(pipe.read_end(), nullptr, to.native_handle(), nullptr, static_cast<std::size_t>(left),
                           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (m < 0 && (errno == EAGAIN || errno == EINTR)) {
        co_await to.async_wait(tcp::socket::wait_write, nothrow(error));
        if (error) {
          close_all();
          co_return;
        }
        continue;
      }
      if (m <= 0) {
        close_all();
        co_return;
      }
      left -= m;
    }
    counter += static_cast<std::uint64_t>(n);
  }
}

asio::awaitable<void> Session::transfer(std::string first_up)
{
  error_code error;
  // Down first: a server that speaks first (SSH, SMTP) is heard while the way up waits for what
  // the client sends, a TLS ClientHello or not.
  bool down_done = false;
  asio::steady_timer down_finished(m_client.get_executor(), steady_clock::time_point::max());
  asio::co_spawn(m_client.get_executor(), pump(m_origin, m_client, m_entry.bytes_down, !m_request.is_connect()),
                 [&](std::exception_ptr) {
                   down_done = true;
                   down_finished.cancel();
                 });
  bool checked = false;
  try {
    checked = co_await check_server_name(first_up);
  } catch (const std::exception&) {
    // Out of memory: the down pump still uses this frame, so nothing may leave it before that does.
  }
  if (checked) {
    co_await asio::async_write(m_origin, asio::buffer(first_up), nothrow(error));
    if (!error) {
      m_entry.bytes_up += first_up.size();
      co_await pump(m_client, m_origin, m_entry.bytes_up, false);
    } else {
      close_all();
    }
  } else {
    close_all();
  }
  if (!down_done) {
    co_await down_finished.async_wait(nothrow(error));
  }
}

// A tunnel to a name carries what the client chooses; when that is TLS, its ClientHello names the
// server it wants (SNI), which a shared address (a CDN) would serve whatever the CONNECT said: that
// name must be allowed at this port as well. Reads the client's first bytes into `first_up` until
// they are a whole ClientHello or something else; false (the tunnel closes, the decision is a
// denial) for a name no rule allows, a malformed ClientHello, or one cut short. Not TLS, or no
// server name: the CONNECT's check stands. A tunnel to an address literal is not checked (an
// address rule trusts whatever that address serves).
asio::awaitable<bool> Session::check_server_name(std::string& first_up)
{
  if (!m_request.is_connect() || egress::Address::parse(egress::normalized_host(m_request.host))) {
    co_return true;
  }
  std::array<char, 4096> buffer;
  egress::ClientHello hello = egress::read_client_hello(first_up);
  // A client trickling its ClientHello a byte at a time makes each read parse it again: a real one
  // arrives in a few segments, so after this many reads it counts as cut short.
  constexpr int k_max_reads = 64;
  for (int reads = 0; hello.status == egress::ClientHello::Status::incomplete && reads < k_max_reads; ++reads) {
    error_code error;
    std::size_t n = co_await m_client.async_read_some(asio::buffer(buffer), nothrow(error));
    if (error) {
      if (first_up.empty()) {
        co_return true; // nothing sent: the pump passes the end on
      }
      break;
    }
    first_up.append(buffer.data(), n);
    m_deadline = steady_clock::now() + m_server.config().idle_timeout;
    hello = egress::read_client_hello(first_up);
  }
  std::string why;
  switch (hello.status) {
  case egress::ClientHello::Status::not_tls:
    co_return true;
  case egress::ClientHello::Status::complete: {
    if (hello.hides_server_name) {
      why = "its TLS ClientHello hides the server it asks for (Encrypted ClientHello)";
      break;
    }
    if (!hello.server_name) {
      co_return true;
    }
    egress::Decision decision = m_server.allowlist().check_host(*hello.server_name, m_request.port);
    if (decision.allowed) {
      co_return true;
    }
    why = "its TLS ClientHello asks for " + *hello.server_name + ", and " + decision.reason;
    break;
  }
  case egress::ClientHello::Status::malformed:
    why = "its first bytes are a TLS handshake that is not a valid ClientHello";
    break;
  case egress::ClientHello::Status::incomplete:
    why = m_timed_out ? "no whole TLS ClientHello within the idle timeout" : "its TLS ClientHello was cut short";
    break;
  }
  m_entry.allowed = false;
  m_entry.reason = "the tunnel to " + with_port(m_request.host, m_request.port) + " was closed: " + why;
  co_return false;
}

asio::awaitable<void> Session::refuse(int status, const std::string& text)
{
  // A local, not a temporary in the co_await expression: GCC 12 destroys such a temporary twice.
  std::string wire = m_socks ? egress::socks5_reply(socks5_code(status)) : status_reply(status, text);
  co_await send_and_close(std::move(wire));
}

asio::awaitable<void> Session::send_and_close(std::string wire)
{
  error_code error;
  co_await asio::async_write(m_client, asio::buffer(wire), nothrow(error));
  m_client.shutdown(tcp::socket::shutdown_send, error);
  // Closing with unread bytes would reset the connection, and the client could lose the reply:
  // read what it still sends, for a moment.
  enter(Phase::reading, k_linger);
  std::array<char, 4096> discard;
  std::size_t drained = 0;
  while (!error && drained < k_max_linger_bytes) {
    drained += co_await m_client.async_read_some(asio::buffer(discard), nothrow(error));
  }
}

void Session::finish()
{
  m_finished = true;
  m_watchdog.cancel();
  bool nothing_asked = m_entry.method.empty() && m_entry.reason.empty();
  if (!nothing_asked) {
    m_entry.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - m_started).count();
    m_server.log(m_entry);
  }
  close_all();
}

} // namespace

void start_session(ProxyServer& server, tcp::socket client, bool over_cap)
{
  auto executor = client.get_executor();
  auto session = std::make_shared<Session>(server, std::move(client), over_cap);
  asio::co_spawn(executor, Session::serve(std::move(session)), asio::detached);
}

} // namespace sandbox::egress_proxy
