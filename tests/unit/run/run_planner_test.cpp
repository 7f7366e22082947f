// Golden tests of the run planner through the dry-run printer: the same options planned at API
// 1.41 and 1.47, in text and JSON. They pin every request the plugin sends and both tmpfs forms
// (HostConfig.Tmpfs below 1.46, Mounts[].TmpfsOptions from 1.46 where it can say everything).
// Set SANDBOX_UPDATE_GOLDEN=1 to rewrite the files after an intended change.

#include "plan/executor.h"
#include "run/run_planner.h"
#include "util/file.h"
#include "util/json.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

using sandbox::engine::ApiVersion;

using Workspace = sandbox::test::TempDir;

std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

sandbox::run::RunOptions resolve(const Workspace& ws, sandbox::run::RunFlags flags)
{
  sandbox::run::HostFacts host{ws.path, 1000, 1000, sandbox::engine::fixed_environment({{"FROM_ENV", "yes"}}), ""};
  sandbox::run::RunIdentity identity{"0123456789ab", "2026-11-23T10:00:00Z", "host:4242", "f1xed-nonce"};
  return sandbox::run::resolve_run_options(flags, host, identity);
}

std::string print(const sandbox::run::RunOptions& options, ApiVersion version, sandbox::plan::DryRunFormat format,
                  const sandbox::engine::EngineFeatures& features = {})
{
  std::ostringstream out;
  sandbox::plan::DryRunPrinter printer(out, format, version);
  sandbox::plan::run_plan(sandbox::run::plan_run(options, version, features), printer);
  return out.str();
}

void check_golden(const std::string& name, const std::string& actual)
{
  sandbox::test::check_golden_file(SANDBOX_GOLDEN_DIR, name, actual);
}

