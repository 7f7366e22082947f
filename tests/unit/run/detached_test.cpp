// run -d: the flags it cannot go with, the deadline counted from the run's creation, the init's
// volume and labels, and the create's command as the engine would have merged it.

#include "run/detached.h"
#include "run/run_options.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {

using sandbox::run::RunFlags;
using sandbox::run::RunOptions;
using sandbox::test::TempDir;

constexpr std::int64_t k_created = 1767225600; // 2026-01-01T00:00:00Z
// Neither the image's health check (its probes would count as use) nor its stop signal.
const std::string k_rest = R"("Healthcheck":{"Test":["NONE"]},"StopSignal":"SIGTERM"})";

RunOptions resolve(const TempDir& dir, RunFlags flags)
{
  flags.image = "img";
  sandbox::run::HostFacts host{dir.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  return sandbox::run::resolve_run_options(flags, host, sandbox::run::RunIdentity{"abcdef012345", "2026-01-01T00:00:00Z", "h:1", ""});
}

std::string problems(const TempDir& dir, const RunFlags& flags)
{
  return sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, flags); });
}

std::string label(const RunOptions& options, const std::string& key)
{
  for (const auto& [k, v] : options.labels) {
    if (k == key) {
      return v;
    }
  }
  return "<none>";
}

std::string entrypoint_of(const RunOptions& options)
{
  sandbox::json::Value config = sandbox::json::Value::object();
  sandbox::plan::Step create = sandbox::plan::make_step("create", "create", "POST", "/containers/create");
  sandbox::run::wrap_in_init(config, create, options);
  create.body = config;
  sandbox::plan::Results results;
  results.record("image-config", sandbox::json::parse(R"({"Config":{"Entrypoint":["/entry.sh"],"Cmd":["serve","--port","80"]}})"));
  return sandbox::plan::resolve_step(create, results, true).body->dump();
}

} // namespace

BOOST_AUTO_TEST_SUITE(detached)

BOOST_AUTO_TEST_CASE(a_detached_sandbox_ends_eight_hours_after_its_creation_by_default)
{
  TempDir dir;
  RunFlags flags;
  flags.detach = true;
  RunOptions options = resolve(dir, flags);
  BOOST_REQUIRE(options.detached);
  BOOST_TEST(*options.detached->lifetime.deadline == k_created + 8 * 3600);
  BOOST_TEST(options.detached->lifetime.idle_seconds == 0);
  BOOST_TEST(options.detached->init_volume.volume == "run-abcdef012345-init");
  BOOST_TEST(options.detached->init_volume.read_only);
  BOOST_TEST(!options.init); // its own init is pid 1, not the engine's
  BOOST_TEST(!options.output); // nothing would hand it over
  BOOST_TEST(label(options, "docker-sandbox.lifetime") == "detached");
  BOOST_TEST(label(options, "docker-sandbox.expires") == std::to_string(k_created + 8 * 3600));

  flags.ttl = "90s";
  flags.idle_timeout = "1500ms"; // rounded up: never shorter than asked
  options = resolve(dir, flags);
  BOOST_TEST(*options.detached->lifetime.deadline == k_created + 90);
  BOOST_TEST(options.detached->lifetime.idle_seconds == 2);
  BOOST_TEST(label(options, "docker-sandbox.idle-timeout") == "2");

  flags.ttl = "0";
  options = resolve(dir, flags);
  BOOST_TEST(!options.detached->lifetime.deadline);
  BOOST_TEST(label(options, "docker-sandbox.expires") == "never");
  BOOST_TEST(options.warnings.size() == 1u);
  BOOST_TEST(options.warnings[0].find("--ttl 0: this sandbox never ends by itself") == 0u);
}

BOOST_AUTO_TEST_CASE(a_run_says_it_is_one_whatever_its_image_says)
{
  TempDir dir;
  RunOptions options = resolve(dir, RunFlags{});
  BOOST_TEST(!options.detached);
  BOOST_TEST(label(options, "docker-sandbox.lifetime") == "run");
  BOOST_TEST(label(options, "docker-sandbox.expires") == "<none>");
}

BOOST_AUTO_TEST_CASE(flags_that_need_the_run_to_end_are_refused_with_d)
{
  TempDir dir;
  RunFlags flags;
  flags.detach = true;
  flags.timeout = "1m";
  flags.collects = {"/outputs/a:" + dir.path + "/a"};
  flags.tenant = "t";
  flags.keep = true;
  flags.no_init = true;
  flags.allow_hosts = {"example.com"};
  flags.ttl = "soon";
  std::string text = problems(dir, flags);
  for (const char* expected : {"-d cannot be combined with --timeout", "-d cannot be combined with --collect",
                               "-d cannot be combined with --keep", "-d cannot be combined with --no-init",
                               "-d cannot be combined with --allow-host", "--ttl"}) {
    BOOST_TEST(text.find(expected) != std::string::npos, expected << " in: " << text);
  }
  RunFlags output;
  output.detach = true;
  output.output = dir.path + "/out";
  BOOST_TEST(problems(dir, output).find("-d cannot be combined with --output") != std::string::npos);
  output.output = "none";
  BOOST_TEST(resolve(dir, output).detached.has_value());
}

BOOST_AUTO_TEST_CASE(ttl_and_idle_timeout_need_d)
{
  TempDir dir;
  RunFlags flags;
  flags.ttl = "1h";
  flags.idle_timeout = "5m";
  std::string text = problems(dir, flags);
  BOOST_TEST(text.find("--ttl needs -d") != std::string::npos);
  BOOST_TEST(text.find("--idle-timeout needs -d") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_init_runs_the_command_as_the_engine_would_have_merged_it)
{
  TempDir dir;
  RunFlags flags;
  flags.detach = true;
  flags.ttl = "10s";
  std::string init = R"("/.docker-sandbox/init",")" + std::to_string(k_created + 10) + R"(","0","--",)";
  // Neither command nor entrypoint: the image's both.
  BOOST_TEST(entrypoint_of(resolve(dir, flags)) == R"({"Entrypoint":[)" + init + R"("/entry.sh","serve","--port","80"],"Cmd":null,)" + k_rest);
  // A command: after the image's entrypoint; its words are never filled.
  flags.command = {"sh", "-c", "{image-config.Config.Cmd}"};
  BOOST_TEST(entrypoint_of(resolve(dir, flags))
             == R"({"Entrypoint":[)" + init + R"("/entry.sh","sh","-c","{image-config.Config.Cmd}"],"Cmd":null,)" + k_rest);
  // --entrypoint replaces the image's and drops its command.
  flags.command.clear();
  flags.entrypoint = "/bin/top";
  BOOST_TEST(entrypoint_of(resolve(dir, flags)) == R"({"Entrypoint":[)" + init + R"("/bin/top"],"Cmd":null,)" + k_rest);
  // --entrypoint "": no entrypoint, the image's command.
  flags.entrypoint = "";
  BOOST_TEST(entrypoint_of(resolve(dir, flags)) == R"({"Entrypoint":[)" + init + R"("serve","--port","80"],"Cmd":null,)" + k_rest);
}

BOOST_AUTO_TEST_SUITE_END()
