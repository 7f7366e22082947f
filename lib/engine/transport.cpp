#include "engine/transport.h"

#include "engine/dial_stdio_proxy.h"
#include "engine/raw_connection.h"
#include "engine/raw_http.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/trace.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <strings.h>
#include <sys/socket.h>

namespace sandbox::engine {

namespace {

constexpr int k_connect_timeout_seconds = 10;
constexpr int k_unlimited_seconds = 365 * 24 * 3600;
constexpr std::size_t k_max_reply_body = 16 * 1024 * 1024; // JSON and error replies, read whole
// Idle connections kept for later requests. A run has at most a few requests in flight at once
// (an upload while the sandbox is created, the volume creates); over ssh each kept connection is
// one open session, closed when the Transport goes.
constexpr std::size_t k_max_idle_connections = 4;

std::string error_reason(httplib::Error error)
{
  switch (error) {
  case httplib::Error::Connection:
    return "connection refused or socket missing";
  case httplib::Error::ConnectionTimeout:
    return "connection timed out";
  case httplib::Error::Read:
    return "the connection was closed while reading the response";
  case httplib::Error::Write:
    return "the connection was closed while sending the request";
  case httplib::Error::SSLConnection:
    return "TLS handshake failed";
  case httplib::Error::SSLLoadingCerts:
    return "cannot load the TLS certificates";
  case httplib::Error::SSLServerVerification:
    return "TLS verification of the server certificate failed";
  case httplib::Error::Canceled:
    return "cancelled";
  default:
    return httplib::to_string(error);
  }
}

std::unique_ptr<httplib::ClientImpl> make_client(const Endpoint& endpoint, const std::string& unix_path)
{
  std::unique_ptr<httplib::ClientImpl> client;
  if (endpoint.transport == TransportKind::tcp && endpoint.tls) {
    const TlsFiles& tls = *endpoint.tls;
    auto ssl = std::make_unique<httplib::SSLClient>(endpoint.address, endpoint.port, tls.cert_file, tls.key_file);
    if (!tls.ca_file.empty()) {
      ssl->set_ca_cert_path(tls.ca_file.c_str());
    }
    ssl->enable_server_certificate_verification(tls.verify);
    client = std::move(ssl);
  } else if (endpoint.transport == TransportKind::tcp) {
    client = std::make_unique<httplib::ClientImpl>(endpoint.address, endpoint.port);
  } else {
    client = std::make_unique<httplib::ClientImpl>(unix_path, 80);
    client->set_address_family(AF_UNIX);
  }
  client->set_keep_alive(false);
  return client;
}

} // namespace

std::string HttpResponse::header(const std::string& name) const
{
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) {
      return value;
    }
  }
  return "";
}

Transport::Transport(Endpoint endpoint) : m_endpoint(std::move(endpoint)) {}

Transport::~Transport()
{
  m_idle.clear(); // before the tunnel goes
}

std::string Transport::unix_socket_path()
{
  if (m_endpoint.transport == TransportKind::dial_stdio) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_proxy) {
      m_proxy = std::make_unique<DialStdioProxy>(m_endpoint.dial_stdio_command);
    }
    return m_proxy->socket_path();
  }
  return m_endpoint.transport == TransportKind::unix_socket ? m_endpoint.address : "";
}

std::string Transport::tunnel_said() const
{
  std::string said = m_proxy ? m_proxy->last_error() : "";
  return said.empty() ? "" : " (the tunnel said: " + said + ")";
}

std::unique_ptr<RawConnection> Transport::take_connection(bool& reused)
{
  for (;;) {
    std::unique_ptr<RawConnection> kept;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (m_idle.empty()) {
        break;
      }
      kept = std::move(m_idle.back());
      m_idle.pop_back();
    }
    // The engine may have closed it while it was idle (dockerd behind a proxy, Podman's idle
    // timeout): dropped here, before a request is spent on it.
    if (kept->silent_and_open()) {
      reused = true;
      trace("(on a kept connection)");
      return kept;
    }
    trace("(a kept connection was closed by the engine; dropped)");
  }
  reused = false;
  trace("(on a new connection)");
  return RawConnection::open(*this);
}

