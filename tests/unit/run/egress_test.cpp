// The proxy's log read back (a multiplexed stream the engine may cut or forge) and the summary
// line; the proxy variables; the egress flags' validation.

#include "run/egress.h"
#include "run/run_options.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>

namespace {

std::string decision(const std::string& host, int port, bool allowed)
{
  return R"({"time":"2026-12-01T00:00:00.000Z","method":"CONNECT","host":")" + host + R"(","port":)" + std::to_string(port)
         + R"(,"address":"","decision":")" + (allowed ? "allowed" : "denied") + R"(","reason":"r"})";
}

sandbox::run::RunOptions resolve(const sandbox::test::TempDir& dir, sandbox::run::RunFlags flags)
{
  flags.image = "img";
  sandbox::run::HostFacts host{dir.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  return sandbox::run::resolve_run_options(flags, host, {"0123456789ab", "2026-11-23T10:00:00Z", "host:1", "n"});
}

} // namespace

BOOST_AUTO_TEST_SUITE(egress)

BOOST_AUTO_TEST_CASE(decisions_are_counted_and_the_denied_named_most_frequent_first)
{
  std::string log = R"({"time":"2026-12-01T00:00:00.000Z","listening":"0.0.0.0:3128"})" "\n" + decision("a.test", 443, true) + "\n"
                    + decision("evil.example", 443, false) + "\n" + decision("b.test", 80, false) + "\n"
                    + decision("evil.example", 443, false) + "\n";
  // Frames split anywhere, and the proxy's stderr left out.
  std::string stream = sandbox::test::stream_frame(1, log.substr(0, 70)) + sandbox::test::stream_frame(2, "noise\n") + sandbox::test::stream_frame(1, log.substr(70));
  sandbox::run::EgressReport report = sandbox::run::read_egress_log(stream);
  BOOST_TEST(report.allowed == 1u);
  BOOST_TEST(report.denied == 3u);
  BOOST_TEST(report.lines.size() == 4u); // not the listening line
  BOOST_TEST(!report.truncated);
  BOOST_TEST(sandbox::run::egress_summary(report) == "egress: 1 allowed, 3 denied (evil.example:443 x2, b.test:80)");
}

BOOST_AUTO_TEST_CASE(a_forged_or_cut_log_is_bounded_and_said)
{
  // Not JSON, JSON that is not a decision, and a last line cut in its frame.
  std::string log = "garbage\n[1,2]\n" + decision("a.test", 443, true) + "\n" + decision("x", 1, false).substr(0, 20);
  std::string stream = sandbox::test::stream_frame(1, log);
  sandbox::run::EgressReport report = sandbox::run::read_egress_log(stream.substr(0, stream.size() - 3));
  BOOST_TEST(report.allowed == 1u);
  BOOST_TEST(report.denied == 0u);
  BOOST_TEST(report.truncated);
  BOOST_TEST(sandbox::run::egress_summary(report) == "egress: 1 allowed, 0 denied; the log was cut short");
  // An unknown stream type stops the reading there.
  BOOST_TEST(sandbox::run::read_egress_log(sandbox::test::stream_frame(9, "x\n")).truncated);
}

BOOST_AUTO_TEST_CASE(a_forged_line_cannot_carry_terminal_controls_into_the_log_file)
{
  // The proxy escapes what a sandbox asks for, but the engine (or a proxy the sandbox took over)
  // can send JSON escapes of its own: CSI as U+009B, a right-to-left override, DEL, ESC, a byte
  // that is not UTF-8, in values and in a key. The lines we write are as safe to cat as the summary.
  std::string forged = R"({"time":"t","method":"CONNECT","host":"a\u009b2Jb\u202ec\u007f\u001b]0;x","port":443,"decision":"denied",)"
                       "\"\\u009b\xff\":\"k\"}";
  std::string log = R"({"time":"2026-12-01T00:00:00.000Z","listening":"0.0.0.0:3128"})" "\n" + forged + "\n";
  sandbox::run::EgressReport report = sandbox::run::read_egress_log(sandbox::test::stream_frame(1, log));
  BOOST_TEST_REQUIRE(report.lines.size() == 1u);
  BOOST_TEST(report.lines[0]
             == R"({"time":"t","method":"CONNECT","host":"a\u009B2Jb\u202Ec\u007F\u001B]0;x","port":443,"decision":"denied","\u009B)" "\xef\xbf\xbd" R"(":"k"})");
}

