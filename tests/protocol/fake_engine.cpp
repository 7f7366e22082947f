// The fake engine is cpp-httplib's own server bound to a unix socket (set_address_family(AF_UNIX)
// works for servers as well as clients in 0.11.4). One catch-all handler per method does the
// routing itself, in dockerd's order: the HTTP server checks the Host header before anything
// else, an unknown route is 404 whatever its version, then the version middleware refuses
// versions outside [min, max], then a JSON-bodied handler checks Content-Type.

#include "fake_engine.h"

#include "util/json.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

namespace sandbox::test {

namespace {

// Go's httpguts.ValidHostHeader: the bytes allowed anywhere in a Host value.
bool valid_host_byte(unsigned char c)
{
  return std::isalnum(c) != 0 || std::strchr("!$%&'()*+,-.:;=[]_~", c) != nullptr;
}

bool valid_host(const std::string& host)
{
  return std::all_of(host.begin(), host.end(), [](char c) { return valid_host_byte(static_cast<unsigned char>(c)); });
}

// moby's versions.compare: dot-separated numbers, component by component, missing ones are 0.
int compare_versions(const std::string& a, const std::string& b)
{
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    long x = 0;
    long y = 0;
    while (i < a.size() && a[i] != '.') {
      x = x * 10 + (a[i++] - '0');
    }
    while (j < b.size() && b[j] != '.') {
      y = y * 10 + (b[j++] - '0');
    }
    if (x != y) {
      return x < y ? -1 : 1;
    }
    ++i;
    ++j;
  }
  return 0;
}

// Splits "/v1.47/containers/create" into version "1.47" and route "/containers/create", as
// dockerd's router pattern /v{version:[0-9.]+}/... does.
void split_version(const std::string& path, std::optional<std::string>& version, std::string& route)
{
  route = path;
  if (path.size() < 3 || path[0] != '/' || path[1] != 'v') {
    return;
  }
  std::size_t end = 2;
  while (end < path.size() && (std::isdigit(static_cast<unsigned char>(path[end])) || path[end] == '.')) {
    ++end;
  }
  if (end == 2 || (end < path.size() && path[end] != '/')) {
    return;
  }
  version = path.substr(2, end - 2);
  route = end < path.size() ? path.substr(end) : "/";
}

std::string percent_decode(const std::string& text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1]))
               && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

Fields parse_query(const std::string& query)
{
  Fields out;
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      out.emplace_back(percent_decode(pair.substr(0, eq)),
                       eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string::npos) {
      break;
    }
    pos = amp + 1;
  }
  return out;
}

std::string lower(std::string text)
{
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

std::string trim(const std::string& text)
{
  std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) {
    return "";
  }
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// httputils.CheckForJSON: no Content-Type is fine only without a body; otherwise the media type
// (parameters such as charset ignored) must be application/json. Returns the refusal, or "".
std::string check_for_json(const RecordedRequest& request)
{
  std::string content_type = request.header("Content-Type");
  if (content_type.empty() && request.body.empty()) {
    return "";
  }
  std::string media_type = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (media_type != "application/json") {
    return "Content-Type specified (" + content_type + ") must be 'application/json'";
  }
  if (!request.body.empty()) {
    try {
      json::parse(request.body);
    } catch (const json::JsonError& e) {
      return std::string("invalid JSON: ") + e.what();
    }
  }
  return "";
}

void apply(const FakeReply& reply, httplib::Response& res)
{
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) {
    res.set_header(name, value);
  }
  if (reply.chunked) {
    struct State
    {
      FakeReply reply;
      std::size_t next = 0;
    };
    auto state = std::make_shared<State>(State{reply, 0});
    res.set_chunked_content_provider(reply.content_type, [state](std::size_t, httplib::DataSink& sink) {
      const FakeReply& r = state->reply;
      if (r.cut_after && state->next >= *r.cut_after) {
        return false; // closes the connection without the terminating chunk
      }
      if (state->next >= r.chunks.size()) {
        sink.done();
        return true;
      }
      if (r.before_chunk) {
        r.before_chunk(state->next);
      }
      const std::string& piece = r.chunks[state->next++];
      return sink.write(piece.data(), piece.size());
    });
    return;
  }
  if (reply.cut_after && *reply.cut_after < reply.body.size()) {
    auto body = std::make_shared<std::string>(reply.body);
    std::size_t cut = *reply.cut_after;
    res.set_content_provider(body->size(), reply.content_type,
                             [body, cut](std::size_t, std::size_t, httplib::DataSink& sink) {
                               if (cut > 0) {
                                 sink.write(body->data(), cut);
                               }
                               return false; // closes the connection short of Content-Length
                             });
    return;
  }
  if (!reply.content_type.empty()) {
    res.set_content(reply.body, reply.content_type);
  } else {
    res.body = reply.body;
  }
}

