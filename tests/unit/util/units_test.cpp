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

BOOST_AUTO_TEST_CASE(rfc3339_times_as_the_engine_writes_them)
{
  using sandbox::parse_rfc3339_ns;
  BOOST_TEST(parse_rfc3339_ns("1970-01-01T00:01:40Z").value_or(-1) == 100000000000LL);
  BOOST_TEST(parse_rfc3339_ns("1970-01-01T00:01:40.5Z").value_or(-1) == 100500000000LL);
  BOOST_TEST(parse_rfc3339_ns("1970-01-01T00:01:40.123456789123Z").value_or(-1) == 100123456789LL);
  BOOST_TEST(parse_rfc3339_ns("1970-01-01T01:01:40.000000001+01:00").value_or(-1) == 100000000001LL);
  BOOST_TEST(parse_rfc3339_ns("1969-12-31T23:01:40-01:00").value_or(-1) == 100000000000LL);
  BOOST_TEST(parse_rfc3339_ns("1970-01-01T00:01:40").value_or(-1) == 100000000000LL);
  for (const char* bad : {"garbage", "1970-01-01T00:01:40Zjunk", "1970-01-01T00:01:40+01:00junk", "1970-01-01T00:01:40+-1:00",
                          "1970-01-01T00:01:40.Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
    BOOST_TEST(!parse_rfc3339_ns(bad).has_value(), bad);
  }
  BOOST_TEST(sandbox::parse_rfc3339_seconds("0001-01-01T00:00:00Z").has_value()); // seconds reach further
}

BOOST_AUTO_TEST_SUITE_END()
