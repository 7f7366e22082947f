// docker's (pflag's) command-line grammar, rewritten for cxxopts.

#include "pflag_args.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

namespace {

using sandbox::cli::Args;


cxxopts::Options example()
{
  cxxopts::Options options("run");
  options.add_options()
    ("i,interactive", "")
    ("t,tty", "")
    ("e,env", "", cxxopts::value<std::vector<std::string>>())
    ("network,net", "", cxxopts::value<std::string>())
    ("dry-run", "", cxxopts::value<std::string>()->implicit_value("text"));
  return options;
}

Args flags_of(const Args& args, bool stop = true)
{
  return sandbox::cli::pflag_args(example(), args, stop).first;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pflag_args)

BOOST_AUTO_TEST_CASE(combined_short_flags_take_their_value_as_pflag_does)
{
  BOOST_TEST(flags_of({"-ie", "K=V", "img"}) == (Args{"--env", "K=V", "--interactive"}));
  BOOST_TEST(flags_of({"-e=K=V", "img"}) == (Args{"--env", "K=V"}));
  BOOST_TEST(flags_of({"-eK=V", "img"}) == (Args{"--env", "K=V"}));
  BOOST_TEST(flags_of({"-iteK=V", "img"}) == (Args{"--env", "K=V", "--interactive", "--tty"}));
  BOOST_TEST(flags_of({"-it", "img"}) == (Args{"--interactive", "--tty"}));
}

BOOST_AUTO_TEST_CASE(a_value_is_the_next_word_whatever_it_starts_with)
{
  auto [flags, rest] = sandbox::cli::pflag_args(example(), {"--env", "-x", "--net", "none", "img", "-e", "y"}, true);
  BOOST_TEST(flags == (Args{"--env", "-x", "--network", "none"}));
  BOOST_TEST(rest == (Args{"img", "-e", "y"}));
}

BOOST_AUTO_TEST_CASE(booleans_take_a_value_only_after_equals)
{
  BOOST_TEST(flags_of({"--tty=false", "-i=true", "img"}) == (Args{"--interactive"}));
  BOOST_TEST(flags_of({"--tty=0", "img"}).empty());
  std::string message = sandbox::test::message_of<sandbox::UsageError>([] { flags_of({"--tty=maybe", "img"}); });
  BOOST_TEST(message == "invalid argument \"maybe\" for \"--tty\" flag: expected true or false");
  auto [flags, rest] = sandbox::cli::pflag_args(example(), {"--tty", "false"}, true);
  BOOST_TEST(rest == (Args{"false"}));
}

BOOST_AUTO_TEST_CASE(the_last_value_of_a_boolean_wins)
{
  BOOST_TEST(flags_of({"--tty", "--tty=false", "img"}).empty());
  BOOST_TEST(flags_of({"--tty=false", "-t", "img"}) == (Args{"--tty"}));
  BOOST_TEST(flags_of({"-it", "--interactive=0", "img"}) == (Args{"--tty"}));
}

BOOST_AUTO_TEST_CASE(a_value_with_line_breaks_reaches_cxxopts_whole)
{
  std::string pem = "KEY=-----BEGIN KEY-----\nabc\r\n-----END KEY-----";
  cxxopts::Options options = example();
  Args args = flags_of({"-e", pem, "--env=" + pem, "img"});
  std::vector<const char*> argv{"run"};
  for (const std::string& arg : args) {
    argv.push_back(arg.c_str());
  }
  cxxopts::ParseResult parsed = options.parse(static_cast<int>(argv.size()), argv.data());
  BOOST_TEST((parsed["env"].as<std::vector<std::string>>() == std::vector<std::string>{pem, pem}));
}

BOOST_AUTO_TEST_CASE(an_optional_value_only_after_equals)
{
  auto [flags, rest] = sandbox::cli::pflag_args(example(), {"--dry-run", "json"}, true);
  BOOST_TEST(flags == (Args{"--dry-run"}));
  BOOST_TEST(rest == (Args{"json"}));
  BOOST_TEST(flags_of({"--dry-run=json"}) == (Args{"--dry-run=json"}));
}

BOOST_AUTO_TEST_CASE(unknown_flags_are_left_for_cxxopts_to_name)
{
  BOOST_TEST(flags_of({"--nope", "-z", "img"}) == (Args{"--nope", "-z"}));
}

BOOST_AUTO_TEST_CASE(dashes_end_the_flags_and_interspersed_positionals_stay)
{
  auto [flags, rest] = sandbox::cli::pflag_args(example(), {"a", "-t", "b", "--", "-i"}, false);
  BOOST_TEST(flags == (Args{"a", "b", "--tty"}));
  BOOST_TEST(rest == (Args{"-i"}));
}

BOOST_AUTO_TEST_CASE(rewriting_twice_changes_nothing)
{
  Args once = flags_of({"-ie", "K=V", "--net", "x", "--dry-run=json", "--tty=false", "img"});
  BOOST_TEST(flags_of(once) == once);
}

BOOST_AUTO_TEST_SUITE_END()