FakeReply ping_reply()
{
  FakeReply reply = FakeReply::text(200, "OK");
  reply.headers.emplace_back("Cache-Control", "no-cache, no-store, must-revalidate");
  reply.headers.emplace_back("Pragma", "no-cache");
  reply.headers.emplace_back("Docker-Experimental", "false");
  return reply;
}

} // namespace

TempDir::TempDir()
{
  std::error_code ec;
  std::string base = std::filesystem::temp_directory_path(ec).string();
  // A unix socket path must fit in sockaddr_un::sun_path (108 bytes).
  if (ec || base.empty() || base.size() > 60) {
    base = "/tmp";
  }
  std::string pattern = base + "/sbx-proto-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  m_path = pattern;
}

TempDir::~TempDir()
{
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

void Signal::raise()
{
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_raised = true;
  }
  m_changed.notify_all();
}

bool Signal::raised() const
{
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_raised;
}

bool Signal::wait(std::chrono::milliseconds limit) const
{
  std::unique_lock<std::mutex> lock(m_mutex);
  return m_changed.wait_for(lock, limit, [this] { return m_raised; });
}

std::string RecordedRequest::header(const std::string& name) const
{
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) {
      return value;
    }
  }
  return "";
}

std::size_t RecordedRequest::header_count(const std::string& name) const
{
  return static_cast<std::size_t>(std::count_if(headers.begin(), headers.end(), [&](const auto& field) {
    return strcasecmp(field.first.c_str(), name.c_str()) == 0;
  }));
}

std::string RecordedRequest::query_value(const std::string& name) const
{
  for (const auto& [key, value] : query) {
    if (key == name) {
      return value;
    }
  }
  return "";
}

FakeReply FakeReply::json(int status, std::string body)
{
  FakeReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

FakeReply FakeReply::text(int status, std::string body)
{
  FakeReply reply;
  reply.status = status;
  reply.content_type = "text/plain; charset=utf-8";
  reply.body = std::move(body);
  return reply;
}

FakeReply FakeReply::error(int status, const std::string& message)
{
  json::Value body = json::Value::object();
  body.set("message", message);
  return json(status, body.dump() + "\n");
}

FakeReply FakeReply::no_content()
{
  FakeReply reply;
  reply.status = 204;
  reply.content_type.clear();
  return reply;
}

FakeEngineOptions FakeEngineOptions::speaking(const std::string& version, const std::string& minimum)
{
  FakeEngineOptions options;
  options.ping_api_version = version;
  options.max_api_version = version;
  options.min_api_version = minimum;
  return options;
}

FakeEngineOptions FakeEngineOptions::without_api_version()
{
  FakeEngineOptions options;
  options.ping_api_version.reset();
  return options;
}

FakeEngine::FakeEngine(FakeEngineOptions options)
  : m_options(std::move(options)), m_socket_path(m_dir.path() + "/engine.sock"),
    m_server(std::make_unique<httplib::Server>())
{
  m_server->set_address_family(AF_UNIX);
  m_server->set_keep_alive_timeout(m_options.keep_alive_seconds);
  httplib::Server::Handler handler = [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); };
  m_server->Get(".*", handler);
  m_server->Post(".*", handler);
  m_server->Put(".*", handler);
  m_server->Delete(".*", handler);
  m_server->Patch(".*", handler);
  m_server->Options(".*", handler);
  if (!m_server->bind_to_port(m_socket_path, 80)) {
    throw std::runtime_error("the fake engine cannot listen on " + m_socket_path);
  }
  m_thread = std::thread([this] {
    m_server->listen_after_bind();
    m_listen_returned = true;
  });
  // stop() does nothing until the accept loop runs, so the destructor must not race its start.
  while (!m_server->is_running() && !m_listen_returned) {
    std::this_thread::yield();
  }
}

FakeEngine::~FakeEngine()
{
  if (m_server->is_running()) {
    m_server->stop();
  }
  m_thread.join();
}