void Transport::keep_connection(std::unique_ptr<RawConnection> connection)
{
  connection->cancel_on(-1);
  connection->set_idle_timeout(std::nullopt);
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_idle.size() < k_max_idle_connections) {
    m_idle.push_back(std::move(connection));
  }
}

HttpResponse Transport::send(const HttpRequest& request)
{
  if (!request.on_headers && !request.on_data && !request.body_source) {
    return send_whole(request);
  }
  std::unique_ptr<httplib::ClientImpl> client = make_client(m_endpoint, unix_socket_path());
  int timeout = request.timeout_seconds > 0 ? request.timeout_seconds : k_unlimited_seconds;
  client->set_connection_timeout(std::min(timeout, k_connect_timeout_seconds), 0);
  client->set_read_timeout(timeout, 0);
  client->set_write_timeout(timeout, 0);

  httplib::Request req;
  req.method = request.method;
  req.path = m_endpoint.path_prefix + request.target;
  // Go's net/http rejects a missing or malformed Host; httplib 0.11 would send the socket path.
  req.set_header("Host", m_endpoint.transport == TransportKind::tcp ? m_endpoint.address : "docker");
  req.set_header("User-Agent", "docker-sandbox/" SANDBOX_VERSION);
  req.set_header("Accept-Encoding", "identity");
  for (const auto& [name, value] : m_endpoint.headers) {
    req.set_header(name, value);
  }
  for (const auto& [name, value] : request.headers) {
    req.set_header(name, value);
  }
  if (!request.content_type.empty()) {
    req.set_header("Content-Type", request.content_type);
  }
  req.body = request.body;
  if (request.body_source) {
    auto source = request.body_source;
    req.is_chunked_content_provider_ = true;
    req.content_provider_ = [source](std::size_t, std::size_t, httplib::DataSink& sink) {
      std::string chunk;
      if (!source(chunk)) {
        sink.done();
        return true;
      }
      return sink.write(chunk.data(), chunk.size());
    };
  }

  // Error bodies are collected even on streaming requests, so that callers can report them.
  int status = 0;
  std::string error_body;
  req.response_handler = [&](const httplib::Response& response) {
    status = response.status;
    if (!request.on_headers || status >= 400) {
      return true;
    }
    HttpResponse head;
    head.status = response.status;
    for (const auto& [name, value] : response.headers) {
      head.headers.emplace_back(name, value);
    }
    return request.on_headers(head);
  };
  if (request.on_data) {
    req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
      if (status >= 400) {
        error_body.append(data, size);
        return true;
      }
      return request.on_data(data, size);
    };
  }

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  trace(request.method + " " + m_endpoint.host + req.path);
  if (!client->send(req, res, error)) {
    trace("  -> " + httplib::to_string(error));
    if (error == httplib::Error::Canceled) {
      throw Cancelled();
    }
    throw ConnectionError(describe_unreachable(m_endpoint, error_reason(error) + tunnel_said()));
  }
  trace("  -> " + std::to_string(res.status));
  HttpResponse out;
  out.status = res.status;
  for (const auto& [name, value] : res.headers) {
    out.headers.emplace_back(name, value);
  }
  out.body = request.on_data ? std::move(error_body) : std::move(res.body);
  return out;
}

