#include "scripted_engine.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace sandbox::test {

namespace {

// Waits until `fd` is ready for `events` or the stop pipe is readable; false on stop.
bool wait_ready(int fd, short events, int stop_fd)
{
  pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0) {
    if (errno != EINTR) {
      return false;
    }
  }
  return fds[1].revents == 0;
}

bool write_all(int fd, const std::string& bytes, int stop_fd)
{
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    if (!wait_ready(fd, POLLOUT, stop_fd)) {
      return false;
    }
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::size_t content_length(const std::string& head)
{
  std::size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string::npos) {
    pos += 2;
    if (strncasecmp(head.c_str() + pos, "Content-Length:", 15) == 0) {
      return std::strtoul(head.c_str() + pos + 15, nullptr, 10);
    }
  }
  return 0;
}

} // namespace

ScriptedEngine::ScriptedEngine(Script script) : m_script(std::move(script))
{
  std::string pattern = (std::filesystem::temp_directory_path() / "sbx-scripted-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) {
    throw std::runtime_error("mkdtemp: " + std::string(std::strerror(errno)));
  }
  m_dir = pattern;
  m_socket_path = m_dir + "/engine.sock";
  m_listen_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, m_socket_path.c_str(), sizeof(address.sun_path) - 1);
  if (m_listen_fd < 0 || ::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
      || ::listen(m_listen_fd, 16) != 0 || ::pipe2(m_stop, O_CLOEXEC) != 0) {
    throw std::runtime_error("the scripted engine cannot listen on " + m_socket_path);
  }
  m_accept_thread = std::thread([this] { accept_loop(); });
}

ScriptedEngine::~ScriptedEngine()
{
  (void)!::write(m_stop[1], "x", 1);
  m_accept_thread.join();
  for (std::thread& thread : m_threads) {
    thread.join();
  }
  ::close(m_listen_fd);
  ::close(m_stop[0]);
  ::close(m_stop[1]);
  std::filesystem::remove_all(m_dir);
}

engine::Endpoint ScriptedEngine::endpoint() const
{
  engine::Endpoint endpoint;
  endpoint.context = "default";
  endpoint.host = "unix://" + m_socket_path;
  endpoint.transport = engine::TransportKind::unix_socket;
  endpoint.address = m_socket_path;
  return endpoint;
}

std::vector<std::string> ScriptedEngine::request_lines() const
{
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_lines;
}

bool ScriptedEngine::wait_closed(std::size_t count, std::chrono::milliseconds limit) const
{
  std::unique_lock<std::mutex> lock(m_mutex);
  return m_closed_changed.wait_for(lock, limit, [&] { return m_closed >= count; });
}

std::string ScriptedEngine::json_reply(const std::string& body, const std::string& extra_headers)
{
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.47\r\nContent-Length: "
         + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

void ScriptedEngine::accept_loop()
{
  for (;;) {
    if (!wait_ready(m_listen_fd, POLLIN, m_stop[0])) {
      return;
    }
    int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    std::size_t number = m_accepted++;
    m_threads.emplace_back([this, fd, number] { serve(fd, number); });
  }
}

void ScriptedEngine::serve(int fd, std::size_t connection)
{
  std::string buffer;
  for (std::size_t index = 0;; ++index) {
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      char chunk[4096];
      if (!wait_ready(fd, POLLIN, m_stop[0])) {
        ::close(fd);
        return;
      }
      ssize_t n = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        continue;
      }
      if (n <= 0) { // the client closed: as an engine, just forget the connection
        ::close(fd);
        return;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    std::string head = buffer.substr(0, end);
    std::size_t length = content_length(head);
    while (buffer.size() < end + 4 + length) {
      char chunk[4096];
      if (!wait_ready(fd, POLLIN, m_stop[0])) {
        ::close(fd);
        return;
      }
      ssize_t n = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        continue;
      }
      if (n <= 0) {
        ::close(fd);
        return;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    buffer.erase(0, end + 4 + length);
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_lines.push_back(head.substr(0, head.rfind(" HTTP/1.", head.find("\r\n"))));
    }
    ScriptedReply reply = m_script(connection, index, head);
    bool open = write_all(fd, reply.bytes, m_stop[0]);
    if (open && reply.endless) {
      std::string filler(64 * 1024, 'x');
      while (write_all(fd, filler, m_stop[0])) {
      }
      open = false;
    }
    if (!open || reply.close) {
      ::close(fd);
      std::lock_guard<std::mutex> lock(m_mutex);
      ++m_closed;
      m_closed_changed.notify_all();
      return;
    }
  }
}

} // namespace sandbox::test
