// The file the docker CLI runs. It answers the metadata probe, which the CLI sends before every
// plugin call, without loading any library beyond libc (cpp-httplib and OpenSSL alone cost
// ~3 ms to load), and hands every other invocation, unchanged (argv, environment, stdio, pid),
// to docker-sandbox-core next to its real path.

#include "metadata.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <unistd.h>

int main(int argc, char** argv)
{
  if (argc == 2 && std::strcmp(argv[1], "docker-cli-plugin-metadata") == 0) {
    std::size_t length = sizeof sandbox::cli::k_plugin_metadata - 1;
    return ::write(STDOUT_FILENO, sandbox::cli::k_plugin_metadata, length) == static_cast<ssize_t>(length) ? 0 : 1;
  }
  static const char k_core[] = "docker-sandbox-core";
  char path[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - sizeof k_core - 1);
  if (n <= 0) {
    std::fprintf(stderr, "docker sandbox: cannot find its own executable: %s\n", std::strerror(errno));
    return 125;
  }
  path[n] = '\0';
  char* slash = std::strrchr(path, '/');
  std::strcpy(slash ? slash + 1 : path, k_core);
  ::execv(path, argv);
  std::fprintf(stderr, "docker sandbox: cannot run %s: %s\n", path, std::strerror(errno));
  return 125;
}
