// The egress log's JSON lines, whatever a client put in the host.

#include "egress/egress_log.h"
#include "util/json.h"

#include <boost/test/unit_test.hpp>

#include <string>

using sandbox::egress::LogEntry;
using namespace std::string_literals;

namespace {

std::chrono::system_clock::time_point at_ms(long long ms)
{
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

} // namespace

BOOST_AUTO_TEST_SUITE(egress_log)

BOOST_AUTO_TEST_CASE(times_are_rfc3339_utc)
{
  BOOST_TEST(sandbox::egress::rfc3339_utc(at_ms(0)) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(sandbox::egress::rfc3339_utc(at_ms(1796098339123)) == "2026-12-01T04:12:19.123Z");
}

BOOST_AUTO_TEST_CASE(one_line_with_every_field)
{
  LogEntry entry;
  entry.time = at_ms(1796098339123);
  entry.method = "CONNECT";
  entry.host = "pypi.org";
  entry.port = 443;
  entry.address = "151.101.0.223";
  entry.allowed = true;
  entry.reason = "allowed by pypi.org";
  entry.bytes_up = 1234;
  entry.bytes_down = 5678901234;
  entry.duration_ms = 250;
  BOOST_TEST(sandbox::egress::log_line(entry) ==
             R"({"time":"2026-12-01T04:12:19.123Z","method":"CONNECT","host":"pypi.org","port":443,)"
             R"("address":"151.101.0.223","decision":"allowed","reason":"allowed by pypi.org","bytes_up":1234,)"
             R"("bytes_down":5678901234,"duration_ms":250})"
             "\n");
}

BOOST_AUTO_TEST_CASE(hostile_strings_stay_on_one_valid_line)
{
  LogEntry entry;
  entry.host = "evil\"},\n{\"decision\":\"allowed\x1b[2J\xff\xfe\0\\"s;
  entry.reason = "no rule allows \u202eevil";
  std::string line = sandbox::egress::log_line(entry);
  BOOST_TEST(line.find('\n') == line.size() - 1);
  BOOST_TEST(line.find('\x1b') == std::string::npos);
  sandbox::json::Value parsed = sandbox::json::parse(line);
  BOOST_TEST(parsed["decision"].as_string() == "denied");
  BOOST_TEST(parsed["host"].as_string() == "evil\"},\\n{\"decision\":\"allowed\\x1b[2J\\xff\\xfe\\x00\\");
  BOOST_TEST(parsed["reason"].as_string() == "no rule allows \\u202eevil");
}

BOOST_AUTO_TEST_CASE(the_listening_line)
{
  BOOST_TEST(sandbox::egress::listening_line(at_ms(0), "0.0.0.0:3128") ==
             "{\"time\":\"1970-01-01T00:00:00.000Z\",\"listening\":\"0.0.0.0:3128\"}\n");
}

BOOST_AUTO_TEST_SUITE_END()
