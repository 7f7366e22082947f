// Whether an owner label's plugin process is still alive.

#include "managed/owner.h"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <string>
#include <sys/prctl.h>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

BOOST_AUTO_TEST_SUITE(owner)

BOOST_AUTO_TEST_CASE(owner_check_is_conservative)
{
  // Processes of the test's own, so that nothing depends on the host's pid 1 or pid_max.
  auto spawn = [](const char* comm, bool exit_at_once) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_NAME, comm);
      if (!exit_at_once) {
        ::pause();
      }
      ::_exit(0);
    }
    // The child names itself after fork: wait until it has (a loaded machine runs the parent first).
    for (int i = 0; !exit_at_once && i < 2000; ++i) {
      std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
      std::string name;
      if (std::getline(in, name) && name == comm) {
        break;
      }
      ::usleep(1000);
    }
    return pid;
  };
  auto owner = [](pid_t pid) { return "this-host:" + std::to_string(pid); };
  pid_t plugin = spawn("docker-sandbox-", false);
  pid_t other = spawn("not-ours", false);
  pid_t zombie = spawn("docker-sandbox-", true);
  pid_t gone = spawn("docker-sandbox-", true);
  ::waitpid(gone, nullptr, 0);
  siginfo_t info{};
  ::waitid(P_PID, static_cast<id_t>(zombie), &info, WEXITED | WNOWAIT); // exited, not reaped: a zombie

  auto alive = sandbox::managed::local_owner_check("this-host");
  BOOST_TEST(alive("other-host:1"));   // another host: never assume gone
  BOOST_TEST(alive(""));               // no owner label
  BOOST_TEST(alive(owner(plugin)));    // a live docker-sandbox process
  BOOST_TEST(!alive(owner(other)));    // alive, but the pid now belongs to something else
  BOOST_TEST(!alive(owner(zombie)));   // exited, not yet reaped
  BOOST_TEST(!alive(owner(gone)));     // no such process

  for (pid_t pid : {plugin, other}) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  ::waitpid(zombie, nullptr, 0);
}

BOOST_AUTO_TEST_SUITE_END()
