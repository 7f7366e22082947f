// Sizes and durations as flags take them.

#include "util/error.h"
#include "util/units.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(units)

BOOST_AUTO_TEST_CASE(sizes)
{
  BOOST_TEST(sandbox::parse_size("512m", "x") == 512LL * 1024 * 1024);
  BOOST_TEST(sandbox::parse_size("2G", "x") == 2LL * 1024 * 1024 * 1024);
  BOOST_TEST(sandbox::parse_size("1.5k", "x") == 1536);
  BOOST_TEST(sandbox::parse_size("64kb", "x") == 65536);
  BOOST_TEST(sandbox::parse_size("100", "x") == 100);
  for (const char* bad : {"", "m", "0", "1x", "-1m", "1..2m", "99999999999t"}) {
    BOOST_CHECK_THROW(sandbox::parse_size(bad, "--memory"), sandbox::UsageError);
  }
  BOOST_TEST(sandbox::format_size(2LL * 1024 * 1024 * 1024) == "2g");
  BOOST_TEST(sandbox::format_size(1536) == "1536");
}

BOOST_AUTO_TEST_CASE(durations)
{
  using std::chrono::milliseconds;
  BOOST_TEST(sandbox::parse_duration("30s", "x").count() == 30000);
  BOOST_TEST(sandbox::parse_duration("1h30m", "x").count() == 5400000);
  BOOST_TEST(sandbox::parse_duration("250ms", "x").count() == 250);
  BOOST_TEST(sandbox::parse_duration("1.5m", "x").count() == 90000);
  for (const char* bad : {"", "5", "s", "5d", "-1s", "0s", "1s5"}) {
    BOOST_CHECK_THROW(sandbox::parse_duration(bad, "--timeout"), sandbox::UsageError);
  }
  BOOST_TEST(sandbox::format_duration(milliseconds(5400000)) == "1h30m");
  BOOST_TEST(sandbox::format_duration(milliseconds(1500)) == "1500ms");
}

BOOST_AUTO_TEST_SUITE_END()
