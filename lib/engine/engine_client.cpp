// Version negotiation follows the Go client: one GET /_ping per process, use min(our newest,
// the engine's Api-Version), and prefix every path with /v<version>. Engines older than our
// minimum are refused before anything is created. Error bodies are JSON on most routes but plain
// text on some (the "client version too old" reply, proxies, the HTTP server itself).

#include "engine/engine_client.h"

#include "util/error.h"

#include <cctype>

namespace sandbox::engine {

namespace {

std::string first_line(std::string text)
{
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.pop_back();
  }
  std::size_t newline = text.find('\n');
  if (newline != std::string::npos) {
    text = text.substr(0, newline);
  }
  return text;
}

std::string hint_for(int status, const std::string& message)
{
  if (message.find("too old") != std::string::npos || message.find("too new") != std::string::npos) {
    return "pin a version the engine accepts with --api-version, or unset DOCKER_API_VERSION";
  }
  if (status == 401 || status == 403) {
    return "the engine refused the request; check the endpoint's credentials";
  }
  return "";
}

} // namespace

std::string url_encode(const std::string& text)
{
  static const char* const k_hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string encode_query(const Query& query)
{
  std::string out;
  for (const auto& [name, value] : query) {
    out += out.empty() ? "?" : "&";
    out += url_encode(name) + "=" + url_encode(value);
  }
  return out;
}

std::string error_message(const HttpResponse& response)
{
  std::string body = response.body;
  if (response.header("Content-Type").find("json") != std::string::npos || (!body.empty() && body[0] == '{')) {
    try {
      json::Value parsed = json::parse(body);
      std::string message = parsed.string_or("message");
      if (!message.empty()) {
        return first_line(message);
      }
    } catch (const json::JsonError&) {
      // Not JSON after all: fall through to the plain text.
    }
  }
  std::string text = first_line(body);
  return text.empty() ? "HTTP status " + std::to_string(response.status) : text;
}

EngineClient::EngineClient(Endpoint endpoint, std::optional<ApiVersion> pinned)
  : m_transport(std::move(endpoint)), m_version(pinned), m_pinned(pinned.has_value())
{
}

PingInfo EngineClient::ping()
{
  HttpRequest request;
  request.method = "GET";
  request.target = "/_ping";
  request.timeout_seconds = m_time_limit > 0 ? m_time_limit : 30;
  HttpResponse response = m_transport.send(request);
  if (response.status != 200) {
    throw EngineError(response.status, "ping " + m_transport.endpoint().host + ": " + error_message(response));
  }
  PingInfo info;
  std::string api = response.header("Api-Version");
  if (!api.empty()) {
    info.api_version = api;
  }
  info.os_type = response.header("Ostype");
  info.server = response.header("Server");
  info.libpod_version = response.header("Libpod-Api-Version");
  if (!m_ping) {
    m_ping = info;
  }
  return info;
}

const PingInfo& EngineClient::identity()
{
  if (!m_ping) {
    ping();
  }
  return *m_ping;
}

ApiVersion EngineClient::api_version()
{
  if (!m_version) {
    m_version = negotiate(identity().api_version);
  }
  return *m_version;
}

HttpResponse EngineClient::call(HttpRequest request, const std::vector<int>& accepted)
{
  if (m_observer) {
    m_observer(request.method, request.target);
  }
  std::string target = "/v" + api_version().str() + request.target;
  request.target = target;
  if (m_time_limit > 0 && (request.timeout_seconds == 0 || request.timeout_seconds > m_time_limit)) {
    request.timeout_seconds = m_time_limit;
  }
  HttpResponse response = m_transport.send(request);
  throw_unless_accepted(response, accepted);
  return response;
}

void throw_unless_accepted(const HttpResponse& response, const std::vector<int>& accepted)
{
  bool ok = response.status >= 200 && response.status < 300;
  for (int status : accepted) {
    ok = ok || response.status == status;
  }
  if (!ok) {
    std::string message = error_message(response);
    throw EngineError(response.status, message, hint_for(response.status, message));
  }
}

HttpResponse EngineClient::call(const std::string& method, const std::string& path, const Query& query,
                                const std::optional<json::Value>& body, const std::vector<int>& accepted)
{
  HttpRequest request;
  request.method = method;
  request.target = path + encode_query(query);
  if (body) {
    request.body = body->dump();
    request.content_type = "application/json";
  }
  return call(std::move(request), accepted);
}

json::Value EngineClient::get_json(const std::string& path, const Query& query)
{
  HttpResponse response = call("GET", path, query);
  try {
    return json::parse(response.body);
  } catch (const json::JsonError& e) {
    throw EngineError(response.status, "GET " + path + ": the engine sent invalid JSON: " + e.what());
  }
}

} // namespace sandbox::engine