void check_all_forms(const std::string& stem, const sandbox::run::RunOptions& options, const Workspace& ws)
{
  for (ApiVersion version : {ApiVersion{1, 41}, ApiVersion{1, 47}}) {
    std::string suffix = "-" + version.str();
    check_golden(stem + suffix + ".txt",
                 replace_all(print(options, version, sandbox::plan::DryRunFormat::text), ws.path, "<workspace>"));
    check_golden(stem + suffix + ".json",
                 replace_all(print(options, version, sandbox::plan::DryRunFormat::json), ws.path, "<workspace>"));
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(run_planner)

BOOST_AUTO_TEST_CASE(defaults_for_a_non_root_invoker)
{
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.command = {"sh", "-c", "make test"};
  check_all_forms("run-defaults", resolve(ws, flags), ws);
}

BOOST_AUTO_TEST_CASE(docker_settings_hostname_shm_ulimits_platform)
{
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.hostname = "box";
  flags.shm_size = "128m";
  flags.ulimits = {"nofile=1024:2048", "core=0"};
  flags.platform = "linux/amd64";
  check_all_forms("run-docker-settings", resolve(ws, flags), ws);
}

BOOST_AUTO_TEST_CASE(published_ports_devices_gpus_and_a_host_bind)
{
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.publish = {"8080:80", "127.0.0.2::53/udp", "[::1]:8443:443", "9090:80"};
  flags.devices = {"/dev/null:/dev/sbxnull:rw"};
  flags.gpus = "device=0,1";
  flags.volumes = {"/usr/share:/usr/share/host:ro"};
  check_all_forms("run-host-access", resolve(ws, flags), ws);
}

BOOST_AUTO_TEST_CASE(relaxed_flags_and_both_tmpfs_forms)
{
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.command = {"npm", "ci"};
  flags.user = "0";
  flags.network = "bridge";
  flags.cap_add = {"net_bind_service"};
  flags.memory = "512m";
  flags.cpus = "1.5";
  flags.pids_limit = "64";
  flags.tmpfs = {"/cache:size=64m,exec", "/owned:size=1m,mode=700,uid=1234,gid=1234"};
  flags.exclude = {"node_modules"};
  flags.env = {"A=1", "FROM_ENV", "NOT_SET"};
  flags.labels = {"team=infra"};
  flags.tenant = "acme";
  flags.workspace_rw = true;
  flags.keep = true;
  flags.interactive = true;
  check_all_forms("run-relaxed", resolve(ws, flags), ws);
}

BOOST_AUTO_TEST_CASE(egress_through_the_proxy)
{
  // --allow-host: the engine's architecture, the proxy's image imported when missing, the internal
  // network, the proxy created, connected, started and its address read; the sandbox on the internal
  // network with the proxy variables and the proxy's address in its ExtraHosts; the proxy's log
  // read once it exited, and the proxy and the network removed.
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.command = {"pip", "download", "six"};
  flags.allow_hosts = {"pypi.org", "*.pythonhosted.org:443", "10.1.2.0/24:8080"};
  flags.egress_network = "outside";
  flags.env = {"HTTP_PROXY=http://mine:8080"};
  sandbox::run::RunOptions options = resolve(ws, flags);
  static const std::string k_program(1000, 'x');
  options.egress->program = {k_program, std::string(64, 'a')};
  options.egress->engine_host_addresses = {"192.0.2.1"};
  check_all_forms("run-egress", options, ws);
  // The internal network leaves the engine host without an address on it (Podman's has none).
  BOOST_TEST(print(options, ApiVersion{1, 41}, sandbox::plan::DryRunFormat::text).find(
               R"("com.docker.network.bridge.inhibit_ipv4": "true")") != std::string::npos);
  sandbox::engine::EngineFeatures podman;
  podman.podman = true;
  podman.inhibit_host_address = false;
  BOOST_TEST(print(options, ApiVersion{1, 41}, sandbox::plan::DryRunFormat::text, podman).find("inhibit_ipv4")
             == std::string::npos);
}

BOOST_AUTO_TEST_CASE(volumes_input_collect_and_a_tenant_volume)
{
  // Every request of a run with volumes: the --volume check, the two volume creates, the helper
  // image (imported only when missing), the helper, the upload, the sandbox, the collect with
  // one HEAD per component below /outputs, and the removals.
  Workspace ws;
  sandbox::make_directories(ws.path + "/in/sub");
  std::ofstream(ws.path + "/in/sub/file") << "data";
  std::ofstream(ws.path + "/notes.txt") << "notes";
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.command = {"sh", "-c", "cp -r /inputs/. /outputs/r/"};
  flags.tenant = "acme";
  flags.run = "job-7";
  flags.inputs = {"in", "notes.txt:/notes"};
  flags.collects = {"/outputs/r/deep:out", "/outputs:all"};
  flags.volumes = {"acme-cache:/cache:ro"};
  flags.collect_max_files = "500";
  flags.output = "none";
  check_all_forms("run-volumes", resolve(ws, flags), ws);
  // Podman: one upload into each mount point and one at / for the roots, sent together.
  sandbox::engine::EngineFeatures podman;
  podman.podman = true;
  podman.put_reaches_mounts = false;
  check_golden("run-volumes-podman-1.41.txt",
               replace_all(print(resolve(ws, flags), ApiVersion{1, 41}, sandbox::plan::DryRunFormat::text, podman), ws.path,
                           "<workspace>"));
}

BOOST_AUTO_TEST_CASE(workspace_and_output_copied_through_run_volumes)
{
  // --workspace-mode copy: the workspace volume (filled with the tree, each file with its own
  // owner, the excluded path and the output mount point as empty directories) and the output
  // volume, then on exit the output's checks and download into the output stage.
  Workspace ws;
  sandbox::make_directories(ws.path + "/src");
  sandbox::make_directories(ws.path + "/node_modules/dep");
  std::ofstream(ws.path + "/src/main.c") << "int main;";
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.command = {"make"};
  flags.exclude = {"node_modules"};
  flags.workspace_mode = "copy";
  check_all_forms("run-copy", resolve(ws, flags), ws);
}

BOOST_AUTO_TEST_CASE(gvisor_isolation_names_the_runtime)
{
  // --isolation gvisor: HostConfig.Runtime is runsc until a live run has read the engine's name.
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.command = {"uname", "-r"};
  flags.isolation = "gvisor";
  check_all_forms("run-gvisor", resolve(ws, flags), ws);
}

BOOST_AUTO_TEST_CASE(detached_with_its_init_and_lifetime)
{
  // run -d: the engine's architecture, the init's volume filled, the image's entrypoint and command
  // read for the init to run; started, and removed only when something failed before.
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  flags.command = {"sleep", "infinity"};
  flags.detach = true;
  flags.ttl = "2h";
  flags.idle_timeout = "10m";
  sandbox::run::RunOptions options = resolve(ws, flags);
  static const char k_init[] = "init bytes";
  options.detached->init.bytes = k_init;
  check_all_forms("run-detached", options, ws);
}

// containerd may report the exit before the OOM kill: a SIGKILL exit is read again until the
// engine says OOMKilled, a bounded number of times.
BOOST_AUTO_TEST_CASE(an_oom_kill_reported_late_is_read_again)
{
  Workspace ws;
  sandbox::run::RunFlags flags;
  flags.image = "docker-sandbox-busybox:latest";
  sandbox::plan::Plan plan = sandbox::run::plan_run(resolve(ws, flags), ApiVersion{1, 41}, {});
  const sandbox::plan::Step* inspect = nullptr;
  for (const sandbox::plan::Step& step : plan.on_exit) {
    inspect = step.id == "inspect" ? &step : inspect;
  }
  BOOST_REQUIRE(inspect && inspect->walk);
  auto state = [](bool oom_killed) {
    sandbox::plan::Reply reply;
    reply.body = sandbox::json::parse(std::string("{\"State\":{\"OOMKilled\":") + (oom_killed ? "true" : "false") + "}}");
    return reply;
  };
  sandbox::plan::Results results;
  std::vector<sandbox::plan::Reply> sent;
  BOOST_TEST(inspect->walk(results, sent).has_value()); // the first reading
  sent.push_back(state(false));
  BOOST_TEST(inspect->walk(results, sent).has_value()); // not yet: again
  sent.push_back(state(true));
  BOOST_TEST(!inspect->walk(results, sent).has_value()); // said: done
  sent.assign(10, state(false));
  BOOST_TEST(!inspect->walk(results, sent).has_value()); // a SIGKILL from elsewhere: 10 readings at most
  results.record("inspect", state(false).body);
  results.record("inspect", state(true).body); // the last reading is the one that counts
  BOOST_TEST(sandbox::run::killed_by_memory_limit(results));
}

BOOST_AUTO_TEST_SUITE_END()
