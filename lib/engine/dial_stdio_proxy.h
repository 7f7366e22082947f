#pragma once

// Makes a transport we do not speak natively (ssh://, fd://, npipe://) look like a unix socket:
// every connection to a private socket gets its own tunnel child whose stdin and stdout are that
// connection: `ssh ... docker system dial-stdio` for a plain ssh:// host (as the docker CLI's ssh
// connection helper runs it), `docker ... system dial-stdio` otherwise, which is what the docker
// CLI's Go plugins do when DOCKER_CLI_PLUGIN_USE_DIAL_STDIO is set.
//
// An ssh server turns connections away before its greeting when too many are unauthenticated at
// once (sshd's MaxStartups: 20 concurrent runs trip its default). ssh then exits before it has
// read a byte of its stdin, so the connection's request is still unread and a new ssh can carry
// it: such a tunnel is started again, after a growing random pause, a few times. (A far side that
// printed that line after reading the request would only cost itself the tries: what it read is
// not sent again, since nothing of a connection is kept here.)

#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace sandbox::engine {

// How often, and after what pauses, a tunnel turned away before the greeting is started again.
// Each pause is drawn between half and one and a half times its nominal length, which starts at
// `first_pause_ms` and doubles up to `longest_pause_ms`, so that runs turned away together do not
// come back together. The defaults wait up to about 20 s, below ssh's own ConnectTimeout of 30.
struct GreetingRetry
{
  int attempts = 12;
  int first_pause_ms = 100;
  int longest_pause_ms = 2000;
};

class DialStdioProxy
{
public:
  // Starts listening on a fresh socket in a private temporary directory. Throws ConnectionError.
  explicit DialStdioProxy(std::vector<std::string> command, GreetingRetry retry = {});
  ~DialStdioProxy();
  DialStdioProxy(const DialStdioProxy&) = delete;
  DialStdioProxy& operator=(const DialStdioProxy&) = delete;

  const std::string& socket_path() const { return m_socket_path; }

  // The last line a tunnel wrote on its stderr (ssh's own error, such as "Permission denied
  // (publickey)"), printable and at most 512 bytes; empty when none wrote anything. A connection
  // whose tunnel has ended is closed only after its stderr is read, so the line is here by the
  // time the request on it fails.
  std::string last_error() const;

private:
  void serve();
  // Runs the tunnels of one accepted connection, then closes it.
  void carry(int connection);
  // Forks a tunnel on `connection` with its stderr on `error_fd`; -1 once the proxy is stopping.
  pid_t spawn(int connection, int error_fd);
  // Reads the tunnel's stderr until it exits; returns its wait status and the stderr's tail.
  int wait_tunnel(pid_t pid, int error_fd, std::string& said);
  void note_error(const std::string& said);

  std::vector<std::string> m_command;
  GreetingRetry m_retry; // attempts 1 unless a plain ssh tunnel, which reads nothing before the greeting
  std::string m_dir;
  std::string m_socket_path;
  int m_listen_fd = -1;
  int m_stop_pipe[2] = {-1, -1}; // readable once the proxy stops (never drained)
  std::thread m_thread;

  mutable std::mutex m_mutex; // guards the four below
  bool m_stopping = false;
  std::vector<pid_t> m_children; // live tunnel processes
  std::vector<std::thread> m_carriers;
  std::string m_last_error;
};

} // namespace sandbox::engine
