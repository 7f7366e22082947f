// `run --check`: the probes the script is given (every mount the settings speak of), the parsing
// of its output, and the comparison, which must flag every finding that breaks a promise.

#include "run/run_options.h"
#include "run/self_check.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace {

using sandbox::run::CheckRow;
using sandbox::run::RunOptions;
using Found = std::map<std::string, std::string>;

RunOptions resolve(const sandbox::test::TempDir& dir, sandbox::run::RunFlags flags)
{
  flags.image = "img";
  sandbox::run::HostFacts host{dir.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  return sandbox::run::resolve_run_options(flags, host, {"0123456789ab", "2026-01-01T00:00:00Z", "h:7", "n0nce"});
}

// What a sandbox with the default settings reports.
Found as_promised(const std::string& workspace)
{
  return {{"uid", "1000"},
          {"gid", "1000"},
          {"cap_bnd", "0000000000000000"},
          {"cap_eff", "0000000000000000"},
          {"no_new_privs", "1"},
          {"seccomp", "2"},
          {"interfaces", "lo"},
          {"pids_max", "512"},
          {"memory_max", "2147483648"},
          {"mount:/", "ro"},
          {"write:/", "no"},
          {"mount:/workspace", "ro"},
          {"write:/workspace", "no"},
          {"mount:/workspace/output", "rw"},
          {"write:/workspace/output", "yes"},
          {"mount:/tmp", "rw"},
          {"write:/tmp", "yes"},
          {"exec:/tmp", "no"},
          {"mount:/home/sandbox", "rw"},
          {"write:/home/sandbox", "yes"},
          {"exec:/home/sandbox", "no"},
          {"workspace", workspace}};
}

std::vector<std::string> mismatches(const std::vector<CheckRow>& rows)
{
  std::vector<std::string> out;
  for (const CheckRow& row : rows) {
    if (!row.ok) {
      out.push_back(row.what);
    }
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(self_check)

BOOST_AUTO_TEST_CASE(the_script_probes_every_mount_the_settings_speak_of)
{
  sandbox::test::TempDir dir;
  RunOptions options = resolve(dir, {});
  std::vector<std::string> command = sandbox::run::check_command(options);
  BOOST_REQUIRE(command.size() > 3u);
  BOOST_TEST(command[0] == "-c");
  std::vector<std::string> probes(command.begin() + 3, command.end());
  BOOST_TEST((probes == std::vector<std::string>{"m:/", "w:/", "m:/workspace", "w:/workspace", "m:/workspace/output",
                                                 "w:/workspace/output", "m:/tmp", "w:/tmp", "x:/tmp",
                                                 "m:/home/sandbox", "w:/home/sandbox", "x:/home/sandbox"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(make_self_check_runs_the_script_in_the_same_sandbox)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.interactive = flags.tty = true;
  RunOptions options = resolve(dir, flags);
  RunOptions checked = options;
  sandbox::run::make_self_check(checked);
  BOOST_TEST(*checked.entrypoint == "/bin/sh");
  BOOST_TEST(checked.command == sandbox::run::check_command(options));
  BOOST_TEST(!checked.interactive);
  BOOST_TEST(!checked.tty);
  BOOST_TEST(checked.user == options.user);
  BOOST_TEST(checked.binds.size() == options.binds.size());
}

BOOST_AUTO_TEST_CASE(output_lines_are_parsed_by_their_last_equals_sign)
{
  Found found = sandbox::run::parse_check_output("uid=1000\nmount:/a=b=ro\nnoise\n\nwrite:/tmp=yes");
  BOOST_TEST(found.size() == 3u);
  BOOST_TEST(found["uid"] == "1000");
  BOOST_TEST(found["mount:/a=b"] == "ro");
  BOOST_TEST(found["write:/tmp"] == "yes");
}

BOOST_AUTO_TEST_CASE(a_sandbox_as_promised_has_no_mismatch)
{
  sandbox::test::TempDir dir;
  RunOptions options = resolve(dir, {});
  std::vector<CheckRow> rows = sandbox::run::compare_check(options, as_promised(dir.path));
  BOOST_TEST(mismatches(rows).empty());
  BOOST_TEST(rows.size() >= 18u);
}

BOOST_AUTO_TEST_CASE(every_broken_promise_is_flagged)
{
  sandbox::test::TempDir dir;
  RunOptions options = resolve(dir, {});
  Found found = as_promised(dir.path);
  found["uid"] = "0";
  found["cap_eff"] = "00000000a80425fb";
  found["no_new_privs"] = "0";
  found["seccomp"] = "0";
  found["interfaces"] = "lo eth0";
  found["pids_max"] = "max";
  found["memory_max"] = "max";
  found["mount:/"] = "rw";
  found["exec:/tmp"] = "yes";
  found.erase("write:/workspace");
  std::vector<std::string> flagged = mismatches(sandbox::run::compare_check(options, found));
  BOOST_TEST((flagged == std::vector<std::string>{"user id",
                                                  "capabilities in effect (CapEff)",
                                                  "no-new-privileges",
                                                  "seccomp mode (2: filter)",
                                                  "network interfaces",
                                                  "process limit",
                                                  "memory limit (bytes)",
                                                  "mount /",
                                                  "write /workspace as the sandbox user",
                                                  "execute from /tmp"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gvisor_is_told_apart_and_not_flagged_for_what_only_the_host_shows)
{
  // What runsc 0.0~20240729 shows inside: no NoNewPrivs line, Seccomp 0, no cgroup limits.
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.isolation = "gvisor";
  RunOptions options = resolve(dir, flags);
  Found found = as_promised(dir.path);
  found["kernel"] = "gvisor";
  found.erase("no_new_privs");
  found["seccomp"] = "0";
  found["pids_max"] = "max";
  found["memory_max"] = "9223372036854775807";
  BOOST_TEST(mismatches(sandbox::run::compare_check(options, found)).empty());
  BOOST_TEST(sandbox::run::check_note(found).find("behind gVisor") == 0);
  // What the code itself can see still counts behind gVisor.
  found["uid"] = "0";
  found["mount:/"] = "rw";
  BOOST_TEST((mismatches(sandbox::run::compare_check(options, found)) == std::vector<std::string>{"user id", "mount /"}),
             boost::test_tools::per_element());
  // Asked for gVisor, given the host's kernel: flagged, and the host's findings count as usual.
  found = as_promised(dir.path);
  found["kernel"] = "host";
  found["seccomp"] = "0";
  BOOST_TEST((mismatches(sandbox::run::compare_check(options, found))
              == std::vector<std::string>{"kernel the code talks to", "seccomp mode (2: filter)"}),
             boost::test_tools::per_element());
  BOOST_TEST(sandbox::run::check_note(found) == "");
}

BOOST_AUTO_TEST_CASE(relaxed_settings_change_what_is_expected)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.network = "bridge";
  flags.pids_limit = "0";
  flags.memory = "0";
  flags.cap_add = {"net_bind_service"};
  RunOptions options = resolve(dir, flags);
  Found found = as_promised(dir.path);
  found["cap_bnd"] = "0000000000000400";
  found["pids_max"] = "max";
  found["memory_max"] = "9223372036854771712";
  found["interfaces"] = "lo eth0";
  BOOST_TEST(mismatches(sandbox::run::compare_check(options, found)).empty());
  found["interfaces"] = "lo";
  BOOST_TEST(mismatches(sandbox::run::compare_check(options, found)) == std::vector<std::string>{"network interfaces"});
}

BOOST_AUTO_TEST_CASE(egress_is_probed_against_the_proxy_s_own_policy)
{
  // Enforcement and report agree: what each probe should find comes from the proxy's Allowlist.
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.allow_hosts = {"*.mirror.test", "10.1.2.3:8080", "pypi.org"};
  RunOptions options = resolve(dir, flags);
  std::vector<std::string> command = sandbox::run::check_command(options);
  std::vector<std::string> egress(command.end() - 6, command.end());
  BOOST_TEST((egress == std::vector<std::string>{"p:10.1.2.3:8080", "p:docker-sandbox-check.invalid:443", "p:127.0.0.1:80",
                                                 "p:169.254.169.254:80", "d:10.1.2.3:8080",
                                                 "n:docker-sandbox-check-0123456789ab.test"}));
  Found found{{"proxy:10.1.2.3:8080", "allowed"},
              {"proxy:docker-sandbox-check.invalid:443", "denied"},
              {"proxy:127.0.0.1:80", "denied"},
              {"proxy:169.254.169.254:80", "denied"},
              {"direct:10.1.2.3:8080", "failed"},
              {"dns:docker-sandbox-check-0123456789ab.test", "failed"}};
  auto egress_mismatches = [&](const Found& f) {
    std::vector<std::string> out;
    for (const std::string& what : mismatches(sandbox::run::compare_check(options, f))) {
      if (what.find("proxy") != std::string::npos || what.find("DNS") != std::string::npos) {
        out.push_back(what);
      }
    }
    return out;
  };
  BOOST_TEST(egress_mismatches(found).empty());
  Found leaky = found;
  leaky["direct:10.1.2.3:8080"] = "connected";
  leaky["dns:docker-sandbox-check-0123456789ab.test"] = "resolved";
  leaky["proxy:169.254.169.254:80"] = "allowed";
  BOOST_TEST((egress_mismatches(leaky) == std::vector<std::string>{"through the proxy: 169.254.169.254:80",
                                                                   "directly, around the proxy: 10.1.2.3:8080",
                                                                   "DNS lookup of docker-sandbox-check-0123456789ab.test"}));
  // An image without nc cannot be asked: said, not a mismatch.
  Found bare = found;
  bare["proxy:10.1.2.3:8080"] = "no-nc";
  std::vector<CheckRow> rows = sandbox::run::compare_check(options, bare);
  auto row = std::find_if(rows.begin(), rows.end(), [](const CheckRow& r) { return r.what == "through the proxy: 10.1.2.3:8080"; });
  BOOST_REQUIRE(row != rows.end());
  BOOST_TEST(row->ok);
  BOOST_TEST(row->found == "not checked: the image has no nc");
  // Let through by the proxy, though the host did not answer: the policy held.
  Found silent = found;
  silent["proxy:10.1.2.3:8080"] = "unreachable";
  BOOST_TEST(egress_mismatches(silent).empty());
  silent["proxy:127.0.0.1:80"] = "unreachable";
  BOOST_TEST(egress_mismatches(silent) == std::vector<std::string>{"through the proxy: 127.0.0.1:80"});
}

BOOST_AUTO_TEST_SUITE_END()
