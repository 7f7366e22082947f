// The CLI reports our death by signal as exit 255 and, when its stdout is not a terminal, turns
// SIGINT/SIGTERM into EOF on the plugin socket instead of signalling us (shared/reference §1.8,
// §1.9). Both paths end in the same idempotent CancelToken. SIGHUP (the terminal closed) ends a
// run the same way: by default it would kill us and leave the sandbox running.

#include "signals.h"

#include "util/cancel.h"

#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace sandbox::cli {

namespace {

void on_signal(int signo)
{
  CancelToken::instance().request(signo);
}

int connect_socket(const std::string& name)
{
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  socklen_t length;
  if (!name.empty() && name[0] == '@') {
    // Abstract namespace: a leading NUL, then the name; the length must not include padding.
    if (name.size() > sizeof(address.sun_path)) {
      return -1;
    }
    std::memcpy(address.sun_path + 1, name.data() + 1, name.size() - 1);
    length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  } else {
    if (name.size() >= sizeof(address.sun_path)) {
      return -1;
    }
    std::memcpy(address.sun_path, name.data(), name.size());
    length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + 1);
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

} // namespace

void install_signal_handlers()
{
  CancelToken::instance(); // create the pipe before any signal can arrive
  struct sigaction action{};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr); // the terminal went away: the sandbox must not outlive it
  std::signal(SIGPIPE, SIG_IGN);
}

void watch_plugin_socket()
{
  const char* name = std::getenv("DOCKER_CLI_PLUGIN_SOCKET");
  if (!name || !*name) {
    return;
  }
  int fd = connect_socket(name);
  if (fd < 0) {
    return;
  }
  std::thread([fd] {
    char buffer[64];
    for (;;) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0 || (n < 0 && errno == EINTR)) {
        continue; // the CLI never sends bytes; ignore any
      }
      break;
    }
    ::close(fd);
    // The CLI closes the socket when it got SIGINT or SIGTERM. If the same signal was sent to
    // our process group too (Ctrl-C, timeout, a supervisor), it lands here within moments and
    // names the signal; give it that moment, since the first reason wins.
    ::poll(nullptr, 0, 100);
    CancelToken::instance().request(0);
  }).detach();
}

std::string interruption()
{
  switch (CancelToken::instance().reason()) {
  case SIGINT:
    return "interrupted by SIGINT";
  case SIGTERM:
    return "interrupted by SIGTERM";
  case SIGHUP:
    return "interrupted by SIGHUP (the terminal went away)";
  default:
    return "interrupted: the docker CLI closed the plugin socket (it was signalled)";
  }
}

int cancelled_exit_code()
{
  int reason = CancelToken::instance().reason();
  return reason == SIGTERM ? 143 : reason == SIGHUP ? 129 : 130;
}

} // namespace sandbox::cli
