// docker-sandbox-egress-proxy LISTEN CONFIG: the egress proxy of `docker sandbox run --allow-host`, a static
// program that runs in a container of the file-less helper image, as any uid, with no capability
// and a read-only root. LISTEN is PORT, ADDRESS:PORT, [ADDRESS]:PORT or BLOCK/PREFIX:PORT (its
// one address in that block: the run's internal network, as the plugin starts it); CONFIG is the JSON
// of egress/proxy_config.h, or a file holding it. It writes the log's JSON lines and nothing else: first a "listening"
// line, then one line per decision. It stops on SIGTERM or SIGINT.

#include "egress/address.h"
#include "egress/egress_log.h"
#include "egress/local_addresses.h"
#include "egress/proxy_config.h"
#include "proxy_server.h"
#include "util/error.h"

#include <boost/asio/signal_set.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr int k_usage_exit = 2;

[[noreturn]] void fail(int code, const std::string& what)
{
  std::fprintf(stderr, "docker-sandbox-egress-proxy: %s\n", what.c_str());
  std::exit(code);
}

// Between the sandbox's internal network and the egress network, the proxy must be the only way
// through: a container that forwards packets (its namespace inherits the host's ip_forward unless
// the engine sets it, as the plugin asks) would route a sandbox's own packets around it.
void refuse_to_route()
{
  std::ifstream in("/proc/sys/net/ipv4/ip_forward");
  char value = '?';
  if (!(in >> value) || value != '0') {
    fail(1, "this container forwards packets (net.ipv4.ip_forward is not 0): it would route around the proxy");
  }
}

tcp::endpoint parse_listen(std::string_view text)
{
  std::string_view host = "0.0.0.0";
  std::string_view port = text;
  std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.starts_with('[') && host.ends_with(']')) {
      host = host.substr(1, host.size() - 2);
    }
  }
  unsigned number = 0;
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
  std::optional<sandbox::egress::Address> address = sandbox::egress::Address::parse(host);
  std::optional<sandbox::egress::Network> block;
  if (host.find('/') != std::string_view::npos) {
    block = sandbox::egress::Network::parse(host);
  }
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || number > 65535 || !(address || block)) {
    fail(k_usage_exit, "LISTEN must be PORT, ADDRESS:PORT, [ADDRESS]:PORT or BLOCK/PREFIX:PORT, not " + std::string(text));
  }
  if (block) {
    try {
      address = sandbox::egress::address_in_block(*block, sandbox::egress::local_addresses());
    } catch (const sandbox::Error& e) {
      fail(1, std::string("cannot listen: ") + e.what());
    }
    refuse_to_route();
  }
  return {asio::ip::make_address(address->text()), static_cast<unsigned short>(number)};
}

// The whole of a file; nullopt when it cannot be opened.
std::optional<std::string> read_text(const std::string& path)
{
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// CONFIG is the JSON itself when it starts with "{" (as `run --allow-host` passes it: the proxy's
// image holds nothing else), else a file.
sandbox::egress::ProxyConfig read_config(const std::string& path)
{
  if (path.starts_with('{')) {
    try {
      return sandbox::egress::parse_proxy_config(path);
    } catch (const sandbox::UsageError& e) {
      fail(k_usage_exit, std::string("CONFIG: ") + e.what());
    }
  }
  std::optional<std::string> text = read_text(path);
  if (!text) {
    fail(k_usage_exit, "cannot read " + path);
  }
  try {
    return sandbox::egress::parse_proxy_config(*text);
  } catch (const sandbox::UsageError& e) {
    fail(k_usage_exit, path + ": " + e.what());
  }
}

// The plugin names the addresses of its own machine, which is the engine host only when the engine
// is local; this container's gateways (the egress network's, IPv4 and IPv6) are the engine host
// wherever it runs. Without the IPv4 table the proxy does not run (no IPv6 table: no IPv6).
void add_gateways(sandbox::egress::ProxyConfig& config)
{
  std::optional<std::string> v4 = read_text("/proc/net/route");
  if (!v4) {
    fail(1, "cannot read /proc/net/route, so this container's gateways (the engine host) are unknown");
  }
  std::vector<sandbox::egress::Address> gateways = sandbox::egress::route_gateways(*v4);
  for (const sandbox::egress::Address& gateway : sandbox::egress::route_gateways_v6(read_text("/proc/net/ipv6_route").value_or(""))) {
    gateways.push_back(gateway);
  }
  for (const sandbox::egress::Address& gateway : gateways) {
    config.engine_host_addresses.push_back(gateway.text());
  }
}

// Each connection holds two descriptors: take all the process may have.
void raise_descriptor_limit()
{
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

} // namespace

int main(int argc, char** argv)
{
  if (argc != 3) {
    fail(k_usage_exit, "usage: docker-sandbox-egress-proxy LISTEN CONFIG");
  }
  tcp::endpoint endpoint = parse_listen(argv[1]);
  sandbox::egress::ProxyConfig config = read_config(argv[2]);
  add_gateways(config);
  int log_fd = STDOUT_FILENO;
  if (config.log != "-") {
    log_fd = ::open(config.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0) {
      fail(1, "cannot open the log " + config.log);
    }
  }
  std::signal(SIGPIPE, SIG_IGN);
  raise_descriptor_limit();

  asio::io_context io(1);
  std::optional<sandbox::egress_proxy::ProxyServer> server;
  try {
    server.emplace(io, endpoint, config, log_fd);
  } catch (const boost::system::system_error& e) {
    fail(1, "cannot listen on " + std::string(argv[1]) + ": " + e.code().message());
  }
  asio::signal_set stop(io, SIGTERM, SIGINT);
  stop.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  server->start();
  tcp::endpoint bound = server->local_endpoint();
  std::string shown = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  server->write_line(sandbox::egress::listening_line(std::chrono::system_clock::now(), shown + ":" + std::to_string(bound.port())));
  io.run();
  return 0;
}