engine::Endpoint FakeEngine::endpoint(const std::string& context) const
{
  engine::Endpoint endpoint;
  endpoint.context = context;
  endpoint.host = "unix://" + m_socket_path;
  endpoint.transport = engine::TransportKind::unix_socket;
  endpoint.address = m_socket_path;
  return endpoint;
}

void FakeEngine::route(const std::string& method, const std::string& path, bool checks_json, Handler handler)
{
  std::lock_guard<std::mutex> lock(m_mutex);
  m_routes.push_back(Route{method, path, checks_json, std::move(handler)});
}

void FakeEngine::route(const std::string& method, const std::string& path, Handler handler)
{
  route(method, path, method == "POST", std::move(handler));
}

void FakeEngine::route(const std::string& method, const std::string& path, FakeReply reply)
{
  route(method, path, [reply](const RecordedRequest&) { return reply; });
}

std::vector<RecordedRequest> FakeEngine::requests() const
{
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_requests;
}

std::vector<std::string> FakeEngine::request_lines() const
{
  std::vector<std::string> lines;
  for (const RecordedRequest& request : requests()) {
    lines.push_back(request.line());
  }
  return lines;
}

void FakeEngine::record(RecordedRequest request)
{
  std::lock_guard<std::mutex> lock(m_mutex);
  m_requests.push_back(std::move(request));
}

void FakeEngine::serve(const httplib::Request& req, httplib::Response& res)
{
  RecordedRequest request;
  request.method = req.method;
  request.target = req.target;
  std::size_t question = req.target.find('?');
  request.path = req.target.substr(0, question);
  if (question != std::string::npos) {
    request.query = parse_query(req.target.substr(question + 1));
  }
  split_version(request.path, request.version, request.route);
  for (const auto& [name, value] : req.headers) {
    request.headers.emplace_back(name, value);
  }
  request.body = req.body;

  FakeReply reply = [&] {
    // Go's net/http refuses these before any handler runs, as plain text.
    std::size_t hosts = req.get_header_value_count("Host");
    if (hosts != 1 || !valid_host(req.get_header_value("Host"))) {
      std::string why = hosts == 0 ? "missing required Host header"
                        : hosts > 1 ? "too many Host headers"
                                    : "malformed Host header";
      return FakeReply::text(400, "400 Bad Request: " + why);
    }

    Handler handler;
    bool checks_json = false;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      for (const Route& route : m_routes) {
        if (route.method == request.method && route.path == request.route) {
          handler = route.handler;
          checks_json = route.checks_json;
          break;
        }
      }
    }
    if (!handler && request.route == "/_ping" && (request.method == "GET" || request.method == "HEAD")) {
      FakeReply ping = ping_reply();
      handler = [ping](const RecordedRequest&) { return ping; };
    }
    if (!handler) {
      return FakeReply::error(404, "page not found");
    }

    if (request.version) {
      if (compare_versions(*request.version, m_options.max_api_version) > 0) {
        return FakeReply::error(400, "client version " + *request.version
                                       + " is too new. Maximum supported API version is "
                                       + m_options.max_api_version);
      }
      if (compare_versions(*request.version, m_options.min_api_version) < 0) {
        return FakeReply::text(400, "client version " + *request.version
                                      + " is too old. Minimum supported API version is " + m_options.min_api_version
                                      + ", please upgrade your client to a newer version\n");
      }
    }

    if (checks_json) {
      std::string refusal = check_for_json(request);
      if (!refusal.empty()) {
        return FakeReply::error(400, refusal);
      }
    }
    return handler(request);
  }();

  // dockerd's middleware stamps these on every reply.
  if (m_options.ping_api_version) {
    res.set_header("Api-Version", *m_options.ping_api_version);
  }
  res.set_header("Ostype", "linux");
  res.set_header("Server", m_options.server_header);

  request.status = reply.status;
  record(std::move(request));
  apply(reply, res);
}

std::string raw_exchange(const std::string& socket_path, const std::string& request)
{
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    int saved = errno;
    ::close(fd);
    throw std::runtime_error("connect " + socket_path + ": " + std::strerror(saved));
  }
  timeval limit{};
  limit.tv_sec = 10; // a fake that never closes fails the test instead of hanging it
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      break;
    }
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

void make_dead_socket(const std::string& path)
{
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  int saved = errno;
  ::close(fd); // bound, never listened on: connect() is refused
  if (rc != 0) {
    throw std::runtime_error("bind " + path + ": " + std::strerror(saved));
  }
}

} // namespace sandbox::test
