// docker-sandbox-init DEADLINE IDLE -- COMMAND [ARG...]: PID 1 of a sandbox that outlives the
// plugin (`run -d`, `create`). A detached sandbox must end even when no plugin ever runs again, and
// nothing of ours runs beside the engine, so the sandbox carries its own end: this program runs
// COMMAND as its child, forwards the signals it receives to it, reaps every orphan, exits with its
// status, and ends the sandbox at DEADLINE (unix seconds; 0: never) or once it was idle for IDLE
// seconds (0: never). Idle means no exec'd process alive and no touch (signal 37, SIGRTMIN+3,
// which the plugin sends through the engine on exec; one sent from inside the sandbox is not
// counted) for that long. Ending is SIGTERM to every process, a grace period, then its own exit,
// upon which the kernel kills what is left.
//
// The sandbox's processes run as the same user as this one: it makes itself non-dumpable, so that
// they can neither trace it nor write its memory (its deadline). A signal they send it is forwarded
// (SIGKILL and SIGSTOP never reach a namespace's init from inside); they can end the sandbox
// early, never late: nothing it does with the terminal can block this program's writes (they are
// non-blocking, and come after the SIGTERM). The plugin removes an expired sandbox anyway,
// whatever this program did.
//
// Linked static, with no C++ library at run time: it runs from a volume in any image.

#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace {

constexpr int k_touch_signal = 37; // SIGRTMIN+3 in glibc; the plugin sends it by number
constexpr long k_grace_seconds = 10; // as `docker stop`
constexpr int k_usage_exit = 125;

void say(const char* what)
{
  std::fprintf(stderr, "docker-sandbox-init: %s\n", what);
}

bool parse_seconds(const char* text, long& out)
{
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 0) {
    return false;
  }
  out = value;
  return true;
}

long seconds_now(clockid_t clock)
{
  timespec now{};
  clock_gettime(clock, &now);
  return now.tv_sec;
}

// A process of an exec: its parent is outside the namespace, so it reads as 0.
bool exec_alive()
{
  DIR* proc = opendir("/proc");
  if (proc == nullptr) {
    return false;
  }
  bool alive = false;
  while (dirent* entry = readdir(proc)) {
    long pid = 0;
    if (!parse_seconds(entry->d_name, pid) || pid <= 1) {
      continue;
    }
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE* status = std::fopen(path, "r");
    if (status == nullptr) {
      continue;
    }
    char line[256];
    while (std::fgets(line, sizeof line, status) != nullptr) {
      if (std::strncmp(line, "PPid:", 5) == 0) {
        alive = alive || std::strtol(line + 5, nullptr, 10) == 0;
        break;
      }
    }
    std::fclose(status);
  }
  closedir(proc);
  return alive;
}

int exit_code(int status)
{
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}

[[noreturn]] void run_child(char** argv, const sigset_t& original)
{
  setpgid(0, 0);
  if (isatty(STDIN_FILENO)) {
    // The terminal's signals (^C) go to the command's group alone, not to this init as well.
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(STDIN_FILENO, getpid());
    signal(SIGTTOU, SIG_DFL);
  }
  sigprocmask(SIG_SETMASK, &original, nullptr);
  execvp(argv[0], argv);
  int error = errno;
  std::fprintf(stderr, "docker-sandbox-init: cannot run %s: %s\n", argv[0], std::strerror(error));
  _exit(error == ENOENT ? 127 : 126);
}

// Reaps every exited child; true once `child` is among them, its status in `status`.
bool reap(pid_t child, int& status)
{
  bool ended = false;
  int reaped = 0;
  pid_t pid = 0;
  while ((pid = waitpid(-1, &reaped, WNOHANG)) > 0) {
    if (pid == child) {
      status = reaped;
      ended = true;
    }
  }
  return ended;
}

// SIGTERM to every process of the namespace (only the command's group when this is not its init:
// a test), then the grace period; the exit status is the command's when it ended within it, else
// that of a SIGKILL.
[[noreturn]] void end_sandbox(const char* why, pid_t child, const sigset_t& all)
{
  kill(getpid() == 1 ? -1 : -child, SIGTERM);
  // A terminal the sandbox stopped (tcflow TCOOFF) would hold a blocking write forever.
  fcntl(STDERR_FILENO, F_SETFL, fcntl(STDERR_FILENO, F_GETFL) | O_NONBLOCK);
  say(why);
  long until = seconds_now(CLOCK_MONOTONIC) + k_grace_seconds;
  int status = 0;
  bool ended = false;
  while (!ended && seconds_now(CLOCK_MONOTONIC) < until) {
    timespec wait{1, 0};
    sigtimedwait(&all, nullptr, &wait);
    ended = reap(child, status);
  }
  std::exit(ended ? exit_code(status) : 128 + SIGKILL);
}

} // namespace

int main(int argc, char** argv)
{
  long deadline = 0;
  long idle = 0;
  if (argc < 4 || !parse_seconds(argv[1], deadline) || !parse_seconds(argv[2], idle) || std::strcmp(argv[3], "--") != 0) {
    say("usage: docker-sandbox-init DEADLINE IDLE -- COMMAND [ARG...]");
    return k_usage_exit;
  }
  if (argc == 4) {
    say("no command: the image names none, and none was given");
    return k_usage_exit;
  }
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  sigset_t all;
  sigset_t original;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &original);
  pid_t child = fork();
  if (child < 0) {
    say("cannot start the command: fork failed");
    return k_usage_exit;
  }
  if (child == 0) {
    run_child(argv + 4, original);
  }

  long last_activity = seconds_now(CLOCK_MONOTONIC);
  int status = 0;
  for (;;) {
    timespec wait{1, 0};
    siginfo_t info{};
    int signal_number = sigtimedwait(&all, &info, &wait);
    if (signal_number == SIGCHLD) {
      if (reap(child, status)) {
        return exit_code(status);
      }
    } else if (signal_number == k_touch_signal) {
      // From the engine, outside this pid namespace, the sender reads as pid 0; the sandbox's own
      // processes cannot keep it alive so.
      if (info.si_code == SI_USER && info.si_pid == 0) {
        last_activity = seconds_now(CLOCK_MONOTONIC);
      }
    } else if (signal_number > 0) {
      kill(child, signal_number);
    }
    if (deadline > 0 && seconds_now(CLOCK_REALTIME) >= deadline) {
      end_sandbox("this sandbox's time to live ended: stopping it", child, all);
    }
    if (idle > 0 && seconds_now(CLOCK_MONOTONIC) - last_activity >= idle) {
      if (exec_alive()) {
        last_activity = seconds_now(CLOCK_MONOTONIC);
      } else {
        end_sandbox("this sandbox was idle for its --idle-timeout: stopping it", child, all);
      }
    }
  }
}
