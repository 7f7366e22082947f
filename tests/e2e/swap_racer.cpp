// The attacker of the mount race tests: swaps two names in one directory with
// renameat2(RENAME_EXCHANGE) as fast as it can, for as long as it lives, so that a path checked by
// the plugin points elsewhere a moment later, pausing PAUSE_US microseconds between swaps (0: none).
// When neither name is a symbolic link any more (a defender removed it), it plants the link to
// LINK_TARGET again in place of an empty directory. Prints how many swaps it made at SIGTERM.
//   swap_racer DIR NAME_A NAME_B PAUSE_US LINK_TARGET

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

std::atomic<bool> g_stop{false};

void stop(int)
{
  g_stop = true;
}

bool is_link(int dir, const char* name)
{
  struct stat st;
  return ::fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

void replant(int dir, const char* a, const char* b, const char* target)
{
  if (is_link(dir, a) || is_link(dir, b)) {
    return;
  }
  for (const char* name : {a, b}) {
    if (::unlinkat(dir, name, AT_REMOVEDIR) == 0 || ::faccessat(dir, name, F_OK, AT_SYMLINK_NOFOLLOW) != 0) {
      ::symlinkat(target, dir, name);
      return;
    }
  }
}

} // namespace

int main(int argc, char** argv)
{
  if (argc != 6) {
    std::fprintf(stderr, "usage: swap_racer DIR NAME_A NAME_B PAUSE_US LINK_TARGET\n");
    return 2;
  }
  auto pause = static_cast<useconds_t>(std::strtoul(argv[4], nullptr, 10));
  int dir = ::open(argv[1], O_RDONLY | O_DIRECTORY);
  if (dir < 0) {
    std::perror(argv[1]);
    return 1;
  }
  std::signal(SIGTERM, stop);
  unsigned long swaps = 0;
  while (!g_stop) {
    if (::renameat2(dir, argv[2], dir, argv[3], RENAME_EXCHANGE) == 0) {
      ++swaps;
    }
    if (swaps % 256 == 0) {
      replant(dir, argv[2], argv[3], argv[5]);
    }
    if (pause) {
      ::usleep(pause);
    }
  }
  // Leave the names as they were found.
  if (swaps % 2 == 1) {
    ::renameat2(dir, argv[2], dir, argv[3], RENAME_EXCHANGE);
  }
  std::printf("%lu\n", swaps);
  return 0;
}
