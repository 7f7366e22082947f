// The pure part of a live run: docker run's mapping of start failures to exit codes.

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

BOOST_AUTO_TEST_CASE(catatonit_failing_to_run_the_command_is_127_or_126)
{
  using sandbox::run::init_exec_failure_code;
  BOOST_TEST((init_exec_failure_code("ERROR (catatonit:6): failed to exec pid1: No such file or directory\n") == 127));
  BOOST_TEST((init_exec_failure_code("ERROR (catatonit:6): failed to exec pid1: Permission denied\n") == 126));
  BOOST_TEST((init_exec_failure_code("ERROR (catatonit:12): failed to exec pid1: Exec format error") == 126));
  BOOST_TEST(!init_exec_failure_code("make: *** [all] Error 1\n"));
  BOOST_TEST(!init_exec_failure_code("hello\nERROR (catatonit:6): failed to exec pid1: No such file or directory\n"));
  BOOST_TEST(!init_exec_failure_code(""));
}

BOOST_AUTO_TEST_SUITE_END()