// cpp-httplib 0.11 reads a header line of any length into memory and has no cap on a body, so an
// engine that never ends its reply would grow us without bound. Replies read whole go through the
// raw reader instead: the head is capped (raw_http.cpp), the body too, every wait is bounded by
// the request's timeout, and the CancelToken stops a read (GET, HEAD) at any moment.
//
// The connection is kept for the next request (HTTP/1.1 keep-alive): over ssh every new one is a
// login and a `docker system dial-stdio` on the far side. It is kept only when the exchange
// finished cleanly, the reply allowed it, and its body ended where its framing said; anything
// else (an error, a cancel, `Connection: close`, HTTP/1.0, a body that runs to EOF) closes it.
//
// A kept connection can go stale: the engine may close it while idle, and the close can cross our
// next request on the wire. The request then fails with the connection closed before any byte of
// a reply. It is sent once more, on a fresh connection, only when that cannot do anything twice:
// - nothing of it reached the engine (the very first write failed), or
// - it is a GET or HEAD, which change nothing.
// Everything else (POST /containers/create, start, DELETE) is not replayed, as Go's net/http does
// not replay it: the engine may have carried it out and died before answering, and a second
// create would leave an untracked container, a second DELETE would turn success into 404. Such a
// request fails with an error that says so; it is rare, since a kept connection that the engine
// has closed is noticed (and dropped) before use.
HttpResponse Transport::send_whole(const HttpRequest& request)
{
  std::string what = request.method + " " + m_endpoint.path_prefix + request.target;
  bool read_only = request.method == "GET" || request.method == "HEAD";
  Headers headers = request.headers;
  headers.emplace_back("Accept-Encoding", "identity");
  if (!request.content_type.empty()) {
    headers.emplace_back("Content-Type", request.content_type);
  }
  headers.emplace_back("Content-Length", std::to_string(request.body.size()));

  for (bool may_retry = true;; may_retry = false) {
    bool reused = false;
    std::unique_ptr<RawConnection> connection;
    try {
      if (may_retry) {
        connection = take_connection(reused);
      } else {
        connection = RawConnection::open(*this);
      }
    } catch (const ConnectionError& e) {
      trace(what + "  -> " + e.what());
      throw;
    }
    // A cancel stops a read in flight. A request that changes something runs to its end (bounded
    // by the timeout), or an object the engine made could go untracked and outlive the cleanup; so
    // do reads sent after the cancel, which belong to the cleanup.
    if (read_only && !CancelToken::instance().requested()) {
      connection->cancel_on(CancelToken::instance().fd());
    }
    if (request.timeout_seconds > 0) {
      connection->set_idle_timeout(std::chrono::seconds(request.timeout_seconds),
                                   "the engine sent nothing for " + std::to_string(request.timeout_seconds)
                                     + " s in answer to " + what);
    }
    std::uint64_t received_before = connection->bytes_received();
    std::uint64_t sent_before = connection->bytes_sent();
    try {
      write_request_head(*connection, m_endpoint, request.method, request.target, headers);
      connection->write_all(request.body);
      HttpResponse response = read_response_head(*connection, what);
      bool ended = true;
      if (request.method != "HEAD") { // a HEAD reply announces the length of a body it never sends
        BodyReader body(*connection, response);
        response.body = body.read_all(k_max_reply_body + 1);
        ended = body.complete();
      }
      if (response.body.size() > k_max_reply_body) {
        throw ConnectionError("the reply to " + what + " is larger than " + std::to_string(k_max_reply_body >> 20)
                              + " MiB; refusing to read more");
      }
      if (ended && response.keep_alive) {
        keep_connection(std::move(connection));
      }
      return response;
    } catch (const ConnectionError& e) {
      bool stale = reused && connection->peer_closed() && connection->bytes_received() == received_before;
      bool nothing_sent = connection->bytes_sent() == sent_before;
      if (stale && may_retry && (nothing_sent || read_only)) {
        trace("  -> the engine had closed the kept connection; sending " + what + " again on a fresh one");
        continue;
      }
      trace("  -> " + std::string(e.what()));
      std::string why = e.what();
      if (stale) {
        why = "the engine closed a kept-alive connection before answering " + what
              + "; not sent again, since the engine may have carried it out";
      }
      throw ConnectionError("no usable reply from the Docker daemon at " + m_endpoint.host + " (context \""
                            + m_endpoint.context + "\"): " + why + tunnel_said());
    }
  }
}

std::string describe_unreachable(const Endpoint& endpoint, const std::string& reason)
{
  return "cannot connect to the Docker daemon at " + endpoint.host + " (context \"" + endpoint.context
         + "\"): " + reason;
}

} // namespace sandbox::engine
