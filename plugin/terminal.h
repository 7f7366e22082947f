#pragma once

#include <optional>
#include <utility>

namespace sandbox::cli {

// Puts a terminal into raw mode for the lifetime of the object (for `run -t`) and restores it,
// also when the command fails.
class RawTerminal
{
public:
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

private:
  int m_fd;
  bool m_active = false;
  unsigned char m_saved[64] = {}; // struct termios, kept opaque here
};

// Rows and columns of the terminal on `fd`, or nullopt when it is not a terminal.
std::optional<std::pair<int, int>> terminal_size(int fd);

// A file descriptor that becomes readable whenever SIGWINCH arrives (installed on first call).
int window_change_fd();

} // namespace sandbox::cli
