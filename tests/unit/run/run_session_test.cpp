// The pure part of a live run: docker run's mapping of start failures to exit codes and words.

#include "run/run_session.h"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(run_session)

BOOST_AUTO_TEST_CASE(map_like_docker_run)
{
  BOOST_TEST(sandbox::run::start_failure_exit_code(
               "OCI runtime create failed: exec: \"nope\": executable file not found in $PATH") == 127);
  BOOST_TEST(sandbox::run::start_failure_exit_code("exec: \"/x\": stat /x: no such file or directory") == 127);
  BOOST_TEST(sandbox::run::start_failure_exit_code("exec: \"/etc\": permission denied") == 126);
  BOOST_TEST(sandbox::run::start_failure_exit_code("invalid tmpfs option") == 125);
}

BOOST_AUTO_TEST_CASE(map_podman_and_crun_wordings)
{
  // Podman 4.3 with runc, then crun's capitalised errno text.
  BOOST_TEST(sandbox::run::start_failure_exit_code(
               "runc: runc create failed: unable to start container process: exec: \"/nonexistent\": stat /nonexistent: no such "
               "file or directory: OCI runtime attempted to invoke a command that was not found") == 127);
  BOOST_TEST(sandbox::run::start_failure_exit_code("crun: executable file `nope` not found in $PATH: No such file or directory: "
                                                   "OCI runtime attempted to invoke a command that was not found") == 127);
  BOOST_TEST(sandbox::run::start_failure_exit_code(
               "runc: runc create failed: unable to start container process: exec: \"/etc/passwd\": permission denied: OCI "
               "permission denied") == 126);
  BOOST_TEST(sandbox::run::start_failure_exit_code("crun: open executable: Permission denied: OCI permission denied") == 126);
}

BOOST_AUTO_TEST_CASE(start_failure_in_docker_runs_words)
{
  using sandbox::run::start_failure_line;
  BOOST_TEST(start_failure_line("failed to create shim task: OCI runtime create failed: runc create failed: unable to start "
                                "container process: exec: \"nosuch\": executable file not found in $PATH: unknown")
             == "exec: \"nosuch\": executable file not found in $PATH");
  BOOST_TEST(start_failure_line("runc: runc create failed: unable to start container process: exec: \"/etc/passwd\": "
                                "permission denied: OCI permission denied")
             == "exec: \"/etc/passwd\": permission denied");
  BOOST_TEST(start_failure_line("failed to create shim task: OCI runtime create failed: runc create failed: unable to start "
                                "container process: exec /w/private.sh: permission denied: unknown")
             == "exec /w/private.sh: permission denied");
  BOOST_TEST(start_failure_line("failed to create task for container: failed to create shim task: OCI runtime create failed: "
                                "runc create failed: unable to start container process: error during container init: "
                                "exec: \"/w/private.sh\": permission denied: unknown")
             == "exec: \"/w/private.sh\": permission denied");
  BOOST_TEST(start_failure_line("unable to start container process: error during container init: executable x")
             == "run: cannot start the command: unable to start container process: error during container init: executable x");
  BOOST_TEST(start_failure_line("unable to start container process: error during container init: x")
             == "run: cannot start the command: unable to start container process: error during container init: x");
  BOOST_TEST(start_failure_line("crun: open executable: Permission denied: OCI permission denied")
             == "run: cannot start the command: crun: open executable: Permission denied: OCI permission denied");
}

BOOST_AUTO_TEST_SUITE_END()
