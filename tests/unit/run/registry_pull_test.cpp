// The X-Registry-Auth of a run's pull: planned from config.json's credentials without running a
// helper, shown redacted by the dry run, made only when sent.

#include "engine/registry_auth.h"
#include "plan/executor.h"
#include "run/registry_pull.h"
#include "run/run_planner.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

namespace {

sandbox::run::RunOptions pulling(const std::string& image)
{
  sandbox::run::RunOptions options;
  options.image = image;
  options.user = "65534:65534";
  options.pull = true;
  options.credentials.config_path = "/home/me/.docker/config.json";
  return options;
}

std::string dry_run(const sandbox::run::RunOptions& options, sandbox::plan::DryRunFormat format)
{
  std::ostringstream out;
  sandbox::engine::ApiVersion version{1, 47};
  sandbox::plan::DryRunPrinter printer(out, format, version);
  sandbox::plan::run_plan(sandbox::run::plan_run(options, version, {}), printer);
  return out.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(registry_pull)

BOOST_AUTO_TEST_CASE(the_dry_run_shows_where_credentials_come_from_never_them)
{
  sandbox::run::RunOptions options = pulling("alpine:3.20");
  options.credentials.auths["https://index.docker.io/v1/"].username = "me";
  options.credentials.auths["https://index.docker.io/v1/"].password = "s3cret";
  std::string text = dry_run(options, sandbox::plan::DryRunFormat::text);
  BOOST_TEST(text.find("POST /v1.47/images/create?fromImage=alpine&tag=3.20\n"
                       "X-Registry-Auth: <redacted: credentials for https://index.docker.io/v1/ from auths in "
                       "/home/me/.docker/config.json>\n")
               != std::string::npos,
             text);
  std::string json = dry_run(options, sandbox::plan::DryRunFormat::json);
  BOOST_TEST(json.find("\"X-Registry-Auth\": \"<redacted: credentials for https://index.docker.io/v1/") != std::string::npos, json);
  for (const std::string& out : {text, json}) {
    BOOST_TEST(out.find("s3cret") == std::string::npos);
    BOOST_TEST(out.find(sandbox::engine::encode_registry_auth(options.credentials.auths.begin()->second)) == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(planning_and_the_dry_run_never_run_a_helper)
{
  // The helper does not exist: only sending the pull would find that out.
  sandbox::run::RunOptions options = pulling("registry.example/tool:1");
  options.credentials.creds_store = "nothere";
  std::string text = dry_run(options, sandbox::plan::DryRunFormat::text);
  BOOST_TEST(text.find("X-Registry-Auth: <redacted: credentials for registry.example from docker-credential-nothere "
                       "(credsStore in /home/me/.docker/config.json)>")
               != std::string::npos,
             text);
  std::optional<sandbox::plan::SecretHeader> header =
    sandbox::run::registry_auth_header(options.credentials, options.image);
  BOOST_REQUIRE(header.has_value());
  std::string message = sandbox::test::message_of<sandbox::Error>([&] { header->value(); });
  BOOST_TEST(message == "pull registry.example/tool:1: credentials for registry.example: docker-credential-nothere "
                        "was not found on PATH (credsStore in /home/me/.docker/config.json)");
}

BOOST_AUTO_TEST_CASE(no_credentials_for_the_registry_is_no_header)
{
  sandbox::run::RunOptions options = pulling("registry.example/tool:1");
  options.credentials.auths["other.example"].username = "me";
  BOOST_TEST(!sandbox::run::registry_auth_header(options.credentials, options.image).has_value());
  BOOST_TEST(dry_run(options, sandbox::plan::DryRunFormat::text).find("X-Registry-Auth") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
