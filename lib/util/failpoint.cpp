#include "util/failpoint.h"

#include "util/cancel.h"

#include <cerrno>
#include <poll.h>

namespace sandbox {

namespace {

std::string g_armed;
std::function<void(const std::string&)> g_reached;
bool g_hold = true;

} // namespace

void arm_failpoint(std::string name, std::function<void(const std::string&)> reached, bool hold)
{
  g_armed = std::move(name);
  g_reached = std::move(reached);
  g_hold = hold;
}

#ifdef SANDBOX_FAILPOINTS
void failpoint(std::string_view name)
{
  if (g_armed.empty() || name != g_armed) {
    return;
  }
  if (g_reached) {
    g_reached(g_armed);
  }
  if (!g_hold) {
    return;
  }
  pollfd cancel{CancelToken::instance().fd(), POLLIN, 0};
  while (::poll(&cancel, 1, 60 * 1000) < 0 && errno == EINTR) {
  }
  CancelToken::instance().throw_if_requested();
}
#endif

} // namespace sandbox
