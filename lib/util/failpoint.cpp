#include "util/failpoint.h"

#include "util/cancel.h"

#include <cstdlib>
#include <poll.h>
#include <string>
#include <unistd.h>

namespace sandbox {

void failpoint(std::string_view name)
{
  static const char* const wanted = std::getenv("DOCKER_SANDBOX_FAILPOINT");
  if (wanted == nullptr || name != wanted) {
    return;
  }
  std::string line = "docker sandbox: failpoint " + std::string(name) + " reached\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  pollfd cancel{CancelToken::instance().fd(), POLLIN, 0};
  while (::poll(&cancel, 1, 60 * 1000) < 0) {
  }
  CancelToken::instance().throw_if_requested();
}

} // namespace sandbox
