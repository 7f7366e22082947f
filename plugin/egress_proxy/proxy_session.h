#pragma once

// One client of the egress proxy: read the request head within the head timeout, decide, connect
// to the exact address that was checked, then tunnel (CONNECT) or forward one request (absolute
// form), and write the decision's log line when the client is done.

#include <boost/asio/ip/tcp.hpp>

namespace sandbox::egress_proxy {

class ProxyServer;

// Serves `client` on the server's io_context, or only replies 503 when `over_cap`; returns at once.
void start_session(ProxyServer& server, boost::asio::ip::tcp::socket client, bool over_cap);

} // namespace sandbox::egress_proxy
