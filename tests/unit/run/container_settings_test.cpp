// docker run's settings that change nothing of the sandbox's walls: --ulimit, --hostname,
// --platform.

#include "run/container_settings.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

using sandbox::run::parse_ulimit;
using sandbox::test::message_of;

BOOST_AUTO_TEST_SUITE(container_settings)

BOOST_AUTO_TEST_CASE(ulimits_as_docker_spells_them)
{
  sandbox::run::Ulimit both = parse_ulimit("nofile=1024:2048");
  BOOST_TEST(both.name == "nofile");
  BOOST_TEST(both.soft == 1024);
  BOOST_TEST(both.hard == 2048);
  sandbox::run::Ulimit one = parse_ulimit("core=0");
  BOOST_TEST(one.soft == 0);
  BOOST_TEST(one.hard == 0);
  sandbox::run::Ulimit unlimited = parse_ulimit("memlock=-1:-1");
  BOOST_TEST(unlimited.soft == -1);
  BOOST_TEST(parse_ulimit("stack=8192:-1").hard == -1);
}

BOOST_AUTO_TEST_CASE(bad_ulimits_are_named)
{
  for (const char* raising : {"rtprio=99", "nice=40"}) {
    BOOST_TEST(message_of<sandbox::UsageError>([&] { parse_ulimit(raising); }).find("raise its own scheduling priority")
               != std::string::npos);
  }
  for (const char* bad : {"nofile", "nofiles=1", "nofile=", "nofile=x", "nofile=1:", "nofile=-2", "nofile=2:1",
                          "nofile=-1:5", "=1"}) {
    BOOST_TEST(message_of<sandbox::UsageError>([&] { parse_ulimit(bad); }).find("invalid --ulimit \"" + std::string(bad))
               == 0u, bad);
  }
}

BOOST_AUTO_TEST_CASE(hostnames_and_platforms)
{
  sandbox::run::check_hostname("box-1.example");
  sandbox::run::check_platform("linux");
  sandbox::run::check_platform("linux/arm64/v8");
  for (const char* bad : {"", "-x", ".x", "a b", "a_b", "x\n"}) {
    BOOST_CHECK_THROW(sandbox::run::check_hostname(bad), sandbox::UsageError);
  }
  BOOST_CHECK_THROW(sandbox::run::check_hostname(std::string(64, 'a')), sandbox::UsageError);
  for (const char* bad : {"", "/linux", "linux/", "linux//amd64", "a/b/c/d", "linux/amd 64", "linux?x=1"}) {
    BOOST_CHECK_THROW(sandbox::run::check_platform(bad), sandbox::UsageError);
  }
}

BOOST_AUTO_TEST_SUITE_END()
