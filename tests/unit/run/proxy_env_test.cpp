// config.json's proxies as container environment: the docker host's entry or "default", both
// spellings of each name, never over a variable the user set, and only with a network.

#include "plan/executor.h"
#include "run/proxy_env.h"
#include "run/run_options.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Lines = std::vector<std::string>;

std::map<std::string, sandbox::engine::ProxyConfig> proxies()
{
  std::map<std::string, sandbox::engine::ProxyConfig> out;
  out["default"].http_proxy = "http://proxy:3128";
  out["default"].no_proxy = "localhost";
  out["tcp://build.example:2376"].https_proxy = "http://build-proxy:3128";
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(proxy_env)

BOOST_AUTO_TEST_CASE(the_default_entry_gives_both_spellings_of_each_set_variable)
{
  BOOST_TEST((sandbox::run::proxy_env(proxies(), "unix:///var/run/docker.sock", {})
              == Lines{"HTTP_PROXY=http://proxy:3128", "http_proxy=http://proxy:3128", "NO_PROXY=localhost",
                       "no_proxy=localhost"}));
}

BOOST_AUTO_TEST_CASE(the_docker_hosts_own_entry_wins_over_default)
{
  BOOST_TEST((sandbox::run::proxy_env(proxies(), "tcp://build.example:2376", {})
              == Lines{"HTTPS_PROXY=http://build-proxy:3128", "https_proxy=http://build-proxy:3128"}));
}

BOOST_AUTO_TEST_CASE(a_variable_the_user_set_is_never_overridden)
{
  BOOST_TEST((sandbox::run::proxy_env(proxies(), "unix:///var/run/docker.sock", {"HTTP_PROXY=http://mine:1", "no_proxy"})
              == Lines{"http_proxy=http://proxy:3128", "NO_PROXY=localhost"}));
}

BOOST_AUTO_TEST_CASE(no_entry_is_nothing)
{
  std::map<std::string, sandbox::engine::ProxyConfig> only_host;
  only_host["tcp://build.example:2376"].http_proxy = "http://p:1";
  BOOST_TEST(sandbox::run::proxy_env(only_host, "unix:///var/run/docker.sock", {}).empty());
}

BOOST_AUTO_TEST_CASE(only_a_sandbox_with_a_network_gets_them)
{
  sandbox::run::RunOptions options;
  options.env = {"A=1"};
  sandbox::run::add_proxy_env(options, proxies(), "unix:///var/run/docker.sock");
  BOOST_TEST((options.env == Lines{"A=1"}), "the default network is none");
  options.network = "bridge";
  sandbox::run::add_proxy_env(options, proxies(), "unix:///var/run/docker.sock");
  BOOST_TEST((options.env == Lines{"A=1", "HTTP_PROXY=http://proxy:3128", "http_proxy=http://proxy:3128",
                                   "NO_PROXY=localhost", "no_proxy=localhost"}));
}

BOOST_AUTO_TEST_CASE(a_proxy_password_is_redacted_in_the_dry_run)
{
  Lines env = {"HTTP_PROXY=http://me:pa%22ss@proxy:3128", "https_proxy=proxy:3128", "ALL_PROXY=socks5://u@p/x@y",
               "OTHER=http://a:b@c"};
  BOOST_TEST((sandbox::run::proxy_secrets(env) == Lines{"me:pa%22ss", "u"}));

  sandbox::plan::Plan plan;
  plan.api_version = {1, 47};
  sandbox::plan::Step create = sandbox::plan::make_step("create", "create", "POST", "/containers/create");
  sandbox::json::Value config = sandbox::json::Value::object();
  config.set("Env", sandbox::json::Value::array());
  config.find("Env")->push("HTTP_PROXY=http://me:pa\"ss@proxy:3128");
  create.body = config;
  plan.steps.push_back(create);
  plan.secrets = sandbox::run::proxy_secrets({"HTTP_PROXY=http://me:pa\"ss@proxy:3128"});
  for (sandbox::plan::DryRunFormat format : {sandbox::plan::DryRunFormat::text, sandbox::plan::DryRunFormat::json}) {
    std::ostringstream out;
    sandbox::plan::DryRunPrinter printer(out, format, plan.api_version);
    printer.redact(plan.secrets);
    sandbox::plan::run_plan(plan, printer);
    BOOST_TEST(out.str().find("\"HTTP_PROXY=http://<redacted>@proxy:3128\"") != std::string::npos, out.str());
    BOOST_TEST(out.str().find("me:pa") == std::string::npos, out.str());
  }
}

BOOST_AUTO_TEST_SUITE_END()
