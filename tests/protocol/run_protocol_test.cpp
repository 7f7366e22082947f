// Protocol corners of `run` that a real engine without a registry cannot produce: pull progress
// streamed as JSON lines (and a failure reported in-band with status 200), and a create that
// fails because the image is missing, and a command lookup answered with a stat that is garbage
// or huge.

#include "fake_engine.h"

#include "engine/registry_auth.h"
#include "run/command_lookup.h"
#include "run/run_planner.h"
#include "plan/executor.h"
#include "run/run_session.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <string>
#include <vector>

namespace {

sandbox::run::RunOptions pull_options()
{
  sandbox::run::RunOptions options;
  options.image = "registry.example/tool:1";
  options.user = "65534:65534";
  options.pull = true;
  options.name = "sbx";
  return options;
}

// The run's plan cut down to its first two steps: look for the image, pull it when missing.
sandbox::plan::Plan pull_steps(const sandbox::run::RunOptions& options, sandbox::engine::ApiVersion version)
{
  sandbox::plan::Plan plan = sandbox::run::plan_run(options, version, {});
  BOOST_REQUIRE(plan.steps.size() > 2);
  BOOST_REQUIRE(plan.steps[0].id == "image");
  BOOST_REQUIRE(plan.steps[1].id == "pull");
  plan.steps.resize(2);
  plan.on_exit.clear();
  plan.cleanup.clear();
  return plan;
}

} // namespace

BOOST_AUTO_TEST_SUITE(run_protocol)

BOOST_AUTO_TEST_CASE(pull_progress_is_streamed_line_by_line)
{
  sandbox::test::FakeEngine fake(sandbox::test::FakeEngineOptions::speaking("1.47"));
  sandbox::test::FakeReply reply;
  reply.chunked = true;
  reply.chunks = {"{\"status\":\"Pulling from tool\",\"id\":\"1\"}\n{\"status\":\"Downl",
                  "oading\",\"id\":\"abc\",\"progress\":\"[=>   ] 1MB/9MB\"}\n",
                  "{\"status\":\"Status: Downloaded newer image\"}\n"};
  fake.route("POST", "/images/create", false, [&](const sandbox::test::RecordedRequest&) { return reply; });

  sandbox::run::RunOptions options = pull_options();
  sandbox::engine::EngineClient client(fake.endpoint(), std::nullopt);
  std::vector<std::string> lines;
  sandbox::run::RunIo io;
  io.progress = [&](const std::string& line) { lines.push_back(line); };
  sandbox::run::RunSession session(client, options, io);
  sandbox::plan::run_plan(pull_steps(options, client.api_version()), session);

  BOOST_TEST((lines == std::vector<std::string>{"1: Pulling from tool", "abc: Downloading [=>   ] 1MB/9MB",
                                               "Status: Downloaded newer image"}));
  std::vector<sandbox::test::RecordedRequest> requests = fake.requests();
  // The image is looked up first (the fake has no such route: 404, so missing), then pulled by
  // name and tag: without a tag the engine would pull every tag.
  BOOST_TEST(requests[requests.size() - 2].target == "/v1.47/images/registry.example/tool:1/json");
  BOOST_TEST(requests.back().target == "/v1.47/images/create?fromImage=registry.example%2Ftool&tag=1");
}

BOOST_AUTO_TEST_CASE(a_pull_sends_x_registry_auth_from_the_credential_helper)
{
  // docker-credential-fake on a PATH of its own, as credHelpers names it for the image's registry.
  sandbox::test::TempDir bin;
  std::string helper = bin.path() + "/docker-credential-fake";
  std::ofstream(helper) << "#!/bin/sh\nserver=$(cat)\n"
                           "printf '{\"ServerURL\":\"%s\",\"Username\":\"me\",\"Secret\":\"s3cret\"}' \"$server\"\n";
  std::filesystem::permissions(helper, std::filesystem::perms::owner_all);
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (bin.path() + ":" + path).c_str(), 1);

  sandbox::test::FakeEngine fake(sandbox::test::FakeEngineOptions::speaking("1.47"));
  fake.route("POST", "/images/create", sandbox::test::FakeReply::json(200, "{\"status\":\"Pulled\"}\n"));
  sandbox::run::RunOptions options = pull_options();
  options.credentials.config_path = "/home/me/.docker/config.json";
  options.credentials.creds_store = "desktop";
  options.credentials.cred_helpers["registry.example"] = "fake";
  sandbox::engine::EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::run::RunSession session(client, options, {});
  sandbox::plan::run_plan(pull_steps(options, client.api_version()), session);
  ::setenv("PATH", path.c_str(), 1);

  sandbox::engine::AuthConfig expected;
  expected.username = "me";
  expected.password = "s3cret";
  expected.server_address = "registry.example";
  std::vector<sandbox::test::RecordedRequest> requests = fake.requests();
  BOOST_TEST(requests.back().route == "/images/create");
  BOOST_TEST(requests.back().header("X-Registry-Auth") == sandbox::engine::encode_registry_auth(expected));
  BOOST_TEST(requests[requests.size() - 2].header_count("X-Registry-Auth") == 0u, "only the pull carries it");
}

BOOST_AUTO_TEST_CASE(an_image_present_locally_is_not_pulled)
{
  sandbox::test::FakeEngine fake(sandbox::test::FakeEngineOptions::speaking("1.47"));
  fake.route("GET", "/images/registry.example/tool:1/json", sandbox::test::FakeReply::json(200, "{\"Id\":\"sha256:1\"}"));
  sandbox::run::RunOptions options = pull_options();
  sandbox::engine::EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::run::RunSession session(client, options, {});
  sandbox::plan::Plan plan = pull_steps(options, client.api_version());
  sandbox::plan::run_plan(plan, session);
  std::vector<std::string> lines = fake.request_lines();
  BOOST_TEST((lines == std::vector<std::string>{"GET /_ping", "GET /v1.47/images/registry.example/tool:1/json"}),
             "looked for the image, and did not pull it");
}

