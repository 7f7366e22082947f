// A hostile fake Docker engine for tests: `hostile_engine SOCKET_PATH BEHAVIOR`.
//
// Listens on a unix socket, prints "ready" once listening, and serves connections until SIGTERM
// (or SIGINT), one thread per connection. `GET /_ping` is answered like a real engine; every
// other request gets BEHAVIOR, a reply crafted to hurt a client that does not bound what it reads:
//
//   endless-header  a status line, then one header line that never ends
//   many-headers    a status line, then header lines that never stop coming
//   endless-body    a valid chunked head, then a JSON string that never ends
//   deep-json       a complete reply whose body is 300000 '[' then 300000 ']'
//   silence         reads the request, then never answers (and keeps the connection open)
//   cut-chunk       a valid chunked head, then a chunk shorter than announced, then close
//
// POSIX sockets and the standard library only: it must not share code with what it tests.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace {

constexpr std::size_t k_block = 64 * 1024;          // size of each flooding write
constexpr std::size_t k_max_request_head = 1 << 20;   // a request head longer than this is dropped
constexpr std::size_t k_max_request_body = 16 << 20;  // so is a request body longer than this
constexpr std::size_t k_deep_json_depth = 300000;

enum class Behavior { endless_header, many_headers, endless_body, deep_json, silence, cut_chunk };

std::optional<Behavior> parse_behavior(std::string_view name) {
  if (name == "endless-header") return Behavior::endless_header;
  if (name == "many-headers") return Behavior::many_headers;
  if (name == "endless-body") return Behavior::endless_body;
  if (name == "deep-json") return Behavior::deep_json;
  if (name == "silence") return Behavior::silence;
  if (name == "cut-chunk") return Behavior::cut_chunk;
  return std::nullopt;
}

// Writes all of `data`; false once the peer is gone (EPIPE, ECONNRESET) or on any other error.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// One HTTP request as far as this engine cares: its method and path (without the query).
struct Request {
  std::string method;
  std::string path;
};

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Reads one request (head and Content-Length body) from `fd`, keeping any bytes read past it in
// `pending` for the next request on the connection. nullopt on EOF, error or an oversized request.
std::optional<Request> read_request(int fd, std::string& pending) {
  std::size_t head_end;
  while ((head_end = pending.find("\r\n\r\n")) == std::string::npos) {
    if (pending.size() > k_max_request_head) return std::nullopt;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    pending.append(buf, static_cast<std::size_t>(n));
  }
  std::string head = pending.substr(0, head_end + 2);  // keeps the last header line's CRLF
  pending.erase(0, head_end + 4);

  std::size_t content_length = 0;
  for (std::size_t pos = head.find("\r\n"); pos != std::string::npos && pos + 2 < head.size();) {
    std::size_t next = head.find("\r\n", pos + 2);
    std::string line = lowercase(head.substr(pos + 2, next - pos - 2));
    if (line.rfind("content-length:", 0) == 0) {
      content_length = std::strtoull(line.c_str() + std::strlen("content-length:"), nullptr, 10);
    }
    pos = next;
  }
  if (content_length > k_max_request_body) return std::nullopt;
  while (pending.size() < content_length) {
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    pending.append(buf, static_cast<std::size_t>(n));
  }
  pending.erase(0, content_length);

  Request request;
  std::string_view line(head.data(), head.find("\r\n"));
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.find(' ', sp1 == std::string_view::npos ? line.size() : sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) return std::nullopt;
  request.method = std::string(line.substr(0, sp1));
  request.path = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  request.path = request.path.substr(0, request.path.find('?'));
  return request;
}

bool is_ping(const Request& request) {
  const std::string_view suffix = "/_ping";
  std::string_view path = request.path;
  return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
}

bool answer_ping(int fd, const Request& request) {
  std::string reply = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n";
  if (request.method != "HEAD") reply += "OK";
  return write_all(fd, reply);
}

// Writes `prefix`, then `block` over and over until the peer goes away.
void flood(int fd, std::string_view prefix, std::string_view block) {
  if (!write_all(fd, prefix)) return;
  while (write_all(fd, block)) {
  }
}

// Blocks until the peer closes the connection, never writing to it.
void stay_silent(int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
  }
}

constexpr std::string_view kChunkedHead =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

std::string chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + std::string(data) + "\r\n";
}

// Answers one non-ping request with `behavior`. True if the connection may serve another request.
bool misbehave(int fd, Behavior behavior) {
  switch (behavior) {
    case Behavior::endless_header:
      flood(fd, "HTTP/1.1 200 OK\r\nX-Flood: ", std::string(k_block, 'a'));
      return false;
    case Behavior::many_headers: {
      std::string block;
      while (block.size() + 8 <= k_block) block += "X-N: v\r\n";
      flood(fd, "HTTP/1.1 200 OK\r\n", block);
      return false;
    }
    case Behavior::endless_body: {
      std::string first = "[\"" + std::string(k_block - 2, 'x');
      flood(fd, std::string(kChunkedHead) + chunk(first), chunk(std::string(k_block, 'x')));
      return false;
    }
    case Behavior::deep_json: {
      std::string body = std::string(k_deep_json_depth, '[') + std::string(k_deep_json_depth, ']');
      std::string head = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n";
      return write_all(fd, head + body);
    }
    case Behavior::silence:
      stay_silent(fd);
      return false;
    case Behavior::cut_chunk:
      write_all(fd, std::string(kChunkedHead) + "10\r\n[{\"Id\":\"ab");
      return false;
  }
  return false;
}

void serve(int fd, Behavior behavior) {
  std::string pending;
  while (auto request = read_request(fd, pending)) {
    bool keep_going = is_ping(*request) ? answer_ping(fd, *request) : misbehave(fd, behavior);
    if (!keep_going) break;
  }
  ::close(fd);
}

int listen_on(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    std::fprintf(stderr, "hostile_engine: socket path too long: %s\n", path.c_str());
    return -1;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    std::perror("hostile_engine: socket");
    return -1;
  }
  ::unlink(path.c_str());  // a stale socket file from an earlier run
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || ::listen(fd, 64) < 0) {
    std::fprintf(stderr, "hostile_engine: cannot listen on %s: %s\n", path.c_str(), std::strerror(errno));
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: hostile_engine SOCKET_PATH BEHAVIOR\n");
    return 2;
  }
  const std::string socket_path = argv[1];
  const auto behavior = parse_behavior(argv[2]);
  if (!behavior) {
    std::fprintf(stderr, "hostile_engine: unknown behavior: %s\n", argv[2]);
    return 2;
  }

  // SIGTERM and SIGINT are taken synchronously by one thread; every other thread blocks them.
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const int listener = listen_on(socket_path);
  if (listener < 0) return 1;

  std::thread([stop_signals, socket_path] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    ::unlink(socket_path.c_str());
    std::fflush(stdout);
    std::_Exit(0);  // connection threads may be blocked forever: do not wait for them
  }).detach();

  std::fputs("ready\n", stdout);
  std::fflush(stdout);

  for (;;) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      std::perror("hostile_engine: accept");
      return 1;
    }
    std::thread(serve, fd, *behavior).detach();
  }
}
