#pragma once

// A hand-written HTTP/1.1 engine on a unix socket, for the keep-alive corners that cpp-httplib's
// server (the FakeEngine) cannot be made to produce: it counts the connections it accepts, and the
// test says, for every request, what is written back and whether the connection then closes
// silently (no `Connection: close`), as an engine's idle timeout or a crash would close it.

#include "engine/endpoint.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sandbox::test {

// What the scripted engine does with one request.
struct ScriptedReply
{
  std::string bytes;            // written as they are: a whole reply, part of one, or nothing
  bool close = false;           // then close the connection, without a word
  bool endless = false;         // then write filler until the client goes away
};

class ScriptedEngine
{
public:
  // Called on a connection's thread for its request number `index` (from 0) on connection number
  // `connection` (from 0, in accept order); `request` is the request line and headers.
  using Script = std::function<ScriptedReply(std::size_t connection, std::size_t index, const std::string& request)>;

  // Starts listening at once; throws std::runtime_error when the socket cannot be bound.
  explicit ScriptedEngine(Script script);
  ~ScriptedEngine();
  ScriptedEngine(const ScriptedEngine&) = delete;
  ScriptedEngine& operator=(const ScriptedEngine&) = delete;

  engine::Endpoint endpoint() const;
  // Connections accepted so far.
  std::size_t connections() const { return m_accepted; }
  // True once the engine itself has closed `count` connections (within `limit`).
  bool wait_closed(std::size_t count, std::chrono::milliseconds limit = std::chrono::seconds(10)) const;
  // "METHOD target" of every request received, in order.
  std::vector<std::string> request_lines() const;

  // An HTTP/1.1 200 reply with a JSON body and Content-Length, plus `extra_headers` (each ending
  // in \r\n).
  static std::string json_reply(const std::string& body, const std::string& extra_headers = "");

private:
  void accept_loop();
  void serve(int fd, std::size_t connection);

  Script m_script;
  std::string m_dir;
  std::string m_socket_path;
  int m_listen_fd = -1;
  int m_stop[2] = {-1, -1};
  std::atomic<std::size_t> m_accepted{0};
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_closed_changed;
  std::size_t m_closed = 0; // by the engine, after a reply with `close`
  std::vector<std::string> m_lines;
  std::vector<std::thread> m_threads; // touched by the accept thread only, joined after it
  std::thread m_accept_thread;
};

} // namespace sandbox::test
