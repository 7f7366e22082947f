#pragma once

// Makes a transport we do not speak natively (ssh://, fd://, npipe://) look like a unix socket:
// every connection to a private socket gets its own tunnel child whose stdin and stdout are that
// connection: `ssh ... docker system dial-stdio` for a plain ssh:// host (as the docker CLI's ssh
// connection helper runs it), `docker ... system dial-stdio` otherwise, which is what the docker
// CLI's Go plugins do when DOCKER_CLI_PLUGIN_USE_DIAL_STDIO is set.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace sandbox::engine {

class DialStdioProxy
{
public:
  // Starts listening on a fresh socket in a private temporary directory. Throws ConnectionError.
  explicit DialStdioProxy(std::vector<std::string> command);
  ~DialStdioProxy();
  DialStdioProxy(const DialStdioProxy&) = delete;
  DialStdioProxy& operator=(const DialStdioProxy&) = delete;

  const std::string& socket_path() const { return m_socket_path; }

  // The last line a tunnel wrote on its stderr (ssh's own error, such as "Permission denied
  // (publickey)"), printable and at most 512 bytes; empty when none wrote anything.
  std::string last_error() const;

private:
  void serve();

  std::vector<std::string> m_command;
  std::string m_dir;
  std::string m_socket_path;
  std::string m_error_path; // every tunnel's stderr, appended
  int m_listen_fd = -1;
  int m_stop_pipe[2] = {-1, -1};
  std::vector<int> m_children;
  std::thread m_thread;
};

} // namespace sandbox::engine
