#include "commands.h"

#include "engine/engine_client.h"
#include "engine/engine_features.h"
#include "run/defaults.h"
#include "run/engine_facts.h"
#include "run/isolation.h"
#include "util/error.h"
#include "util/json.h"
#include "util/printable.h"

#include <ostream>

namespace sandbox::cli {

namespace {

enum class Verdict { ok, warn, fail };

struct Check
{
  Verdict verdict;
  std::string what;
  std::string detail;
};

std::vector<Check> engine_checks(const json::Value& info, const engine::EngineFeatures& features)
{
  std::vector<Check> checks;
  run::EngineFacts facts = run::engine_facts(info);
  checks.push_back(facts.seccomp ? Check{Verdict::ok, "seccomp", "supported; sandboxes get the engine's default profile"}
                                 : Check{Verdict::fail, "seccomp", "not supported by this engine; system calls are not filtered"});
  bool limits = facts.memory_limit && facts.pids_limit && facts.cpu_quota;
  checks.push_back(limits ? Check{Verdict::ok, "cgroup limits", "memory, pids and CPU limits work (cgroup v" + facts.cgroup_version + ")"}
                          : Check{Verdict::fail, "cgroup limits",
                                  std::string("missing:") + (facts.memory_limit ? "" : " memory") + (facts.pids_limit ? "" : " pids")
                                    + (facts.cpu_quota ? "" : " cpu") + " (" + (facts.rootless ? "rootless, " : "") + "cgroup v"
                                    + facts.cgroup_version + "); --memory, --pids-limit or --cpus would not be enforced"});
  if (!facts.swap_limit) {
    checks.push_back({Verdict::warn, "swap limit", "not supported; memory plus swap cannot be capped"});
  }
  if (facts.rootless) {
    checks.push_back({Verdict::ok, "rootless", "the engine runs rootless: container root is you outside, not host root"});
    checks.push_back({Verdict::ok, "user namespaces", "the engine's own (rootless): sandboxes run as its uid 0, which is you "
                                                      "outside, so ./output is written as you"});
  } else {
    checks.push_back({Verdict::ok, "rootless", "no; the engine runs as root (sandboxes still run as an unprivileged user)"});
    checks.push_back(facts.userns_remap
                       ? Check{Verdict::ok, "user namespaces", "enabled (userns-remap)"}
                       : Check{Verdict::ok, "user namespaces",
                               "not remapped; uid 0 inside would be uid 0 outside, so the sandbox never runs as root by default"});
  }
  std::string runtimes;
  for (const run::EngineRuntime& runtime : facts.runtimes) {
    runtimes += (runtimes.empty() ? "" : ", ") + runtime.name;
  }
  checks.push_back({Verdict::ok, "runtimes", (runtimes.empty() ? "none said" : runtimes) + " (default "
                                               + (facts.default_runtime.empty() ? "runc" : facts.default_runtime) + ")"});
  std::optional<std::string> gvisor = run::gvisor_runtime(facts);
  if (!features.runtime_choice) {
    checks.push_back({Verdict::ok, "isolation", "runc only: " + features.engine + "'s Docker API ignores the runtime a "
                                                "container asks for, so --isolation gvisor is refused"});
    return checks;
  }
  checks.push_back(gvisor ? Check{Verdict::ok, "isolation", "runc (--isolation runc: the host's kernel behind namespaces, "
                                                            "capabilities and seccomp) and gVisor (--isolation gvisor: runtime "
                                                            + *gvisor + ", a kernel of its own in front of the host's)"}
                          : Check{Verdict::ok, "isolation", "runc only (the host's kernel behind namespaces, capabilities and "
                                                            "seccomp); to add gVisor (--isolation gvisor): " + std::string(run::k_gvisor_fix)});
  return checks;
}

} // namespace

cxxopts::Options doctor_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "doctor", "[OPTIONS]");
  options.add_options()
    ("image", "Image the check looks for locally", cxxopts::value<std::string>()->default_value(std::string(run::k_default_image)), "IMAGE")
    ("h,help", "Print usage");
  return options;
}

int run_doctor(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = doctor_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  std::string image = (*parsed)["image"].as<std::string>();

  std::vector<Check> checks;
  engine::EngineClient* client = nullptr;
  engine::EngineFeatures features;
  try {
    client = &ctx.client();
    engine::PingInfo ping = client->ping();
    checks.push_back({Verdict::ok, "engine reachable", client->endpoint().host + " (context \"" + client->endpoint().context
                                                         + "\", " + ping.server + ")"});
    engine::ApiVersion api = client->api_version();
    checks.push_back({Verdict::ok, "API version", api.str() + " (engine " + ping.api_version.value_or("?")
                                                    + ", plugin speaks " + engine::k_min_api_version.str() + " to "
                                                    + engine::k_max_api_version.str() + ")"});
    features = engine::features_of(client->identity());
    std::vector<std::string> missing = engine::missing_features(features);
    if (missing.empty()) {
      checks.push_back({Verdict::ok, "engine features", features.engine + ": everything docker-sandbox uses"});
    }
    for (const std::string& line : missing) {
      checks.push_back({Verdict::warn, "engine feature missing", line});
    }
  } catch (const Error& e) {
    checks.push_back({Verdict::fail, "engine reachable", e.what()});
    client = nullptr;
  }
  if (client) {
    std::vector<Check> more = engine_checks(client->get_json("/info"), features);
    checks.insert(checks.end(), more.begin(), more.end());
    try {
      client->get_json("/images/" + image + "/json");
      checks.push_back({Verdict::ok, "image", image + " is present locally"});
    } catch (const EngineError& e) {
      if (e.status() != 404) {
        throw;
      }
      checks.push_back({Verdict::warn, "image", image + " is not present locally; no registry is needed if you "
                                                        "build or import one, e.g. `docker import` of a busybox rootfs"});
    }
  }

  bool failed = false;
  for (const Check& check : checks) {
    const char* mark = check.verdict == Verdict::ok ? "ok  " : check.verdict == Verdict::warn ? "warn" : "FAIL";
    failed = failed || check.verdict == Verdict::fail;
    ctx.out() << mark << "  " << check.what << ": " << printable(check.detail) << '\n';
  }
  return failed ? 1 : 0;
}

} // namespace sandbox::cli
