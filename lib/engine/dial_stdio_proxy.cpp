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
#include <random>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sandbox::engine {

namespace {

constexpr std::size_t k_kept_stderr = 4096; // the tail of a tunnel's stderr that is looked at

// The line of ssh's stderr that says the server closed or reset the connection before its
// greeting: "kex_exchange_identification: Connection closed by remote host" (OpenSSH 8.2 on),
// "ssh_exchange_identification: ..." before; "" when it says something else.
std::string turned_away_line(const std::string& said)
{
  std::size_t start = 0;
  while (start < said.size()) {
    std::size_t end = std::min(said.find('\n', start), said.size());
    std::string line = said.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    bool identification = line.starts_with("kex_exchange_identification:")
                          || line.starts_with("ssh_exchange_identification:");
    if (identification
        && (line.find("Connection closed by remote host") != std::string::npos
            || line.find("Connection reset by peer") != std::string::npos)) {
      return line;
    }
    start = end + 1;
  }
  return "";
}

std::string last_line(std::string text)
{
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  std::size_t newline = text.find_last_of('\n');
  return text.substr(newline == std::string::npos ? 0 : newline + 1);
}

// The pause before try `attempt` + 1.
int pause_ms(const GreetingRetry& retry, int attempt)
{
  thread_local std::minstd_rand random{std::random_device{}()};
  int nominal = retry.first_pause_ms;
  for (int i = 1; i < attempt && nominal < retry.longest_pause_ms; ++i) {
    nominal *= 2;
  }
  nominal = std::min(nominal, retry.longest_pause_ms);
  return std::uniform_int_distribution<int>(nominal / 2, nominal * 3 / 2)(random);
}

bool is_plain_ssh(const std::vector<std::string>& command)
{
  if (command.empty()) {
    return false;
  }
  std::size_t slash = command.front().find_last_of('/');
  return command.front().substr(slash == std::string::npos ? 0 : slash + 1) == "ssh";
}

} // namespace

DialStdioProxy::DialStdioProxy(std::vector<std::string> command, GreetingRetry retry)
  : m_command(std::move(command)), m_retry(retry)
{
  if (!is_plain_ssh(m_command)) {
    m_retry.attempts = 1;
  }
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string pattern = std::string(runtime && *runtime ? runtime : "/tmp") + "/docker-sandbox-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    throw ConnectionError("cannot create a directory for the dial-stdio tunnel: " + std::string(std::strerror(errno)));
  }
  m_dir = pattern;
  m_socket_path = m_dir + "/engine.sock";

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
  (void)!::write(m_stop_pipe[1], "x", 1);
  m_thread.join(); // no connection is accepted after this
  std::vector<std::thread> carriers;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stopping = true; // no tunnel is started after this
    for (pid_t pid : m_children) {
      ::kill(pid, SIGTERM);
    }
    carriers.swap(m_carriers);
  }
  for (std::thread& carrier : carriers) {
    carrier.join();
  }
  ::close(m_listen_fd);
  ::close(m_stop_pipe[0]);
  ::close(m_stop_pipe[1]);
  ::unlink(m_socket_path.c_str());
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
    std::lock_guard<std::mutex> lock(m_mutex);
    try {
      m_carriers.emplace_back([this, connection] { carry(connection); });
    } catch (const std::exception&) { // no thread to be had: this connection fails, the next may not
      ::close(connection);
    }
  }
}

void DialStdioProxy::carry(int connection)
{
  for (int attempt = 1;; ++attempt) {
    int error_pipe[2];
    if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
      break;
    }
    pid_t pid = spawn(connection, error_pipe[1]);
    ::close(error_pipe[1]);
    if (pid < 0) {
      ::close(error_pipe[0]);
      break;
    }
    std::string said;
    int status = wait_tunnel(pid, error_pipe[0], said);
    ::close(error_pipe[0]);
    std::string turned_away = turned_away_line(said);
    bool again = WIFEXITED(status) && WEXITSTATUS(status) == 255 && !turned_away.empty();
    // A client that has hung up (not just ended its request) needs no more tries: they would
    // only add to the server's load.
    pollfd client{connection, 0, 0};
    bool client_gone = ::poll(&client, 1, 0) > 0 && (client.revents & POLLHUP) != 0;
    if (again && !client_gone && attempt < m_retry.attempts) {
      pollfd stop{m_stop_pipe[0], POLLIN, 0};
      if (::poll(&stop, 1, pause_ms(m_retry, attempt)) == 0) {
        continue; // only the last try's stderr is noted: a try that was turned away and then got through says nothing
      }
    }
    if (again && attempt > 1) {
      note_error(turned_away + " (" + std::to_string(attempt)
                 + " tries: the ssh server turned every one away before its greeting, as sshd does past its "
                   "MaxStartups)");
    } else {
      note_error(turned_away.empty() ? said : turned_away);
    }
    break;
  }
  ::close(connection); // the client sees the end only now, with the tunnel's error noted
}

pid_t DialStdioProxy::spawn(int connection, int error_fd)
{
  std::vector<char*> argv;
  for (std::string& word : m_command) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_stopping) {
    return -1;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid(); // Ctrl-C on the terminal is ours to handle, not the tunnel's
    ::dup2(connection, STDIN_FILENO);
    ::dup2(connection, STDOUT_FILENO);
    ::dup2(error_fd, STDERR_FILENO);
    // Nothing else of ours: cpp-httplib's sockets are not close-on-exec, and a tunnel holding
    // another connection's end would keep that connection from ever seeing its end.
    ::close_range(3, ~0U, 0);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid > 0) {
    m_children.push_back(pid);
  }
  return pid;
}

int DialStdioProxy::wait_tunnel(pid_t pid, int error_fd, std::string& said)
{
  // Waits for the tunnel's exit, not for the end of its stderr: a process it leaves behind (an
  // ssh ControlPersist master) may hold that open for good.
  int exited = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  ::fcntl(error_fd, F_SETFL, O_NONBLOCK);
  int status = 0;
  bool open = true;
  for (bool done = false; !done;) {
    pollfd fds[2] = {{open ? error_fd : -1, POLLIN, 0}, {exited, POLLIN, 0}};
    ::poll(fds, 2, exited >= 0 ? -1 : 100);
    {
      // Reaped and forgotten in one step, so that the destructor never signals a reused pid.
      std::lock_guard<std::mutex> lock(m_mutex);
      pid_t reaped = ::waitpid(pid, &status, WNOHANG);
      done = reaped == pid || (reaped < 0 && errno == ECHILD);
      if (done) {
        std::erase(m_children, pid);
      }
    }
    char buffer[1024];
    ssize_t n = -1;
    while (open && (n = ::read(error_fd, buffer, sizeof buffer)) > 0) {
      said.append(buffer, static_cast<std::size_t>(n));
      if (said.size() > k_kept_stderr) {
        said.erase(0, said.size() - k_kept_stderr);
      }
    }
    open = open && !(n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR));
  }
  if (exited >= 0) {
    ::close(exited);
  }
  return status;
}

void DialStdioProxy::note_error(const std::string& said)
{
  std::string line = last_line(said);
  if (line.empty()) {
    return;
  }
  std::lock_guard<std::mutex> lock(m_mutex);
  m_last_error = printable(line.substr(0, 512));
}

std::string DialStdioProxy::last_error() const
{
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_last_error;
}

} // namespace sandbox::engine
