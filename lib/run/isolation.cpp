#include "run/isolation.h"

#include "util/error.h"
#include "util/printable.h"

namespace sandbox::run {

const char* const k_gvisor_fix =
  "apt-get install runsc; add \"runtimes\": {\"runsc\": {\"path\": \"/usr/bin/runsc\", \"runtimeArgs\": [\"--network=none\"]}} "
  "to /etc/docker/daemon.json; then reload dockerd (systemctl reload docker)";

namespace {

// gVisor's own tasks (its kernel's threads, the gofer) count against the sandbox's pids limit:
// with trixie's runsc a sandbox started under 40 and not under 30 (exit 2, nothing said).
constexpr std::int64_t k_gvisor_min_pids = 64;

} // namespace

std::optional<Isolation> parse_isolation(const std::string& text)
{
  if (text == "runc") {
    return Isolation::runc;
  }
  if (text == "gvisor") {
    return Isolation::gvisor;
  }
  if (text == "auto") {
    return Isolation::automatic;
  }
  return std::nullopt;
}

std::string isolation_name(Isolation isolation)
{
  switch (isolation) {
  case Isolation::runc:
    return "runc";
  case Isolation::gvisor:
    return "gvisor";
  case Isolation::automatic:
    return "auto";
  case Isolation::engine_default:
    break;
  }
  return "";
}

std::optional<std::string> planned_runtime(Isolation isolation)
{
  switch (isolation) {
  case Isolation::runc:
    return "runc";
  case Isolation::gvisor:
    return "runsc";
  case Isolation::automatic:
  case Isolation::engine_default:
    break;
  }
  return std::nullopt;
}

std::optional<EngineRuntime> gvisor_runtime_of(const EngineFacts& facts)
{
  for (const EngineRuntime& runtime : facts.runtimes) {
    std::size_t slash = runtime.path.rfind('/');
    std::string program = slash == std::string::npos ? runtime.path : runtime.path.substr(slash + 1);
    if (runtime.name == "runsc" || program == "runsc") {
      return runtime;
    }
  }
  return std::nullopt;
}

std::optional<std::string> gvisor_runtime(const EngineFacts& facts)
{
  std::optional<EngineRuntime> runtime = gvisor_runtime_of(facts);
  return runtime ? std::optional<std::string>(runtime->name) : std::nullopt;
}

void settle_isolation(RunOptions& options, const EngineFacts& facts, const engine::EngineFeatures& features)
{
  if (options.isolation != Isolation::gvisor && options.isolation != Isolation::automatic) {
    return;
  }
  if (!features.runtime_choice) {
    if (options.isolation == Isolation::gvisor) {
      throw Error("--isolation gvisor: " + features.engine + "'s Docker API ignores the runtime a container asks for, so "
                  "the sandbox would run on its default runtime",
                  "podman run --runtime runsc chooses gVisor on Podman; docker-sandbox needs a dockerd for it");
    }
    options.runtime = planned_runtime(Isolation::automatic);
    return;
  }
  std::optional<EngineRuntime> gvisor = gvisor_runtime_of(facts);
  if (gvisor && options.pids_limit > 0 && options.pids_limit < k_gvisor_min_pids) {
    if (options.isolation == Isolation::gvisor) {
      throw Error("--isolation gvisor with --pids-limit " + std::to_string(options.pids_limit)
                    + ": gVisor's own tasks count against the limit (about 40), so the sandbox would not start",
                  "--pids-limit " + std::to_string(k_gvisor_min_pids) + " or more, or --isolation runc");
    }
    options.runtime = planned_runtime(Isolation::automatic);
    return;
  }
  if (gvisor && gvisor->network_none && options.network != "none") {
    if (options.isolation == Isolation::gvisor) {
      throw Error("--isolation gvisor with --network " + options.network + ": the engine's gVisor runtime "
                  + printable(gvisor->name) + " runs with --network=none, so the sandbox would have no network",
                  "drop --network, or --isolation runc for a sandbox with a network");
    }
    options.runtime = planned_runtime(Isolation::automatic);
    return;
  }
  if (gvisor) {
    options.runtime = gvisor->name;
    return;
  }
  if (options.isolation == Isolation::automatic) {
    options.runtime = planned_runtime(Isolation::automatic);
    return;
  }
  std::string names;
  for (const EngineRuntime& runtime : facts.runtimes) {
    names += (names.empty() ? "" : ", ") + printable(runtime.name);
  }
  throw Error("--isolation gvisor: the engine has no gVisor runtime (runsc)" + (names.empty() ? std::string() : "; it has " + names),
              k_gvisor_fix);
}

std::string isolation_plan_note(const RunOptions& options)
{
  const char* reads = "a live run first reads the engine's runtimes (GET /info) and ";
  if (options.isolation == Isolation::gvisor) {
    return "planned with the runtime runsc; " + std::string(reads) + "takes its gVisor one, or refuses the run";
  }
  if (options.isolation == Isolation::automatic) {
    return "planned with the engine's default runtime; " + std::string(reads) + "takes gVisor when it has it";
  }
  return "";
}

} // namespace sandbox::run
