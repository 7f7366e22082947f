// The detach keys: docker's key list, the filter that keeps them from the engine, which runs may
// detach, and what the plan asks of the engine.

#include "engine/api_version.h"
#include "engine/environment.h"
#include "run/detach_keys.h"
#include "run/run_planner.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace {

using sandbox::run::DetachKeyFilter;
using sandbox::run::parse_detach_keys;

sandbox::run::RunOptions resolve(const sandbox::test::TempDir& ws, sandbox::run::RunFlags flags)
{
  sandbox::run::HostFacts host{ws.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  sandbox::run::RunIdentity identity{"0123456789ab", "2026-11-23T10:00:00Z", "host:4242", "f1xed-nonce"};
  return sandbox::run::resolve_run_options(flags, host, identity);
}

// -it with no workspace and no output: nothing for the plugin to do once the sandbox ends.
sandbox::run::RunFlags bare_it_run()
{
  sandbox::run::RunFlags flags;
  flags.image = "img";
  flags.interactive = true;
  flags.tty = true;
  flags.workspace = "none";
  flags.output = "none";
  return flags;
}

const sandbox::plan::Step* find(const std::vector<sandbox::plan::Step>& steps, const std::string& id)
{
  auto found = std::find_if(steps.begin(), steps.end(), [&](const sandbox::plan::Step& step) { return step.id == id; });
  return found == steps.end() ? nullptr : &*found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(detach_keys)

BOOST_AUTO_TEST_CASE(parses_docker_key_lists)
{
  BOOST_TEST(parse_detach_keys("ctrl-p,ctrl-q", "--detach-keys") == std::string("\x10\x11"));
  BOOST_TEST(parse_detach_keys("ctrl-x,x", "--detach-keys") == std::string("\x18x"));
  BOOST_TEST(parse_detach_keys("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", "--detach-keys")
             == std::string("\x00\x1b\x1c\x1d\x1e\x1f", 6));
  BOOST_TEST(parse_detach_keys("a,ctrl-a,z,ctrl-z", "--detach-keys") == std::string("a\x01z\x1a"));
}

BOOST_AUTO_TEST_CASE(refuses_unknown_keys_naming_the_setting)
{
  for (const char* bad : {"", "ctrl-p,", ",ctrl-q", "ctrl-1", "CTRL-P", "ctrl-pq", "ab", "ctrl-p ctrl-q"}) {
    BOOST_CHECK_THROW(parse_detach_keys(bad, "--detach-keys"), sandbox::UsageError);
  }
  try {
    parse_detach_keys("ctrl-p,ctrl-", "detachKeys in /c/config.json");
    BOOST_FAIL("no error");
  } catch (const sandbox::UsageError& e) {
    BOOST_TEST(std::string(e.what()).find("detachKeys in /c/config.json ctrl-p,ctrl-: unknown key \"ctrl-\"") == 0);
  }
}

BOOST_AUTO_TEST_CASE(filter_holds_a_beginning_back_until_the_next_byte_tells)
{
  DetachKeyFilter filter(std::string("\x10\x11"));
  DetachKeyFilter::Result first = filter.feed("ls\x10");
  BOOST_TEST(first.forward == "ls");
  BOOST_TEST(!first.detached);
  DetachKeyFilter::Result second = filter.feed("p"); // not the sequence: ctrl-p goes out late
  BOOST_TEST(second.forward == "\x10p");
  BOOST_TEST(!second.detached);
}

BOOST_AUTO_TEST_CASE(filter_finds_the_sequence_across_reads_and_within_one)
{
  DetachKeyFilter split(std::string("\x10\x11"));
  BOOST_TEST(split.feed("\x10").forward.empty());
  DetachKeyFilter::Result done = split.feed("\x11rest");
  BOOST_TEST(done.detached);
  BOOST_TEST(done.forward.empty());
  BOOST_TEST(done.consumed == 1u);

  DetachKeyFilter whole(std::string("\x10\x11"));
  DetachKeyFilter::Result at_once = whole.feed("ab\x10\x11");
  BOOST_TEST(at_once.detached);
  BOOST_TEST(at_once.forward == "ab");
  BOOST_TEST(at_once.consumed == 4u);
}

BOOST_AUTO_TEST_CASE(filter_never_forwards_a_whole_sequence_that_overlaps_itself)
{
  // ctrl-x,ctrl-x,x typed as ctrl-x ctrl-x ctrl-x x: the last three are the sequence.
  DetachKeyFilter filter(std::string("\x18\x18x"));
  DetachKeyFilter::Result result = filter.feed("\x18\x18\x18x");
  BOOST_TEST(result.detached);
  BOOST_TEST(result.forward == "\x18");
  // After a sequence, matching starts again.
  DetachKeyFilter::Result again = filter.feed("\x18\x18x");
  BOOST_TEST(again.detached);
  BOOST_TEST(again.forward.empty());
}

BOOST_AUTO_TEST_CASE(a_run_the_plugin_must_finish_is_not_detached)
{
  sandbox::test::TempDir ws;
  sandbox::run::RunFlags flags = bare_it_run();
  BOOST_TEST(sandbox::run::detach_refusal(resolve(ws, flags)).empty());
  sandbox::run::RunFlags timed = flags;
  timed.timeout = "1m";
  BOOST_TEST(sandbox::run::detach_refusal(resolve(ws, timed)).find("--timeout") != std::string::npos);
  sandbox::run::RunFlags with_output = flags;
  with_output.output.reset();
  with_output.workspace.reset();
  BOOST_TEST(sandbox::run::detach_refusal(resolve(ws, with_output)).find("--output none") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_engine_watches_the_same_keys_and_a_detach_keeps_the_container)
{
  sandbox::test::TempDir ws;
  sandbox::run::RunFlags flags = bare_it_run();
  sandbox::plan::Plan plain = sandbox::run::plan_run(resolve(ws, flags), sandbox::engine::ApiVersion{1, 41}, {});
  const sandbox::plan::Step* attach = find(plain.steps, "attach");
  BOOST_REQUIRE(attach);
  BOOST_TEST(std::count(attach->query.begin(), attach->query.end(), std::make_pair(std::string("detachKeys"), std::string("ctrl-p,ctrl-q"))) == 1);
  const sandbox::plan::Step* remove = find(plain.cleanup, "remove");
  BOOST_REQUIRE(remove);
  BOOST_TEST(remove->unless_detached);

  flags.detach_keys = "ctrl-x,x";
  sandbox::plan::Plan custom = sandbox::run::plan_run(resolve(ws, flags), sandbox::engine::ApiVersion{1, 41}, {});
  attach = find(custom.steps, "attach");
  BOOST_REQUIRE(attach);
  BOOST_TEST(std::count(attach->query.begin(), attach->query.end(), std::make_pair(std::string("detachKeys"), std::string("ctrl-x,x"))) == 1);

  flags.detach_keys = "ctrl-";
  BOOST_CHECK_THROW(resolve(ws, flags), sandbox::UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
