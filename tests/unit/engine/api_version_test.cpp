// Engine API versions (reference §3.2): parsing, numeric comparison, the negotiation rule
// min(ours, the engine's) with the 1.24 default for a missing header, and pinned versions.

#include "engine/api_version.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

namespace {

using sandbox::engine::ApiVersion;

std::string negotiated(const std::optional<std::string>& header)
{
  return sandbox::engine::negotiate(header).str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_version)

BOOST_AUTO_TEST_CASE(parse_and_print)
{
  ApiVersion v = ApiVersion::parse("1.41");
  BOOST_TEST(v.major == 1);
  BOOST_TEST(v.minor == 41);
  BOOST_TEST(v.str() == "1.41");
  BOOST_TEST(ApiVersion::parse("v1.47").str() == "1.47");
  BOOST_TEST(ApiVersion::parse("2.0").str() == "2.0");
  BOOST_TEST(ApiVersion::parse("1.100").minor == 100);
}

BOOST_AUTO_TEST_CASE(parse_refuses_malformed_text)
{
  for (const char* text : {"", "1", "1.", ".41", "v", "v.", "1.41.0", "abc", "1.x", "x.41", " 1.41", "1.41 ", "1,41",
                           "1.-5", "-1.41", "+1.41", "1.99999"}) {
    BOOST_TEST_CONTEXT("text \"" << text << "\"")
    {
      std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { ApiVersion::parse(text); });
      BOOST_TEST(message == std::string("invalid API version \"") + text + "\": expected MAJOR.MINOR, e.g. 1.41");
    }
  }
}

BOOST_AUTO_TEST_CASE(comparison_is_numeric_per_component)
{
  BOOST_TEST((ApiVersion::parse("1.9") < ApiVersion::parse("1.10")));
  BOOST_TEST((ApiVersion::parse("1.41") < ApiVersion::parse("1.47")));
  BOOST_TEST((ApiVersion::parse("2.0") > ApiVersion::parse("1.99")));
  BOOST_TEST((ApiVersion::parse("v1.44") == ApiVersion::parse("1.44")));
  BOOST_TEST((ApiVersion::parse("1.44") != ApiVersion::parse("1.45")));
}

BOOST_AUTO_TEST_CASE(supported_range)
{
  BOOST_TEST(sandbox::engine::k_min_api_version.str() == "1.41");
  BOOST_TEST(sandbox::engine::k_max_api_version.str() == "1.47");
}

BOOST_AUTO_TEST_CASE(negotiate_takes_the_older_of_the_two)
{
  BOOST_TEST(negotiated("1.41") == "1.41"); // Docker 20.10
  BOOST_TEST(negotiated("1.43") == "1.43"); // Docker 24
  BOOST_TEST(negotiated("1.47") == "1.47");
  BOOST_TEST(negotiated("1.50") == "1.47"); // Docker 28.2
  BOOST_TEST(negotiated("1.100") == "1.47");
  BOOST_TEST(negotiated("2.0") == "1.47");
}

BOOST_AUTO_TEST_CASE(negotiate_missing_header_means_1_24_and_is_too_old)
{
  for (const std::optional<std::string>& header : {std::optional<std::string>(), std::optional<std::string>("")}) {
    try {
      sandbox::engine::negotiate(header);
      BOOST_ERROR("expected an Error");
    } catch (const sandbox::Error& e) {
      BOOST_TEST(std::string(e.what()).find("API 1.24") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(negotiate_refuses_an_engine_older_than_the_minimum)
{
  try {
    sandbox::engine::negotiate(std::string("1.40"));
    BOOST_ERROR("expected an Error");
  } catch (const sandbox::Error& e) {
    BOOST_TEST(std::string(e.what())
               == "the engine speaks API 1.40, older than 1.41, the oldest docker-sandbox supports");
    BOOST_TEST(e.hint() == "upgrade the engine to Docker 20.10 or newer");
  }
}

BOOST_AUTO_TEST_CASE(negotiate_reports_a_garbled_header_as_an_engine_problem)
{
  try {
    sandbox::engine::negotiate(std::string("banana"));
    BOOST_ERROR("expected an Error");
  } catch (const sandbox::Error& e) {
    // Not a UsageError: the user typed nothing wrong.
    BOOST_TEST(!dynamic_cast<const sandbox::UsageError*>(&e));
    BOOST_TEST(std::string(e.what()) == "the engine sent an invalid API version \"banana\"");
  }
}

BOOST_AUTO_TEST_CASE(check_pinned_accepts_the_supported_range)
{
  BOOST_TEST(sandbox::engine::check_pinned("1.41").str() == "1.41");
  BOOST_TEST(sandbox::engine::check_pinned("1.44").str() == "1.44");
  BOOST_TEST(sandbox::engine::check_pinned("v1.47").str() == "1.47");
}

BOOST_AUTO_TEST_CASE(check_pinned_refuses_versions_outside_the_range)
{
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([] { sandbox::engine::check_pinned("1.40"); })
             == "API version 1.40 is not supported: docker-sandbox speaks 1.41 to 1.47");
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([] { sandbox::engine::check_pinned("1.48"); })
             == "API version 1.48 is not supported: docker-sandbox speaks 1.41 to 1.47");
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([] { sandbox::engine::check_pinned("latest"); })
             == "invalid API version \"latest\": expected MAJOR.MINOR, e.g. 1.41");
}

BOOST_AUTO_TEST_CASE(clamp_pinned_speaks_the_newest_it_knows_for_a_newer_version)
{
  bool clamped = false;
  BOOST_TEST(sandbox::engine::clamp_pinned("1.99", clamped).str() == sandbox::engine::k_max_api_version.str());
  BOOST_TEST(clamped);
  BOOST_TEST(sandbox::engine::clamp_pinned("1.41", clamped).str() == "1.41");
  BOOST_TEST(!clamped);
  BOOST_CHECK_THROW(sandbox::engine::clamp_pinned("1.40", clamped), sandbox::UsageError);
  BOOST_CHECK_THROW(sandbox::engine::clamp_pinned("latest", clamped), sandbox::UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