BOOST_AUTO_TEST_CASE(a_log_without_its_first_line_was_cut_at_the_engines_cap)
{
  // The json-file driver's max-size with one file: once full, the log starts again, and the proxy's
  // listening line is gone with the lines a flood of refusals pushed out.
  std::string rest = decision("evil.example", 443, false) + "\n" + decision("a.test", 443, true) + "\n";
  sandbox::run::EgressReport report = sandbox::run::read_egress_log(sandbox::test::stream_frame(1, rest));
  BOOST_TEST(report.truncated);
  BOOST_TEST(sandbox::run::egress_summary(report) == "egress: 1 allowed, 1 denied (evil.example:443); the log was cut short");
  // A forged listening member further on does not stand for the first line.
  std::string forged = decision("a.test", 443, true) + "\n" + R"({"time":"x","listening":"0.0.0.0:3128"})" "\n";
  BOOST_TEST(sandbox::run::read_egress_log(sandbox::test::stream_frame(1, forged)).truncated);
}

BOOST_AUTO_TEST_CASE(more_than_three_denied_targets_are_elided)
{
  std::string log = R"({"time":"2026-12-01T00:00:00.000Z","listening":"172.18.0.2:3128"})" "\n";
  for (const char* host : {"a", "b", "c", "d"}) {
    log += decision(host, 443, false) + "\n";
  }
  BOOST_TEST(sandbox::run::egress_summary(sandbox::run::read_egress_log(sandbox::test::stream_frame(1, log)))
             == "egress: 0 allowed, 4 denied (a:443, b:443, c:443, ...)");
}

BOOST_AUTO_TEST_CASE(the_sandbox_gets_the_proxy_variables_in_both_cases)
{
  std::vector<std::string> env = sandbox::run::egress_environment();
  for (const char* var : {"HTTP_PROXY=http://docker-sandbox-egress:3128", "http_proxy=http://docker-sandbox-egress:3128",
                          "HTTPS_PROXY=http://docker-sandbox-egress:3128", "https_proxy=http://docker-sandbox-egress:3128",
                          "ALL_PROXY=socks5h://docker-sandbox-egress:3128", "all_proxy=socks5h://docker-sandbox-egress:3128",
                          "NO_PROXY=localhost,127.0.0.1,::1", "no_proxy=localhost,127.0.0.1,::1"}) {
    BOOST_TEST((std::find(env.begin(), env.end(), var) != env.end()), var);
  }
}

BOOST_AUTO_TEST_CASE(egress_flags_are_checked_together)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.allow_hosts = {"pypi.org"};
  sandbox::run::RunOptions options = resolve(dir, flags);
  BOOST_REQUIRE(options.egress);
  BOOST_TEST(options.network == "docker-sandbox-egress-0123456789ab");
  BOOST_TEST(options.egress->proxy_name == "docker-sandbox-egress-proxy-0123456789ab");
  BOOST_TEST(options.egress->egress_network == "bridge");
  BOOST_TEST(!resolve(dir, {}).egress);

  auto refused = [&](sandbox::run::RunFlags bad, const std::string& needle) {
    try {
      resolve(dir, bad);
      BOOST_ERROR("accepted: " << needle);
    } catch (const sandbox::UsageError& e) {
      BOOST_TEST(std::string(e.what()).find(needle) != std::string::npos, e.what());
    }
  };
  sandbox::run::RunFlags with_network = flags;
  with_network.network = "bridge";
  refused(with_network, "cannot be combined with --network bridge");
  sandbox::run::RunFlags with_port = flags;
  with_port.publish = {"8080:80"};
  refused(with_port, "cannot be combined with -p");
  sandbox::run::RunFlags bad_rule = flags;
  bad_rule.allow_hosts = {"exa mple.com"};
  refused(bad_rule, "exa mple.com");
  sandbox::run::RunFlags host_egress = flags;
  host_egress.egress_network = "host";
  refused(host_egress, "invalid --egress-network \"host\"");
  sandbox::run::RunFlags log_alone;
  log_alone.egress_log = "x.jsonl";
  refused(log_alone, "--egress-log needs --allow-host");
  sandbox::run::RunFlags log_nowhere = flags;
  log_nowhere.egress_log = "no/such/dir/x.jsonl";
  refused(log_nowhere, "is not a directory");
}

BOOST_AUTO_TEST_SUITE_END()
