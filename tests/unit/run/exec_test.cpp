// exec: its flags, and the requests it sends: the sandbox's own user unless -u says otherwise,
// never privileged, the detached sandbox's init touched, the exit code read once it ended.

#include "run/exec.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <string>

namespace {

using sandbox::run::ExecFlags;
using sandbox::run::ExecOptions;

ExecOptions resolve(ExecFlags flags)
{
  return sandbox::run::resolve_exec_options(flags, sandbox::engine::fixed_environment({{"FROM_HOST", "yes"}}));
}

const sandbox::plan::Step* step_of(const sandbox::plan::Plan& plan, const std::string& id)
{
  for (const auto* list : {&plan.steps, &plan.on_exit}) {
    for (const sandbox::plan::Step& step : *list) {
      if (step.id == id) {
        return &step;
      }
    }
  }
  return nullptr;
}

} // namespace

BOOST_AUTO_TEST_SUITE(exec)

BOOST_AUTO_TEST_CASE(as_the_sandbox_user_never_privileged)
{
  ExecFlags flags;
  flags.container = "sbx";
  flags.command = {"sh", "-c", "id"};
  flags.env = {"A=1", "FROM_HOST", "UNSET_HERE"};
  flags.workdir = "/workspace/sub";
  ExecOptions options = resolve(flags);
  BOOST_TEST(options.warnings.empty());
  sandbox::plan::Plan plan = sandbox::run::plan_exec(options, "c0ffee", "1000:1000", true, {1, 41});
  const sandbox::plan::Step* create = step_of(plan, "exec-create");
  BOOST_REQUIRE(create);
  BOOST_TEST(create->path == "/containers/c0ffee/exec");
  BOOST_TEST(create->body->dump()
             == R"({"AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"Tty":false,"Env":["A=1","FROM_HOST=yes"],)"
                R"("Cmd":["sh","-c","id"],"Privileged":false,"User":"1000:1000","WorkingDir":"/workspace/sub"})");
  const sandbox::plan::Step* touch = step_of(plan, "touch");
  BOOST_REQUIRE(touch);
  BOOST_TEST(touch->path == "/containers/c0ffee/kill");
  BOOST_TEST(touch->query.front().second == "37");
  BOOST_TEST(touch->best_effort);
  const sandbox::plan::Step* start = step_of(plan, "exec-start");
  BOOST_REQUIRE(start);
  BOOST_TEST(start->path == "/exec/{exec-create.Id}/start");
  BOOST_TEST((start->kind == sandbox::plan::StepKind::attach));
  BOOST_TEST(start->body->dump() == R"({"Detach":false,"Tty":false})");
  BOOST_TEST(step_of(plan, "exec-inspect")->unless_detached);
  // A sandbox that is not detached has no init to touch.
  BOOST_TEST(!step_of(sandbox::run::plan_exec(options, "c0ffee", "1000:1000", false, {1, 41}), "touch"));
}

BOOST_AUTO_TEST_CASE(another_user_is_warned_about_and_the_tty_gets_the_detach_keys)
{
  ExecFlags flags;
  flags.container = "sbx";
  flags.command = {"sh"};
  flags.user = "0";
  flags.interactive = true;
  flags.tty = true;
  flags.detach_keys = "ctrl-x,x";
  ExecOptions options = resolve(flags);
  BOOST_REQUIRE(options.warnings.size() == 1u);
  BOOST_TEST(options.warnings[0] == "-u 0: the command runs as root in the sandbox, not as its own user");
  sandbox::plan::Plan plan = sandbox::run::plan_exec(options, "c0ffee", "1000:1000", false, {1, 41});
  const sandbox::json::Value& body = *step_of(plan, "exec-create")->body;
  BOOST_TEST(body.string_or("User") == "0");
  BOOST_TEST(body.string_or("DetachKeys") == "ctrl-x,x");
  BOOST_TEST(body["Privileged"].as_bool() == false);
}

BOOST_AUTO_TEST_CASE(bad_flags_are_all_said_at_once)
{
  ExecFlags flags;
  flags.container = "sbx";
  flags.env = {"=x"};
  flags.workdir = "relative";
  flags.detach_keys = "ctrl-";
  std::string text = sandbox::test::message_of<sandbox::UsageError>([&] { resolve(flags); });
  for (const char* expected : {"exec needs a command", "-e: invalid environment variable", "invalid --workdir", "detach"}) {
    BOOST_TEST(text.find(expected) != std::string::npos, expected << " in: " << text);
  }
}

BOOST_AUTO_TEST_CASE(the_exit_code_is_the_engine_s)
{
  sandbox::plan::Results results;
  BOOST_TEST(!sandbox::run::exec_exit_code(results));
  results.record("exec-inspect", sandbox::json::parse(R"({"ExitCode":3,"Running":false})"));
  BOOST_TEST(*sandbox::run::exec_exit_code(results) == 3);
  results.record("exec-inspect", sandbox::json::parse(R"({"ExitCode":"3"})"));
  BOOST_TEST(!sandbox::run::exec_exit_code(results));
}

BOOST_AUTO_TEST_SUITE_END()
