#include "engine/dial_stdio_proxy.h"

#include "util/error.h"
#include "util/printable.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sandbox::engine {

DialStdioProxy::DialStdioProxy(std::vector<std::string> command) : m_command(std::move(command))
{
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string pattern = std::string(runtime && *runtime ? runtime : "/tmp") + "/docker-sandbox-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    throw ConnectionError("cannot create a directory for the dial-stdio tunnel: " + std::string(std::strerror(errno)));
  }
  m_dir = pattern;
  m_socket_path = m_dir + "/engine.sock";
  m_error_path = m_dir + "/tunnels.err";

  m_listen_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, m_socket_path.c_str(), sizeof(address.sun_path) - 1);
  if (m_listen_fd < 0 || ::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
      || ::listen(m_listen_fd, 16) != 0 || ::pipe2(m_stop_pipe, O_CLOEXEC) != 0) {
    std::string reason = std::strerror(errno);
    if (m_listen_fd >= 0) {
      ::close(m_listen_fd);
    }
    ::rmdir(m_dir.c_str());
    throw ConnectionError("cannot listen for the dial-stdio tunnel: " + reason);
  }
  m_thread = std::thread([this] { serve(); });
}

DialStdioProxy::~DialStdioProxy()
{
  if (m_stop_pipe[1] >= 0) {
    (void)!::write(m_stop_pipe[1], "x", 1);
  }
  if (m_thread.joinable()) {
    m_thread.join();
  }
  for (int pid : m_children) {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
  ::close(m_listen_fd);
  ::close(m_stop_pipe[0]);
  ::close(m_stop_pipe[1]);
  ::unlink(m_socket_path.c_str());
  ::unlink(m_error_path.c_str());
  ::rmdir(m_dir.c_str());
}

void DialStdioProxy::serve()
{
  for (;;) {
    pollfd fds[2] = {{m_listen_fd, POLLIN, 0}, {m_stop_pipe[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    if (fds[1].revents != 0) {
      return;
    }
    int connection = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        ::poll(nullptr, 0, 100); // out of descriptors: do not spin
      }
      continue;
    }
    std::vector<char*> argv;
    for (std::string& word : m_command) {
      argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setsid(); // Ctrl-C on the terminal is ours to handle, not the tunnel's
      ::dup2(connection, STDIN_FILENO);
      ::dup2(connection, STDOUT_FILENO);
      int errors = ::open(m_error_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (errors >= 0) {
        ::dup2(errors, STDERR_FILENO);
      }
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(connection);
    if (pid > 0) {
      m_children.push_back(pid);
    }
    // Reap the tunnels whose connections have ended.
    std::erase_if(m_children, [](int child) { return ::waitpid(child, nullptr, WNOHANG) == child; });
  }
}

std::string DialStdioProxy::last_error() const
{
  int fd = ::open(m_error_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return "";
  }
  // The tail is enough: the last line is the one that says why.
  char buffer[4096];
  off_t size = ::lseek(fd, 0, SEEK_END);
  ssize_t n = ::pread(fd, buffer, sizeof buffer, std::max<off_t>(0, size - static_cast<off_t>(sizeof buffer)));
  ::close(fd);
  std::string text(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  std::string line = text.substr(text.find_last_of('\n') == std::string::npos ? 0 : text.find_last_of('\n') + 1);
  return printable(line.substr(0, 512));
}

} // namespace sandbox::engine
