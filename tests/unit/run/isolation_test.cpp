// --isolation: which engine runtime is gVisor (by name or by path, from an /info reply that may
// be garbled or huge), the refusal with the exact fix when there is none, auto falling back to
// the engine's default, and the one rule with --runtime.

#include "run/isolation.h"
#include "util/error.h"
#include "util/json.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <string>

namespace {

using sandbox::run::Isolation;

sandbox::run::EngineFacts facts_of(const std::string& info)
{
  return sandbox::run::engine_facts(sandbox::json::parse(info));
}

sandbox::run::RunOptions resolve(const sandbox::test::TempDir& dir, sandbox::run::RunFlags flags)
{
  flags.image = "img";
  sandbox::run::HostFacts host{dir.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  return sandbox::run::resolve_run_options(flags, host, {"abcdef012345", "2026-01-01T00:00:00Z", "h:1", ""});
}

// Debian 12's dockerd with runsc registered as the README says.
const char* const k_with_runsc = R"({"Runtimes": {"io.containerd.runc.v2": {"path": "runc"}, "runc": {"path": "runc"},
  "runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}}, "DefaultRuntime": "runc"})";

} // namespace

BOOST_AUTO_TEST_SUITE(isolation)

BOOST_AUTO_TEST_CASE(finds_gvisor_by_name_or_by_path)
{
  BOOST_TEST(sandbox::run::gvisor_runtime(facts_of(k_with_runsc)).value_or("") == "runsc");
  BOOST_TEST(sandbox::run::gvisor_runtime(facts_of(R"({"Runtimes": {"runc": {"path": "runc"},
    "gvisor": {"path": "/opt/gvisor/runsc"}}})")).value_or("") == "gvisor");
  BOOST_TEST(!sandbox::run::gvisor_runtime(facts_of(R"({"Runtimes": {"runc": {"path": "runc"},
    "kata": {"path": "/usr/bin/runsc-not"}}})")));
  BOOST_TEST(facts_of(k_with_runsc).default_runtime == "runc");
}

BOOST_AUTO_TEST_CASE(a_hostile_runtimes_reply_is_bounded)
{
  // Not an object, control characters in a name, an overlong name: nothing of it is taken.
  BOOST_TEST(facts_of(R"({"Runtimes": ["runsc"]})").runtimes.empty());
  BOOST_TEST(!sandbox::run::gvisor_runtime(facts_of(R"({"Runtimes": {"runsc\u001b[2J": {"path": "/usr/bin/runsc\n"}}})")));
  std::string many = R"({"Runtimes": {)";
  for (int i = 0; i < 1000; ++i) {
    many += (i ? "," : "") + std::string("\"r") + std::to_string(i) + R"(": {"path": "x"})";
  }
  many += R"(, "runsc": {"path": "/usr/bin/runsc"}}, "DefaultRuntime": 7})";
  sandbox::run::EngineFacts facts = facts_of(many);
  BOOST_TEST(facts.runtimes.size() == sandbox::run::k_max_runtimes);
  BOOST_TEST(facts.default_runtime == "");
  BOOST_TEST(facts_of(R"({"Runtimes": {")" + std::string(300, 'a') + R"(": {}}})").runtimes.empty());
}

BOOST_AUTO_TEST_CASE(gvisor_without_runsc_is_refused_with_the_exact_fix)
{
  sandbox::run::RunOptions options;
  options.isolation = Isolation::gvisor;
  options.runtime = "runsc";
  sandbox::run::EngineFacts runc_only = facts_of(R"({"Runtimes": {"runc": {"path": "runc"}}})");
  try {
    sandbox::run::settle_isolation(options, runc_only, {});
    BOOST_FAIL("an engine without gVisor was taken");
  } catch (const sandbox::Error& e) {
    BOOST_TEST(std::string(e.what()) == "--isolation gvisor: the engine has no gVisor runtime (runsc); it has runc");
    BOOST_TEST(e.hint().find("apt-get install runsc") != std::string::npos);
    BOOST_TEST(e.hint().find(R"("runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]})") != std::string::npos);
    BOOST_TEST(e.hint().find("reload") != std::string::npos);
  }
  sandbox::run::settle_isolation(options, facts_of(R"({"Runtimes": {"gv": {"path": "/usr/bin/runsc"}}})"), {});
  BOOST_TEST(options.runtime.value_or("") == "gv");
}

BOOST_AUTO_TEST_CASE(auto_takes_gvisor_when_there_and_the_default_otherwise)
{
  sandbox::run::RunOptions options;
  options.isolation = Isolation::automatic;
  sandbox::run::settle_isolation(options, facts_of(k_with_runsc), {});
  BOOST_TEST(options.runtime.value_or("") == "runsc");
  sandbox::run::settle_isolation(options, facts_of(R"({"Runtimes": {"runc": {"path": "runc"}}})"), {});
  BOOST_TEST(!options.runtime);
  // runc and the engine's default never look at the engine's runtimes.
  options.isolation = Isolation::runc;
  options.runtime = "runc";
  sandbox::run::settle_isolation(options, facts_of(k_with_runsc), {});
  BOOST_TEST(options.runtime.value_or("") == "runc");
}

