// The file the docker CLI runs, as a plugin, and the standalone program. The CLI runs the metadata
// probe before every plugin call, so it is answered here with one write(), before the argument
// parser or anything else starts.

#include "cli.h"
#include "metadata.h"

#include <cstring>
#include <unistd.h>

int main(int argc, char** argv)
{
  if (argc == 2 && std::strcmp(argv[1], "docker-cli-plugin-metadata") == 0) {
    std::size_t length = sizeof sandbox::cli::k_plugin_metadata - 1;
    return ::write(STDOUT_FILENO, sandbox::cli::k_plugin_metadata, length) == static_cast<ssize_t>(length) ? 0 : 1;
  }
  return sandbox::cli::main(argc, argv);
}
