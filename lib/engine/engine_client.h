#pragma once

// The Engine API client: negotiates the version once, versions every path, and turns error
// replies (JSON or plain text) into EngineError.

#include "engine/api_version.h"
#include "engine/http.h"
#include "engine/transport.h"
#include "util/json.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::engine {

using Query = std::vector<std::pair<std::string, std::string>>;

struct PingInfo
{
  std::optional<std::string> api_version; // Api-Version header
  std::string os_type;                    // Ostype header
  std::string server;                     // Server header, e.g. "Docker/20.10.24+dfsg1 (linux)"
  std::string libpod_version;             // Libpod-Api-Version header: only Podman sends it
};

class EngineClient
{
public:
  // `pinned`: a version fixed by --api-version or DOCKER_API_VERSION; no negotiation then.
  EngineClient(Endpoint endpoint, std::optional<ApiVersion> pinned);

  const Endpoint& endpoint() const { return m_transport.endpoint(); }
  Transport& transport() { return m_transport; }

  // GET /_ping (unversioned). Throws ConnectionError, or EngineError on a non-200 reply.
  PingInfo ping();

  // The reply of the first ping (the one version negotiation sent), pinging now if none was sent.
  const PingInfo& identity();

  // The version every request uses; negotiates with GET /_ping on first use unless pinned.
  ApiVersion api_version();
  bool negotiated() const { return m_version.has_value(); }
  // Whether the version was fixed rather than negotiated.
  bool pinned() const { return m_pinned; }

  // Sends a request to the versioned `path`. Returns the response when its status is 2xx or in
  // `accepted`; throws EngineError with the engine's message otherwise.
  HttpResponse call(const std::string& method, const std::string& path, const Query& query = {},
                    const std::optional<json::Value>& body = std::nullopt,
                    const std::vector<int>& accepted = {});

  // Like call(), for a fully prepared request whose target is an unversioned path plus query.
  HttpResponse call(HttpRequest request, const std::vector<int>& accepted = {});

  // call() for GET, parsing the JSON reply.
  json::Value get_json(const std::string& path, const Query& query = {});

  // Calls `observer` with the method and unversioned target of every later request sent through
  // call() (not the raw connections of attach, wait and archive streams).
  void observe(std::function<void(const std::string& method, const std::string& target)> observer)
  {
    m_observer = std::move(observer);
  }

  // Caps every later request (connecting and answering) at `seconds`, e.g. for shell completion,
  // which must answer quickly or not at all.
  void limit_time(int seconds) { m_time_limit = seconds; }

private:
  Transport m_transport;
  std::optional<ApiVersion> m_version;
  std::optional<PingInfo> m_ping;
  int m_time_limit = 0; // 0: none
  std::function<void(const std::string&, const std::string&)> m_observer;
  bool m_pinned = false;
};

// Throws EngineError (the engine's message, a hint where one helps) unless the response's status
// is 2xx or in `accepted`.
void throw_unless_accepted(const HttpResponse& response, const std::vector<int>& accepted);

// Percent-encodes a query value or path segment (RFC 3986 unreserved characters stay).
std::string url_encode(const std::string& text);

// "?a=1&b=2" (empty when there is no parameter), values encoded.
std::string encode_query(const Query& query);

// The message of an engine error body: {"message": ...} or the plain text, trimmed to one line.
std::string error_message(const HttpResponse& response);

} // namespace sandbox::engine
