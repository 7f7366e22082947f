#pragma once

// The egress proxy's server: it accepts clients on one socket and runs a session for each
// (proxy_session.h), and writes the decisions' log lines. Beyond the configured number of
// connections a session only replies 503; beyond twice that, a connection is closed at once.

#include "egress/allowlist.h"
#include "egress/egress_log.h"
#include "egress/proxy_config.h"

#include <utility> // before Boost 1.74's awaitable.hpp, which uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstddef>

namespace sandbox::egress_proxy {

class ProxyServer
{
public:
  // Listens on `endpoint` with the policy of `config`; log lines go to `log_fd`. Throws
  // boost::system::system_error when the socket cannot be bound, UsageError on a bad policy.
  ProxyServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
              const egress::ProxyConfig& config, int log_fd);

  // The address and port the server listens on (the port is chosen by the system for port 0).
  boost::asio::ip::tcp::endpoint local_endpoint() const { return m_acceptor.local_endpoint(); }

  // Starts accepting; the io_context's run() serves clients until it is stopped.
  void start();

  // The policy and the limits every session applies.
  const egress::Allowlist& allowlist() const { return m_allowlist; }
  const egress::ProxyConfig& config() const { return m_config; }
  // The threads that run getaddrinfo, so that one slow lookup does not hold up the others.
  boost::asio::thread_pool& resolver_pool() { return m_resolver_pool; }

  // Writes one line of the egress log.
  void log(const egress::LogEntry& entry);
  // Writes `line` as it is (it ends in a newline).
  void write_line(const std::string& line);

  // The log entry of a connection refused because too many are open.
  egress::LogEntry refusal_entry() const;

  // Counts a session that starts and one that ends.
  void session_started() { ++m_sessions; }
  void session_ended() { --m_sessions; }

private:
  boost::asio::awaitable<void> accept_loop();

  boost::asio::io_context& m_io;
  boost::asio::ip::tcp::acceptor m_acceptor;
  egress::ProxyConfig m_config;
  egress::Allowlist m_allowlist;
  boost::asio::thread_pool m_resolver_pool{8};
  int m_log_fd;
  std::size_t m_sessions = 0;
};

} // namespace sandbox::egress_proxy
