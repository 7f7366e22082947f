#pragma once

// An in-process fake Docker Engine on a unix socket in a fresh temp directory, for protocol
// corners a real engine cannot be made to produce: old or missing API versions, plain-text error
// bodies, connections that break off mid-response. It records every request it receives and is
// as strict as dockerd where dockerd is strict: the Host header (Go net/http), the API version
// range (moby's version middleware), JSON Content-Type (httputils.CheckForJSON) and unknown
// routes (404 "page not found").

#include "engine/endpoint.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
} // namespace httplib

namespace sandbox::test {

using Fields = std::vector<std::pair<std::string, std::string>>;

// A directory made with mkdtemp and removed with its contents on destruction.
class TempDir
{
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

// A one-shot flag that one thread raises and another waits for. Waits are bounded so that a
// broken test fails instead of hanging.
class Signal
{
public:
  void raise();
  bool raised() const;
  // True when the flag was raised within `limit`.
  bool wait(std::chrono::milliseconds limit = std::chrono::seconds(10)) const;

private:
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  bool m_raised = false;
};

// One request as the fake received it.
struct RecordedRequest
{
  std::string method;
  std::string target;                 // as sent, e.g. "/v1.47/containers/create?name=x"
  std::string path;                   // without the query, e.g. "/v1.47/containers/create"
  std::string route;                  // without the version prefix, e.g. "/containers/create"
  std::optional<std::string> version; // from the prefix, e.g. "1.47"; nullopt when unversioned
  Fields headers;
  Fields query;                       // decoded
  std::string body;
  int status = 0;                     // what the fake answered

  // The first header with this name (case-insensitive), or "".
  std::string header(const std::string& name) const;
  std::size_t header_count(const std::string& name) const;
  // The first query parameter with this name, or "".
  std::string query_value(const std::string& name) const;
  // "METHOD target", for comparing request sequences in assertions.
  std::string line() const { return method + " " + target; }
};

// What a route answers.
struct FakeReply
{
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Fields headers;

  // Chunked transfer encoding, one chunk per piece, instead of `body`. `before_chunk(i)` runs on
  // the server thread before piece i is written; a test may block there on a Signal.
  bool chunked = false;
  std::vector<std::string> chunks;
  std::function<void(std::size_t index)> before_chunk;

  // Breaks off: announces the whole body (Content-Length, or all chunks) but closes the
  // connection after sending this many bytes (of `body`) or pieces (of `chunks`).
  std::optional<std::size_t> cut_after;

  static FakeReply json(int status, std::string body);
  static FakeReply text(int status, std::string body);
  // {"message": message}, as dockerd reports errors.
  static FakeReply error(int status, const std::string& message);
  static FakeReply no_content();
};

struct FakeEngineOptions
{
  std::optional<std::string> ping_api_version = "1.47"; // the Api-Version header on /_ping; nullopt: none
  std::string max_api_version = "1.47";                 // newer requested versions: 400 "too new" (JSON)
  std::string min_api_version = "1.24";                 // older ones: 400 "too old" (text/plain)
  std::string server_header = "Docker/27.5.1 (linux)";
  // How long an idle connection stays open after a reply (Podman keeps one open after an error).
  int keep_alive_seconds = 5;

  // An engine whose newest API is `version`, as it reports on /_ping.
  static FakeEngineOptions speaking(const std::string& version, const std::string& minimum = "1.24");
  // An engine whose /_ping has no Api-Version header (which the Go client reads as 1.24).
  static FakeEngineOptions without_api_version();
};

class FakeEngine
{
public:
  using Handler = std::function<FakeReply(const RecordedRequest&)>;

  // Starts listening at once; throws std::runtime_error when the socket cannot be bound.
  explicit FakeEngine(FakeEngineOptions options = {});
  ~FakeEngine();
  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  const std::string& socket_path() const { return m_socket_path; }
  const std::string& directory() const { return m_dir.path(); }

  // An endpoint for this fake as endpoint resolution would build it for `unix://<socket>`.
  engine::Endpoint endpoint(const std::string& context = "default") const;

  // Serves `method` on the unversioned `path` (exact match; versioned requests match too).
  // With `checks_json` the request is first checked the way dockerd's CheckForJSON does;
  // it defaults to true for POST, as on dockerd's routes that take a JSON body.
  void route(const std::string& method, const std::string& path, Handler handler);
  void route(const std::string& method, const std::string& path, FakeReply reply);
  void route(const std::string& method, const std::string& path, bool checks_json, Handler handler);

  // Every request received so far, in order, including /_ping and refused ones.
  std::vector<RecordedRequest> requests() const;
  std::vector<std::string> request_lines() const;

private:
  struct Route
  {
    std::string method;
    std::string path;
    bool checks_json = false;
    Handler handler;
  };

  void serve(const httplib::Request& request, httplib::Response& response);
  void record(RecordedRequest request);

  FakeEngineOptions m_options;
  TempDir m_dir;
  std::string m_socket_path;
  mutable std::mutex m_mutex;
  std::vector<Route> m_routes;
  std::vector<RecordedRequest> m_requests;
  std::unique_ptr<httplib::Server> m_server;
  std::atomic<bool> m_listen_returned{false};
  std::thread m_thread;
};

// Sends `request` verbatim on a fresh connection to a unix socket and returns everything read
// until the peer closes. Throws std::runtime_error when the socket cannot be reached.
std::string raw_exchange(const std::string& socket_path, const std::string& request);

// Creates a unix socket file at `path` that nobody listens on (connecting is refused).
void make_dead_socket(const std::string& path);

} // namespace sandbox::test
