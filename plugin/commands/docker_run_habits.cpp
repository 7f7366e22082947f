#include "commands/docker_run_habits.h"

#include "run/capabilities.h"
#include "util/error.h"

#include <map>
#include <memory>
#include <optional>

namespace sandbox::cli {

namespace {

// A flag that restates a default: given alone or =true. Its =false would ask for the opposite,
// which has a flag of ours, so it keeps its value to be refused with that flag's name.
std::shared_ptr<cxxopts::Value> habit()
{
  return cxxopts::value<std::string>()->implicit_value("true");
}

// The habit flag's value: true, or a UsageError that names our flag for false.
void check_habit(const cxxopts::ParseResult& parsed, const char* name, const char* ours)
{
  std::optional<std::string> value = optional_flag<std::string>(parsed, name);
  if (value && *value != "true") {
    throw UsageError("--" + std::string(name) + "=" + *value + " is not taken: " + ours);
  }
}

} // namespace

void add_docker_run_spellings(cxxopts::Options& options)
{
  options.add_options("with docker run's spellings")
    ("rm", "Taken: a sandbox is always removed when it exits (--keep keeps it)", habit())
    ("read-only", "Taken: the root filesystem is read-only (--writable-root relaxes it)", habit())
    ("init", "Taken: an init runs as pid 1 (--no-init)", habit())
    ("cap-drop", "Taken: every capability is dropped unless --cap-add adds it (naming one it adds is refused)",
     cxxopts::value<std::vector<std::string>>(), "CAP")
    ("security-opt", "no-new-privileges[:true] (the default), no-new-privileges:false (--allow-new-privileges), "
                     "seccomp=FILE or seccomp=unconfined (--seccomp-profile)",
     cxxopts::value<std::vector<std::string>>(), "OPT");
}

void read_docker_run_spellings(const cxxopts::ParseResult& parsed, run::RunFlags& flags)
{
  check_habit(parsed, "rm", "a sandbox is removed when it exits, and --keep keeps it");
  check_habit(parsed, "read-only", "the root is read-only, and --writable-root makes it writable");
  check_habit(parsed, "init", "an init runs as pid 1, and --no-init runs the command instead");
  if (parsed.count("init") && flags.no_init) {
    throw UsageError("--init and --no-init contradict each other");
  }
  flags.read_only_root_asked = parsed.count("read-only") > 0;
  flags.cap_drop = list_flag(parsed, "cap-drop");
  // The last no-new-privileges wins, as in docker; the default needs no flag, so only a contradiction
  // with --allow-new-privileges is worth a word.
  std::optional<bool> no_new_privileges;
  for (const std::string& option : list_flag(parsed, "security-opt")) {
    // docker takes both separators: no-new-privileges:true and no-new-privileges=true.
    std::size_t separator = option.find_first_of(":=");
    std::string key = option.substr(0, separator);
    std::string value = separator == std::string::npos ? "" : option.substr(separator + 1);
    if (key == "no-new-privileges" && (value.empty() || value == "true" || value == "false")) {
      no_new_privileges = value != "false";
      continue;
    }
    if (key == "seccomp" && !value.empty() && option[separator] == '=') {
      if (flags.seccomp_profile && *flags.seccomp_profile != value) {
        throw UsageError("--security-opt seccomp=" + value + " and --seccomp-profile " + *flags.seccomp_profile
                         + " name two profiles");
      }
      flags.seccomp_profile = value;
      continue;
    }
    throw UsageError("--security-opt " + option
                     + " is not taken: docker sandbox run takes no-new-privileges[:true|:false] and "
                       "seccomp=FILE|unconfined (AppArmor and SELinux labels stay the engine's defaults)");
  }
  flags.no_new_privileges_asked = no_new_privileges == true;
  if (no_new_privileges == false) {
    flags.allow_new_privileges = true;
  }
}

std::string docker_run_flag_line(const std::string& flag)
{
  static const std::map<std::string, std::string> k_reasons{
    {"publish-all", "a sandbox publishes only the ports named with -p"},
    {"expose", "a sandbox publishes only the ports named with -p"},
    {"privileged", "a sandbox is never privileged; --cap-add adds the one capability it needs"},
    {"volumes-from", "volumes come in through -v NAME:PATH, one by one"},
    {"pid", "a sandbox keeps its own namespaces"},
    {"ipc", "a sandbox keeps its own namespaces"},
    {"uts", "a sandbox keeps its own namespaces"},
    {"userns", "a sandbox keeps its own namespaces"},
    {"cgroupns", "a sandbox keeps its own namespaces"},
    {"use-api-socket", "the engine's socket never goes into a sandbox"},
    {"restart", "a sandbox is not restarted; it ends with its command"},
    {"oom-kill-disable", "the memory limit always applies (-m 0 lifts it)"},
    {"group-add", "the sandbox user's groups come from --user UID:GID or the image"},
  };
  std::string name = flag.starts_with("--") ? flag.substr(2) : flag;
  if (flag.size() == 2 && flag[0] == '-') {
    static const std::map<char, std::string> k_shorts{{'P', "publish-all"},
                                                      {'a', "attach"}, {'c', "cpu-shares"}, {'l', "label"},
                                                      {'q', "quiet"}};
    auto found = k_shorts.find(flag[1]);
    if (found == k_shorts.end()) {
      return "";
    }
    name = found->second;
  }
  if (auto found = k_reasons.find(name); found != k_reasons.end()) {
    return "docker run's --" + name + " is not taken by docker sandbox run: " + found->second;
  }
  static const std::vector<std::string> k_docker_run{
    "add-host", "attach", "blkio-weight", "blkio-weight-device", "cgroup-parent", "cidfile", "cpu-period", "cpu-quota",
    "cpu-rt-period", "cpu-rt-runtime", "cpu-shares", "cpuset-cpus", "cpuset-mems",
    "device-cgroup-rule", "device-read-bps", "device-read-iops", "device-write-bps", "device-write-iops",
    "disable-content-trust", "dns", "dns-option", "dns-search", "domainname", "health-cmd", "health-interval",
    "health-retries", "health-start-period", "health-timeout", "ip", "ip6", "isolation",
    "kernel-memory", "label-file", "link", "link-local-ip", "log-driver", "log-opt", "mac-address",
    "memory-reservation", "memory-swap", "memory-swappiness", "network-alias", "no-healthcheck", "oom-score-adj",
    "quiet", "sig-proxy", "stop-signal", "storage-opt", "sysctl", "volume-driver"};
  for (const std::string& known : k_docker_run) {
    if (known == name) {
      return "docker run's --" + name + " is not taken by docker sandbox run ('docker sandbox run --help' lists what is)";
    }
  }
  return "";
}

} // namespace sandbox::cli