BOOST_AUTO_TEST_CASE(a_pull_failure_reported_in_band_is_an_error)
{
  sandbox::test::FakeEngine fake(sandbox::test::FakeEngineOptions::speaking("1.41"));
  fake.route("GET", "/images/registry.example/tool:1/json", sandbox::test::FakeReply::error(404, "No such image"));
  fake.route("POST", "/images/create", false, [](const sandbox::test::RecordedRequest&) {
    return sandbox::test::FakeReply::json(
      200, "{\"status\":\"Pulling\"}\n{\"errorDetail\":{\"message\":\"dial tcp: lookup registry.example: no such host\"},"
           "\"error\":\"dial tcp: lookup registry.example: no such host\"}\n");
  });
  sandbox::run::RunOptions options = pull_options();
  sandbox::engine::EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::run::RunSession session(client, options, {});
  sandbox::plan::Plan plan = pull_steps(options, client.api_version());
  try {
    sandbox::plan::run_plan(plan, session);
    BOOST_ERROR("a failed pull must throw");
  } catch (const sandbox::EngineError& e) {
    BOOST_TEST(std::string(e.what()).find("pull registry.example/tool:1: dial tcp") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(a_missing_image_stops_the_run_before_anything_is_created)
{
  sandbox::test::FakeEngine fake(sandbox::test::FakeEngineOptions::speaking("1.41"));
  fake.route("POST", "/containers/create", sandbox::test::FakeReply::error(404, "No such image: nope:latest"));
  sandbox::run::RunOptions options = pull_options();
  options.pull = false;
  sandbox::engine::EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::run::RunSession session(client, options, {});
  sandbox::plan::Plan plan = sandbox::run::plan_run(options, client.api_version(), {});
  BOOST_CHECK_THROW(sandbox::plan::run_plan(plan, session), sandbox::EngineError);
  std::vector<std::string> lines = fake.request_lines();
  // The lookup container's create goes out with the sandbox's, on a connection of its own (either
  // may arrive first); it is refused the same way.
  BOOST_TEST_REQUIRE(lines.size() == 3u, "no attach, start or removal after a failed create");
  BOOST_TEST(lines[0] == "GET /_ping");
  std::sort(lines.begin() + 1, lines.end());
  BOOST_TEST(lines[1].rfind("POST /v1.41/containers/create?name=docker-sandbox-lookup-", 0) == 0, lines[1]);
  BOOST_TEST(lines[2] == "POST /v1.41/containers/create?name=sbx");
}

// The engine that created "c1" (the sandbox, and the lookup container), whose command is
// /bin/true, answers the stat of it with `stat` as the X-Docker-Container-Path-Stat header. Returns what the lookup throws, or "" when nothing.
std::string lookup_with_stat_header(const std::string& stat)
{
  sandbox::test::FakeEngine fake(sandbox::test::FakeEngineOptions::speaking("1.41"));
  fake.route("POST", "/containers/create", sandbox::test::FakeReply::json(201, R"({"Id":"c1","Warnings":[]})"));
  fake.route("GET", "/containers/c1/json",
             sandbox::test::FakeReply::json(200, R"({"Path":"/bin/true","Config":{"Cmd":["/bin/true"],"Env":["PATH=/bin"],"WorkingDir":"/"}})"));
  sandbox::test::FakeReply head = sandbox::test::FakeReply::json(200, "");
  head.headers.emplace_back("X-Docker-Container-Path-Stat", stat);
  fake.route("HEAD", "/containers/c1/archive", head);
  sandbox::engine::EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::plan::Plan plan;
  plan.api_version = client.api_version();
  plan.steps.push_back(sandbox::plan::make_step("create", "create", "POST", "/containers/create"));
  sandbox::run::RunOptions options;
  options.image = "img";
  options.run_id = "0123456789ab";
  sandbox::run::LookupSteps lookup = sandbox::run::command_lookup_steps(options, {});
  plan.steps.push_back(lookup.container);
  for (sandbox::plan::Step& step : lookup.look) {
    plan.steps.push_back(std::move(step));
  }
  sandbox::plan::HttpExecutor executor(client);
  try {
    sandbox::plan::run_plan(plan, executor);
  } catch (const sandbox::run::CommandCannotRun& e) {
    return std::string("cannot run: ") + e.what();
  } catch (const sandbox::Error& e) {
    return e.what();
  }
  return "";
}

BOOST_AUTO_TEST_CASE(a_garbage_stat_of_the_command_is_one_line)
{
  std::string error = lookup_with_stat_header("!!not base64 {");
  BOOST_TEST(error == "the engine's stat of /bin/true in the image cannot be read");
  // Base64 of JSON whose mode is not a number.
  BOOST_TEST(lookup_with_stat_header("eyJtb2RlIjoicnd4In0=") == "the engine's stat of /bin/true in the image cannot be read");
}

BOOST_AUTO_TEST_CASE(a_huge_stat_header_is_one_line)
{
  std::string error = lookup_with_stat_header(std::string(4 * 1024 * 1024, 'A'));
  BOOST_TEST_MESSAGE("a huge stat header: " << error);
  BOOST_TEST(!error.empty());
  BOOST_TEST(error.find('\n') == std::string::npos, error);
  BOOST_TEST(error.size() < 300u, error);
}

BOOST_AUTO_TEST_SUITE_END()
