#pragma once

// What a run and `doctor` need to know about the engine beyond its API version, read from
// GET /info: whether it runs rootless (its uid 0 is the invoking user outside, and every other
// uid a subordinate one), which limits it can enforce, and which OCI runtimes it offers.

#include "run/run_options.h"
#include "util/json.h"

#include <string>
#include <vector>

namespace sandbox::run {

// One of the engine's OCI runtimes, as /info's Runtimes names it.
struct EngineRuntime
{
  std::string name; // the key, what HostConfig.Runtime takes: "runc", "runsc"
  std::string path; // "runc", "/usr/bin/runsc"; "" when not said
  bool network_none = false; // its runtimeArgs say --network=none (runsc: no network at all)
};

struct EngineFacts
{
  bool rootless = false;
  bool userns_remap = false;
  bool seccomp = false;
  bool memory_limit = true;
  bool pids_limit = true;
  bool cpu_quota = true;
  bool swap_limit = true;
  std::string cgroup_version = "1";
  std::vector<EngineRuntime> runtimes; // at most k_max_runtimes, each name and path printable
  std::string default_runtime;         // "" when not said or garbled
};

constexpr std::size_t k_max_runtimes = 32;

// From the engine's /info reply; a field it leaves out or garbles counts as missing.
EngineFacts engine_facts(const json::Value& info);

// One line naming the limits `options` set that `facts` say the engine cannot enforce, e.g.
// "this engine (rootless, cgroup v1) cannot enforce --memory 2g and --pids-limit 512: they are
// not applied"; "" when it enforces them all.
std::string unenforced_limits_line(const RunOptions& options, const EngineFacts& facts);

} // namespace sandbox::run
