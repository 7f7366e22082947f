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
