#include "proxy_server.h"

#include "proxy_session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <cerrno>

namespace sandbox::egress_proxy {

namespace asio = boost::asio;
using asio::ip::tcp;

ProxyServer::ProxyServer(asio::io_context& io, const tcp::endpoint& endpoint, const egress::ProxyConfig& config,
                         int log_fd)
  : m_io(io), m_acceptor(io), m_config(config), m_allowlist(config.allow, config.engine_host_addresses), m_log_fd(log_fd)
{
  m_acceptor.open(endpoint.protocol());
  m_acceptor.set_option(tcp::acceptor::reuse_address(true));
  m_acceptor.bind(endpoint);
  m_acceptor.listen(asio::socket_base::max_listen_connections);
}

void ProxyServer::start()
{
  asio::co_spawn(m_io, accept_loop(), asio::detached);
}

asio::awaitable<void> ProxyServer::accept_loop()
{
  for (;;) {
    boost::system::error_code error;
    tcp::socket client = co_await m_acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      // Out of descriptors, or a connection reset before it was accepted: go on a moment later,
      // so that a full descriptor table does not make this loop spin.
      asio::steady_timer pause(m_io, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    bool over_cap = m_sessions >= m_config.max_connections;
    if (m_sessions >= 2 * m_config.max_connections) {
      // Even the sessions that only refuse are too many: close without a reply.
      client.close(error);
      log(refusal_entry());
      continue;
    }
    start_session(*this, std::move(client), over_cap);
  }
}

egress::LogEntry ProxyServer::refusal_entry() const
{
  egress::LogEntry entry;
  entry.time = std::chrono::system_clock::now();
  entry.reason = "more than " + std::to_string(m_config.max_connections) + " connections at once";
  return entry;
}

void ProxyServer::log(const egress::LogEntry& entry)
{
  write_line(egress::log_line(entry));
}

void ProxyServer::write_line(const std::string& line)
{
  std::size_t written = 0;
  while (written < line.size()) {
    ssize_t n = ::write(m_log_fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    written += static_cast<std::size_t>(n);
  }
}

} // namespace sandbox::egress_proxy
