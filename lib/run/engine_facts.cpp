#include "run/engine_facts.h"

#include "util/units.h"

#include <vector>

namespace sandbox::run {

namespace {

bool has_security_option(const json::Value& info, const std::string& name)
{
  const json::Value& options = info["SecurityOptions"];
  if (!options.is_array()) {
    return false;
  }
  for (const json::Value& option : options.elements()) {
    const std::string prefix = "name=" + name;
    if (option.is_string() && option.as_string().rfind(prefix, 0) == 0
        && (option.as_string().size() == prefix.size() || option.as_string()[prefix.size()] == ',')) {
      return true;
    }
  }
  return false;
}

bool flag(const json::Value& info, const char* key)
{
  return info[key].is_bool() && info[key].as_bool();
}

// A name or path from the engine that we may send back and print: short, no control characters.
bool fit_text(const json::Value& value)
{
  if (!value.is_string() || value.as_string().empty() || value.as_string().size() > 256) {
    return false;
  }
  for (unsigned char c : value.as_string()) {
    if (c < 0x20 || c == 0x7f) {
      return false;
    }
  }
  return true;
}

// /info's Runtimes: {"runc": {"path": "runc"}, "runsc": {"path": "/usr/bin/runsc", ...}}.
// Entries that do not fit are left out, and so is everything past k_max_runtimes.
std::vector<EngineRuntime> runtimes_of(const json::Value& info)
{
  std::vector<EngineRuntime> out;
  const json::Value& runtimes = info["Runtimes"];
  if (!runtimes.is_object()) {
    return out;
  }
  for (const json::Member& member : runtimes.members()) {
    if (out.size() == k_max_runtimes) {
      break;
    }
    if (!fit_text(json::Value(member.first))) {
      continue;
    }
    const json::Value& path = member.second["path"];
    bool network_none = false;
    const json::Value& args = member.second["runtimeArgs"];
    if (args.is_array()) {
      std::string previous;
      for (const json::Value& arg : args.elements()) {
        std::string text = arg.is_string() ? arg.as_string() : "";
        network_none = network_none || text == "--network=none" || (previous == "--network" && text == "none");
        previous = text;
      }
    }
    out.push_back({member.first, fit_text(path) ? path.as_string() : "", network_none});
  }
  return out;
}

} // namespace

EngineFacts engine_facts(const json::Value& info)
{
  EngineFacts facts;
  facts.rootless = has_security_option(info, "rootless");
  facts.userns_remap = has_security_option(info, "userns");
  facts.seccomp = has_security_option(info, "seccomp");
  facts.memory_limit = flag(info, "MemoryLimit");
  facts.pids_limit = flag(info, "PidsLimit");
  facts.cpu_quota = flag(info, "CpuCfsQuota");
  facts.swap_limit = flag(info, "SwapLimit");
  std::string cgroup = info.string_or("CgroupVersion", "1");
  facts.cgroup_version = cgroup == "2" ? "2" : "1";
  facts.runtimes = runtimes_of(info);
  if (fit_text(info["DefaultRuntime"])) {
    facts.default_runtime = info["DefaultRuntime"].as_string();
  }
  return facts;
}

std::string unenforced_limits_line(const RunOptions& options, const EngineFacts& facts)
{
  std::vector<std::string> lost;
  if (options.memory > 0 && !facts.memory_limit) {
    lost.push_back("--memory " + format_size(options.memory));
  }
  if (options.pids_limit > 0 && !facts.pids_limit) {
    lost.push_back("--pids-limit " + std::to_string(options.pids_limit));
  }
  if (options.nano_cpus && !facts.cpu_quota) {
    lost.push_back("--cpus");
  }
  if (lost.empty()) {
    return "";
  }
  std::string list = lost.front();
  for (std::size_t i = 1; i < lost.size(); ++i) {
    list += (i + 1 == lost.size() ? " and " : ", ") + lost[i];
  }
  return "this engine (" + std::string(facts.rootless ? "rootless, " : "") + "cgroup v" + facts.cgroup_version
         + ") cannot enforce " + list + ": " + (lost.size() == 1 ? "it is" : "they are") + " not applied";
}

} // namespace sandbox::run
