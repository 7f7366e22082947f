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

BOOST_AUTO_TEST_SUITE_END()