BOOST_AUTO_TEST_CASE(an_engine_that_ignores_the_runtime_is_never_taken_for_gvisor)
{
  // Podman 4.3: /info lists runsc from containers.conf (installed or not), and its Docker API
  // runs the container on its default runtime whatever HostConfig.Runtime says.
  sandbox::engine::EngineFeatures podman;
  podman.engine = "Podman 4.3.1";
  podman.runtime_choice = false;
  sandbox::run::EngineFacts facts = facts_of(R"({"Runtimes": {"crun": {"path": "/usr/bin/crun"},
    "runsc": {"path": "/usr/bin/runsc"}}, "DefaultRuntime": "runc"})");
  sandbox::run::RunOptions options;
  options.isolation = Isolation::gvisor;
  options.runtime = "runsc";
  BOOST_CHECK_EXCEPTION(sandbox::run::settle_isolation(options, facts, podman), sandbox::Error, [](const sandbox::Error& e) {
    return std::string(e.what()).find("--isolation gvisor: Podman 4.3.1's Docker API ignores the runtime") == 0;
  });
  options.isolation = Isolation::automatic;
  sandbox::run::settle_isolation(options, facts, podman);
  BOOST_TEST(!options.runtime);
}

BOOST_AUTO_TEST_CASE(a_network_is_refused_where_gvisor_runs_without_one)
{
  sandbox::run::RunOptions options;
  options.isolation = Isolation::gvisor;
  options.network = "bridge";
  sandbox::run::EngineFacts facts = facts_of(k_with_runsc);
  BOOST_TEST(facts.runtimes.back().network_none);
  BOOST_CHECK_EXCEPTION(sandbox::run::settle_isolation(options, facts, {}), sandbox::Error, [](const sandbox::Error& e) {
    return std::string(e.what()) == "--isolation gvisor with --network bridge: the engine's gVisor runtime runsc runs with "
                                    "--network=none, so the sandbox would have no network";
  });
  options.isolation = Isolation::automatic; // auto takes the engine's default, which has the network
  sandbox::run::settle_isolation(options, facts, {});
  BOOST_TEST(!options.runtime);
  // A runsc registered with a network of its own is taken.
  options.isolation = Isolation::gvisor;
  sandbox::run::settle_isolation(options, facts_of(R"({"Runtimes": {"runsc-net": {"path": "/usr/bin/runsc",
    "runtimeArgs": ["--network", "sandbox"]}}})"), {});
  BOOST_TEST(options.runtime.value_or("") == "runsc-net");
}

BOOST_AUTO_TEST_CASE(a_pids_limit_too_low_for_gvisors_own_tasks_is_refused)
{
  sandbox::run::RunOptions options;
  options.isolation = Isolation::gvisor;
  options.pids_limit = 30;
  sandbox::run::EngineFacts facts = facts_of(k_with_runsc);
  BOOST_CHECK_EXCEPTION(sandbox::run::settle_isolation(options, facts, {}), sandbox::Error, [](const sandbox::Error& e) {
    return std::string(e.what()) == "--isolation gvisor with --pids-limit 30: gVisor's own tasks count against the limit "
                                    "(about 40), so the sandbox would not start";
  });
  options.isolation = Isolation::automatic; // auto takes the engine's default, where 30 is enough
  sandbox::run::settle_isolation(options, facts, {});
  BOOST_TEST(!options.runtime);
  for (std::int64_t limit : {std::int64_t(-1), std::int64_t(64), std::int64_t(512)}) {
    options.isolation = Isolation::gvisor;
    options.pids_limit = limit;
    sandbox::run::settle_isolation(options, facts, {});
    BOOST_TEST(options.runtime.value_or("") == "runsc");
  }
}

BOOST_AUTO_TEST_CASE(resolution_plans_the_runtime_and_keeps_one_rule_with_runtime)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  BOOST_TEST(!resolve(dir, flags).runtime); // the default: the engine's default runtime
  flags.isolation = "gvisor";
  sandbox::run::RunOptions gvisor = resolve(dir, flags);
  BOOST_TEST(gvisor.runtime.value_or("") == "runsc");
  BOOST_TEST(sandbox::run::isolation_plan_note(gvisor).find("takes its gVisor one, or refuses the run") != std::string::npos);
  flags.isolation = "runc";
  BOOST_TEST(resolve(dir, flags).runtime.value_or("") == "runc");
  BOOST_TEST(sandbox::run::isolation_plan_note(resolve(dir, flags)) == "");
  flags.isolation = "auto";
  BOOST_TEST(!resolve(dir, flags).runtime);

  flags.isolation = "kata";
  BOOST_CHECK_EXCEPTION(resolve(dir, flags), sandbox::UsageError, [](const sandbox::UsageError& e) {
    return std::string(e.what()) == "invalid --isolation \"kata\": runc, gvisor or auto";
  });
  flags.isolation = "gvisor";
  flags.runtime = "runsc"; // even agreeing, both together are refused: one rule
  BOOST_CHECK_EXCEPTION(resolve(dir, flags), sandbox::UsageError, [](const sandbox::UsageError& e) {
    return std::string(e.what()).find("--isolation gvisor and --runtime runsc both choose the OCI runtime") == 0;
  });
}

BOOST_AUTO_TEST_SUITE_END()
