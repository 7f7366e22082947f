#include "terminal.h"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace sandbox::cli {

namespace {

int g_winch_pipe[2] = {-1, -1};

void on_window_change(int)
{
  (void)!::write(g_winch_pipe[1], "w", 1);
}

} // namespace

static_assert(sizeof(termios) <= 64, "RawTerminal::m_saved is too small");

RawTerminal::RawTerminal(int fd) : m_fd(fd)
{
  termios current;
  if (!::isatty(fd) || ::tcgetattr(fd, &current) != 0) {
    return;
  }
  std::memcpy(m_saved, &current, sizeof current);
  ::cfmakeraw(&current);
  m_active = ::tcsetattr(fd, TCSANOW, &current) == 0;
}

RawTerminal::~RawTerminal()
{
  if (m_active) {
    termios saved;
    std::memcpy(&saved, m_saved, sizeof saved);
    ::tcsetattr(m_fd, TCSANOW, &saved);
  }
}

std::optional<std::pair<int, int>> terminal_size(int fd)
{
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) {
    return std::nullopt;
  }
  return std::make_pair(static_cast<int>(size.ws_row), static_cast<int>(size.ws_col));
}

int window_change_fd()
{
  if (g_winch_pipe[0] < 0 && ::pipe2(g_winch_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
    struct sigaction action{};
    action.sa_handler = on_window_change;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGWINCH, &action, nullptr);
  }
  return g_winch_pipe[0];
}

} // namespace sandbox::cli
