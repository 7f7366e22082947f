// The docker CLI's global flags as the plugin sees them in argv (reference §1.6): every pflag
// spelling, the checks the CLI itself makes, and where parsing stops.

#include "engine/global_options.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {

using Args = std::vector<std::string>;

sandbox::engine::ParsedGlobals parse(const Args& args)
{
  return sandbox::engine::parse_global_flags(args);
}

std::string usage_error(const Args& args)
{
  return sandbox::test::message_of<sandbox::UsageError>([&] { parse(args); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(global_options)

BOOST_AUTO_TEST_CASE(no_flags_leave_everything_unset)
{
  sandbox::engine::ParsedGlobals parsed = parse({"sandbox", "run"});
  const sandbox::engine::GlobalOptions& o = parsed.options;
  BOOST_TEST(parsed.next == 0u);
  BOOST_TEST(sandbox::test::shown(o.config_dir) == "<unset>");
  BOOST_TEST(sandbox::test::shown(o.context) == "<unset>");
  BOOST_TEST(sandbox::test::shown(o.host) == "<unset>");
  BOOST_TEST(sandbox::test::shown(o.log_level) == "<unset>");
  BOOST_TEST(sandbox::test::shown(o.tls) == "<unset>");
  BOOST_TEST(sandbox::test::shown(o.tls_verify) == "<unset>");
  BOOST_TEST(!o.debug);
  BOOST_TEST(!o.help);
  BOOST_TEST(!o.version);
  BOOST_TEST(o.verbatim.empty());
}

BOOST_AUTO_TEST_CASE(empty_argv_is_fine)
{
  sandbox::engine::ParsedGlobals parsed = parse({});
  BOOST_TEST(parsed.next == 0u);
  BOOST_TEST(parsed.options.verbatim.empty());
}

BOOST_AUTO_TEST_CASE(host_in_every_spelling)
{
  const std::vector<Args> spellings = {
    {"-H", "tcp://h:1"}, {"-H=tcp://h:1"}, {"-Htcp://h:1"}, {"--host=tcp://h:1"}, {"--host", "tcp://h:1"},
  };
  for (const Args& flags : spellings) {
    BOOST_TEST_CONTEXT("flags " << flags.front())
    {
      Args args = flags;
      args.push_back("sandbox");
      args.push_back("version");
      sandbox::engine::ParsedGlobals parsed = parse(args);
      BOOST_TEST(sandbox::test::shown(parsed.options.host) == "tcp://h:1");
      BOOST_TEST(parsed.next == flags.size());
      BOOST_TEST(args[parsed.next] == "sandbox");
      BOOST_TEST(parsed.options.verbatim == flags);
    }
  }
}

BOOST_AUTO_TEST_CASE(host_value_may_contain_an_equals_sign)
{
  BOOST_TEST(sandbox::test::shown(parse({"-H=ssh://a@b?x=y"}).options.host) == "ssh://a@b?x=y");
  BOOST_TEST(sandbox::test::shown(parse({"--host=ssh://a@b?x=y"}).options.host) == "ssh://a@b?x=y");
}

BOOST_AUTO_TEST_CASE(context_in_every_spelling)
{
  const std::vector<Args> spellings = {{"-c", "ctx"}, {"--context", "ctx"}, {"--context=ctx"}, {"-cctx"}, {"-c=ctx"}};
  for (const Args& flags : spellings) {
    BOOST_TEST_CONTEXT("flags " << flags.front())
    {
      Args args = flags;
      args.push_back("sandbox");
      sandbox::engine::ParsedGlobals parsed = parse(args);
      BOOST_TEST(sandbox::test::shown(parsed.options.context) == "ctx");
      BOOST_TEST(parsed.next == flags.size());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_repeated_context_keeps_the_last)
{
  BOOST_TEST(sandbox::test::shown(parse({"-c", "a", "--context", "b"}).options.context) == "b");
}

BOOST_AUTO_TEST_CASE(config_dir_both_spellings)
{
  BOOST_TEST(sandbox::test::shown(parse({"--config", "/cfg", "sandbox"}).options.config_dir) == "/cfg");
  BOOST_TEST(sandbox::test::shown(parse({"--config=/cfg", "sandbox"}).options.config_dir) == "/cfg");
}

BOOST_AUTO_TEST_CASE(debug_flag_and_explicit_values)
{
  BOOST_TEST(parse({"-D"}).options.debug);
  BOOST_TEST(parse({"--debug"}).options.debug);
  BOOST_TEST(parse({"--debug=true"}).options.debug);
  BOOST_TEST(!parse({"--debug=false"}).options.debug);
  BOOST_TEST(!parse({"-D=false"}).options.debug);
  BOOST_TEST(!parse({"-D", "--debug=0"}).options.debug);
}

BOOST_AUTO_TEST_CASE(log_level_in_every_spelling)
{
  const std::vector<Args> spellings = {
    {"--log-level", "warn"}, {"-l", "warn"}, {"--log-level=warn"}, {"-l=warn"}, {"-lwarn"}};
  for (const Args& flags : spellings) {
    BOOST_TEST_CONTEXT("flags " << flags.front())
    {
      Args args = flags;
      args.push_back("sandbox");
      sandbox::engine::ParsedGlobals parsed = parse(args);
      BOOST_TEST(sandbox::test::shown(parsed.options.log_level) == "warn");
      BOOST_TEST(parsed.next == flags.size());
    }
  }
}

BOOST_AUTO_TEST_CASE(every_level_the_cli_accepts_is_accepted)
{
  for (const char* level : {"debug", "info", "warn", "warning", "error", "fatal", "panic", "trace"}) {
    BOOST_TEST_CONTEXT("level " << level)
    {
      BOOST_TEST(sandbox::test::shown(parse({"-l", level}).options.log_level) == level);
    }
  }
}

BOOST_AUTO_TEST_CASE(log_level_ignores_case_like_the_cli)
{
  // The CLI validates with logrus.ParseLevel, which lower-cases its input, so `-l DEBUG` reaches
  // the plugin; it must mean debug here too.
  BOOST_TEST(sandbox::test::shown(parse({"-l", "DEBUG"}).options.log_level) == "debug");
  BOOST_TEST(sandbox::test::shown(parse({"--log-level=Warn"}).options.log_level) == "warn");
  BOOST_TEST(sandbox::test::shown(parse({"-D", "-l", "Trace", "sandbox"}).options.log_level) == "trace");
}

BOOST_AUTO_TEST_CASE(empty_log_level_means_the_default)
{
  BOOST_TEST(sandbox::test::shown(parse({"--log-level="}).options.log_level) == "");
}

BOOST_AUTO_TEST_CASE(bad_log_level_is_refused_like_the_cli)
{
  BOOST_TEST(usage_error({"--log-level", "bogus", "sandbox"}) == "Unable to parse logging level: bogus");
  BOOST_TEST(usage_error({"-l=verbose"}) == "Unable to parse logging level: verbose");
  BOOST_TEST(usage_error({"-l", "LOUD"}) == "Unable to parse logging level: LOUD");
}

BOOST_AUTO_TEST_CASE(tls_flags)
{
  sandbox::engine::ParsedGlobals parsed = parse({"--tls", "--tlsverify", "--tlscacert", "/x/ca.pem", "--tlscert=/x/c.pem",
                                                 "--tlskey", "/x/k.pem", "sandbox", "e"});
  const sandbox::engine::GlobalOptions& o = parsed.options;
  BOOST_TEST(sandbox::test::shown(o.tls) == "true");
  BOOST_TEST(sandbox::test::shown(o.tls_verify) == "true");
  BOOST_TEST(sandbox::test::shown(o.tls_ca_cert) == "/x/ca.pem");
  BOOST_TEST(sandbox::test::shown(o.tls_cert) == "/x/c.pem");
  BOOST_TEST(sandbox::test::shown(o.tls_key) == "/x/k.pem");
  BOOST_TEST(parsed.next == 7u);
}

BOOST_AUTO_TEST_CASE(boolean_flags_take_a_value_only_after_an_equals_sign)
{
  sandbox::engine::ParsedGlobals parsed = parse({"--tls=false", "--tlsverify=0", "sandbox"});
  BOOST_TEST(sandbox::test::shown(parsed.options.tls) == "false");
  BOOST_TEST(sandbox::test::shown(parsed.options.tls_verify) == "false");
  BOOST_TEST(parsed.next == 2u);

  // `--tls false`: "false" is not the flag's value but the first non-flag word.
  sandbox::engine::ParsedGlobals spaced = parse({"--tls", "false"});
  BOOST_TEST(sandbox::test::shown(spaced.options.tls) == "true");
  BOOST_TEST(spaced.next == 1u);

  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    BOOST_TEST(sandbox::test::shown(parse({std::string("--tls=") + yes}).options.tls) == "true");
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    BOOST_TEST(sandbox::test::shown(parse({std::string("--tls=") + no}).options.tls) == "false");
  }
}

BOOST_AUTO_TEST_CASE(invalid_boolean_value_is_refused)
{
  BOOST_TEST(usage_error({"--tls=maybe"}) == "invalid argument \"maybe\" for \"--tls\" flag: not a boolean");
  BOOST_TEST(usage_error({"--debug="}).find("not a boolean") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(root_only_help_and_version)
{
  BOOST_TEST(parse({"-h"}).options.help);
  BOOST_TEST(parse({"--help"}).options.help);
  BOOST_TEST(parse({"-v"}).options.version);
  BOOST_TEST(parse({"--version"}).options.version);
  BOOST_TEST(!parse({"-v"}).options.help);
}

BOOST_AUTO_TEST_CASE(second_host_is_refused)
{
  BOOST_TEST(usage_error({"-H", "unix:///a.sock", "-H", "unix:///b.sock", "sandbox"}) == "Specify only one -H");
  BOOST_TEST(usage_error({"-Hunix:///a.sock", "--host=tcp://b:1"}) == "Specify only one -H");
}

BOOST_AUTO_TEST_CASE(host_with_context_conflicts_in_either_order)
{
  const std::string expected = "conflicting options: cannot specify both --host and --context";
  BOOST_TEST(usage_error({"-H", "tcp://h:1", "--context", "ctx", "sandbox"}) == expected);
  BOOST_TEST(usage_error({"-c", "ctx", "--host=tcp://h:1", "sandbox"}) == expected);
}

BOOST_AUTO_TEST_CASE(unknown_flags_are_refused)
{
  BOOST_TEST(usage_error({"--nope", "sandbox"}) == "unknown flag: --nope");
  BOOST_TEST(usage_error({"--nope=1", "sandbox"}) == "unknown flag: --nope");
  BOOST_TEST(usage_error({"-x", "sandbox"}) == "unknown shorthand flag: 'x' in -x");
  BOOST_TEST(usage_error({"-Dx", "sandbox"}) == "unknown shorthand flag: 'x' in -Dx");
}

BOOST_AUTO_TEST_CASE(a_flag_without_its_value_is_refused)
{
  BOOST_TEST(usage_error({"--config"}) == "flag needs an argument: --config");
  BOOST_TEST(usage_error({"-H"}) == "flag needs an argument: 'H' in -H");
  BOOST_TEST(usage_error({"-Dl"}) == "flag needs an argument: 'l' in -l");
}

BOOST_AUTO_TEST_CASE(parsing_stops_at_the_first_non_flag_word)
{
  sandbox::engine::ParsedGlobals parsed = parse({"-D", "sandbox", "run", "-H", "tcp://h:1", "--nope"});
  BOOST_TEST(parsed.next == 1u);
  BOOST_TEST(parsed.options.debug);
  BOOST_TEST(sandbox::test::shown(parsed.options.host) == "<unset>");
  BOOST_TEST(parsed.options.verbatim == Args{"-D"});
}

BOOST_AUTO_TEST_CASE(plugin_name_first_means_no_globals)
{
  sandbox::engine::ParsedGlobals parsed = parse({"sandbox", "--help"});
  BOOST_TEST(parsed.next == 0u);
  BOOST_TEST(!parsed.options.help);
}

BOOST_AUTO_TEST_CASE(a_lone_dash_is_a_word)
{
  sandbox::engine::ParsedGlobals parsed = parse({"-D", "-", "x"});
  BOOST_TEST(parsed.next == 1u);
}

BOOST_AUTO_TEST_CASE(double_dash_ends_the_flags)
{
  sandbox::engine::ParsedGlobals parsed = parse({"-D", "--", "-H", "x"});
  BOOST_TEST(parsed.next == 2u);
  BOOST_TEST(sandbox::test::shown(parsed.options.host) == "<unset>");
  BOOST_TEST((parsed.options.verbatim == Args{"-D", "--"}));
}

BOOST_AUTO_TEST_CASE(a_value_flag_takes_the_next_word_even_when_it_looks_like_a_flag)
{
  sandbox::engine::ParsedGlobals parsed = parse({"--config", "-D", "sandbox"});
  BOOST_TEST(sandbox::test::shown(parsed.options.config_dir) == "-D");
  BOOST_TEST(!parsed.options.debug);
  BOOST_TEST(parsed.next == 2u);
}

BOOST_AUTO_TEST_CASE(shorthand_clusters)
{
  sandbox::engine::ParsedGlobals dl = parse({"-Dl", "debug", "sandbox"});
  BOOST_TEST(dl.options.debug);
  BOOST_TEST(sandbox::test::shown(dl.options.log_level) == "debug");
  BOOST_TEST(dl.next == 2u);
  BOOST_TEST((dl.options.verbatim == Args{"-Dl", "debug"}));

  sandbox::engine::ParsedGlobals dh = parse({"-DHunix:///x.sock", "sandbox"});
  BOOST_TEST(dh.options.debug);
  BOOST_TEST(sandbox::test::shown(dh.options.host) == "unix:///x.sock");
  BOOST_TEST(dh.next == 1u);

  sandbox::engine::ParsedGlobals dc = parse({"-Dc", "ctx", "sandbox"});
  BOOST_TEST(dc.options.debug);
  BOOST_TEST(sandbox::test::shown(dc.options.context) == "ctx");
  BOOST_TEST(dc.next == 2u);

  // A value shorthand swallows the rest of the cluster: -lD is log level "D".
  BOOST_TEST(usage_error({"-lD"}) == "Unable to parse logging level: D");
}

BOOST_AUTO_TEST_CASE(verbatim_keeps_the_original_spelling)
{
  // An argv observed from the docker CLI (reference §1.5).
  const Args args = {"-D", "--log-level", "warn", "-H", "unix:///var/run/docker.sock", "probe", "a"};
  sandbox::engine::ParsedGlobals parsed = parse(args);
  BOOST_TEST(parsed.next == 5u);
  BOOST_TEST((parsed.options.verbatim == Args(args.begin(), args.begin() + 5)));
  BOOST_TEST(parsed.options.debug);
  BOOST_TEST(sandbox::test::shown(parsed.options.log_level) == "warn");
  BOOST_TEST(sandbox::test::shown(parsed.options.host) == "unix:///var/run/docker.sock");
}

BOOST_AUTO_TEST_SUITE_END()
