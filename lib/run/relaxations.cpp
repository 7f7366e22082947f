#include "run/relaxations.h"

#include "run/capabilities.h"
#include "run/defaults.h"
#include "run/host_access.h"
#include "run/mount_syntax.h"
#include "run/tmpfs.h"
#include "util/error.h"
#include "util/printable.h"
#include "util/units.h"


namespace sandbox::run {

namespace {

bool uid_is_root(const std::string& user)
{
  std::string uid = user.substr(0, user.find(':'));
  return uid == "root" || parse_integer(uid) == 0;
}

std::string network_what(const std::string& network)
{
  if (network == "host") {
    return "the sandbox shares the host's network stack, including services on localhost";
  }
  return "the sandbox can reach the network (" + network + ")";
}

std::string quoted(const std::string& text)
{
  return "\"" + text + "\"";
}

// One profile key: whether the command line sets it (then the profile's value does not apply),
// and what its value relaxes (nullptr: nothing it can say loosens the sandbox).
struct KeyRule
{
  const char* key;
  bool (*typed)(const RunFlags&);
  void (*classify)(const std::string& key, const json::Value& value, std::vector<Relaxation>& out);
};

bool never_typed(const RunFlags&)
{
  return false;
}

void classify_user(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  const std::string& user = value.as_string();
  std::size_t colon = user.find(':');
  std::optional<std::int64_t> uid = parse_integer(user.substr(0, colon));
  std::optional<std::int64_t> gid = colon == std::string::npos ? uid : parse_integer(user.substr(colon + 1));
  if (uid_is_root(user)) {
    out.push_back({key, quoted(user), "the sandbox runs as root (uid 0)"});
  } else if (!uid || !gid) {
    out.push_back({key, quoted(user), "a name the image decides, which may be root"});
  } else if (*gid == 0) {
    out.push_back({key, quoted(user), "the sandbox runs in root's group (gid 0)"});
  }
}

void classify_network(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  if (value.as_string() != "none") {
    out.push_back({key, quoted(value.as_string()), network_what(value.as_string())});
  }
}

std::string allow_host_what(const std::string& rule)
{
  return "the sandbox can reach " + printable(rule) + " through the egress proxy";
}

void classify_allow_hosts(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  for (const json::Value& item : value.elements()) {
    if (item.is_string()) {
      out.push_back({key, quoted(item.as_string()), allow_host_what(item.as_string())});
    }
  }
}

void classify_cap_add(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  for (const json::Value& item : value.elements()) {
    std::string cap;
    try {
      cap = normalise_capability(item.as_string());
    } catch (const UsageError&) {
      out.push_back({key, quoted(item.as_string()), "not a capability name", true});
      continue;
    }
    if (is_dangerous_capability(cap)) {
      out.push_back({key, cap, "lets the code take over the host on most engines; never accepted from a profile", true});
    } else {
      out.push_back({key, cap, "the sandbox gains this capability"});
    }
  }
}

void classify_true(const std::string& key, const json::Value& value, std::vector<Relaxation>& out, const char* what)
{
  if (value.as_bool()) {
    out.push_back({key, "true", what});
  }
}

void classify_tmpfs(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  for (const json::Value& item : value.elements()) {
    TmpfsSpec spec;
    try {
      spec = parse_tmpfs(item.as_string());
    } catch (const UsageError&) {
      continue; // resolution refuses it, with the reason
    }
    if (spec.exec) {
      out.push_back({key, quoted(item.as_string()), "executable scratch space"});
    }
    if (!spec.size) {
      out.push_back({key, quoted(item.as_string()), "a tmpfs without a size limit (add size= up to "
                            + format_size(k_default_tmp_size) + ")"});
    } else if (*spec.size > k_default_tmp_size) {
      out.push_back({key, quoted(item.as_string()), "a tmpfs larger than the default " + format_size(k_default_tmp_size)});
    }
  }
}

void classify_memory(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  const std::string& memory = value.as_string();
  if (memory == "0") {
    out.push_back({key, "\"0\"", "no memory limit"});
    return;
  }
  try {
    if (parse_size(memory, key) > k_default_memory) {
      out.push_back({key, quoted(memory), "above the default memory limit " + format_size(k_default_memory)});
    }
  } catch (const UsageError&) {
    // resolution refuses it, with the reason
  }
}

void classify_pids(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  std::int64_t pids = value.as_int();
  if (pids <= 0) {
    out.push_back({key, std::to_string(pids), "no process limit"});
  } else if (pids > k_default_pids) {
    out.push_back({key, std::to_string(pids), "above the default process limit " + std::to_string(k_default_pids)});
  }
}

void classify_seccomp(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  out.push_back({key, quoted(value.as_string()), "no system call filter"}); // the schema allows only "unconfined"
}

void classify_runtime(const std::string& key, const json::Value& value, std::vector<Relaxation>& out)
{
  out.push_back({key, quoted(value.as_string()), "this OCI runtime, not the defaults, decides the isolation"});
}

// Every key of run/profile.schema.json. Neutral keys say why in a comment.
const std::vector<KeyRule>& key_rules()
{
  static const std::vector<KeyRule> k_rules{
    {"$schema", never_typed, nullptr},
    {"image", never_typed, nullptr},      // only local images, and the sandbox is the same around any
    {"command", never_typed, nullptr},    // the program runs inside the same sandbox
    {"entrypoint", never_typed, nullptr}, // likewise
    {"workdir", never_typed, nullptr},    // a directory inside the sandbox
    {"env", never_typed, nullptr},        // KEY=VALUE only: the invoker's variables cannot be passed
    {"exclude", never_typed, nullptr},    // tmpfs over project paths, within the memory limit
    {"mounts.workspace", never_typed, nullptr}, // inside the project (apply_profile refuses others)
    {"mounts.output", never_typed, nullptr},    // likewise
    {"mounts.workspace_target", never_typed, nullptr}, // where the same mounts appear inside the sandbox
    {"mounts.output_target", never_typed, nullptr},    // likewise
    {"limits.cpus", never_typed, nullptr},      // there is no CPU cap by default: any value tightens
    {"limits.timeout", never_typed, nullptr},   // there is no timeout by default: any value tightens
    {"isolation", never_typed, nullptr},        // gvisor or auto only (the schema): either is at least the default's wall
    {"user", [](const RunFlags& f) { return f.user.has_value(); }, classify_user},
    {"network", [](const RunFlags& f) { return f.network.has_value(); }, classify_network},
    {"cap_add", [](const RunFlags& f) { return !f.cap_add.empty(); }, classify_cap_add},
    {"egress.allow", [](const RunFlags& f) { return !f.allow_hosts.empty(); }, classify_allow_hosts},
    {"mounts.workspace_rw", [](const RunFlags& f) { return f.workspace_rw; },
     [](const std::string& k, const json::Value& v, std::vector<Relaxation>& out) {
       classify_true(k, v, out, "the sandbox can change the project's files");
     }},
    {"tmpfs", [](const RunFlags& f) { return !f.tmpfs.empty(); }, classify_tmpfs},
    {"limits.memory", [](const RunFlags& f) { return f.memory.has_value(); }, classify_memory},
    {"limits.pids", [](const RunFlags& f) { return f.pids_limit.has_value(); }, classify_pids},
    {"writable_root", [](const RunFlags& f) { return f.writable_root; },
     [](const std::string& k, const json::Value& v, std::vector<Relaxation>& out) {
       classify_true(k, v, out, "the root filesystem is writable");
     }},
    {"allow_new_privileges", [](const RunFlags& f) { return f.allow_new_privileges; },
     [](const std::string& k, const json::Value& v, std::vector<Relaxation>& out) {
       classify_true(k, v, out, "setuid programs can gain privileges");
     }},
    {"seccomp_profile", [](const RunFlags& f) { return f.seccomp_profile.has_value(); }, classify_seccomp},
    {"runtime", [](const RunFlags& f) { return f.runtime.has_value(); }, classify_runtime},
  };
  return k_rules;
}

const std::vector<std::string> k_groups{"mounts", "limits", "egress"};

void classify_object(const json::Value& object, const std::string& prefix, const RunFlags& typed, std::vector<Relaxation>& out)
{
  for (const json::Member& member : object.members()) {
    std::string key = prefix + member.first;
    if (std::find(k_groups.begin(), k_groups.end(), key) != k_groups.end() && member.second.is_object()) {
      classify_object(member.second, key + ".", typed, out);
      continue;
    }
    const std::vector<KeyRule>& rules = key_rules();
    auto rule = std::find_if(rules.begin(), rules.end(), [&](const KeyRule& r) { return key == r.key; });
    if (rule == rules.end()) {
      out.push_back({key, "", "a setting the consent rules do not know"});
    } else if (rule->classify && !rule->typed(typed)) {
      try {
        rule->classify(key, member.second, out);
      } catch (const json::JsonError&) {
        out.push_back({key, "", "a value of an unexpected type"});
      }
    }
  }
}

// The host paths -v and --mount bind writable (resolution refuses what does not parse).
std::vector<HostBindRequest> writable_host_binds(const RunFlags& typed)
{
  SortedMounts sorted;
  for (const std::string& text : typed.volumes) {
    try {
      sort_volume_flag(text, sorted);
    } catch (const UsageError&) {
    }
  }
  for (const std::string& text : typed.mounts) {
    try {
      sort_mount_flag(text, sorted);
    } catch (const UsageError&) {
    }
  }
  std::erase_if(sorted.binds, [](const HostBindRequest& bind) { return bind.read_only; });
  return sorted.binds;
}

} // namespace

std::vector<Relaxation> flag_relaxations(const RunFlags& typed)
{
  std::vector<Relaxation> out;
  if (typed.user && uid_is_root(*typed.user)) {
    out.push_back({"--user", *typed.user, "the sandbox runs as root (uid 0)"});
  }
  for (const std::string& name : typed.cap_add) {
    std::string cap;
    try {
      cap = normalise_capability(name);
    } catch (const UsageError&) {
      continue; // resolution refuses it
    }
    if (is_dangerous_capability(cap)) {
      out.push_back({"--cap-add", name, "with " + cap + " the sandbox no longer holds on most engines: the code can likely take over the host"});
    } else {
      out.push_back({"--cap-add", name, "the sandbox gains " + cap});
    }
  }
  if (typed.seccomp_profile == "unconfined") {
    out.push_back({"--seccomp-profile", "unconfined", "no system call filter"});
  }
  if (typed.allow_new_privileges) {
    out.push_back({"--allow-new-privileges", "", "setuid programs can gain privileges"});
  }
  if (typed.writable_root) {
    out.push_back({"--writable-root", "", "the root filesystem is writable"});
  }
  if (typed.workspace_rw) {
    out.push_back({"--workspace-rw", "", "the sandbox can change the workspace's files"});
  }
  for (const HostBindRequest& bind : writable_host_binds(typed)) {
    std::size_t space = bind.typed.find(' ');
    out.push_back({bind.typed.substr(0, space), bind.typed.substr(space + 1), "the sandbox can change " + printable(bind.source)});
  }
  if (typed.network && *typed.network != "none") {
    out.push_back({"--network", *typed.network, network_what(*typed.network)});
  }
  for (const std::string& rule : typed.allow_hosts) {
    out.push_back({"--allow-host", rule, allow_host_what(rule)});
  }
  for (const std::string& text : typed.publish) {
    try {
      PortPublish port = parse_publish(text);
      std::string host = (port.host_ip.find(':') != std::string::npos ? "[" + port.host_ip + "]" : port.host_ip) + ":"
                         + (port.host_port.empty() ? "a port the engine picks" : port.host_port);
      out.push_back({"-p", text, "the sandbox's port " + port.port_key() + " is reachable at " + host
                                   + (typed.network ? "" : ", and it gets the bridge network (it can reach out too)")});
    } catch (const UsageError&) {
      // resolution refuses it
    }
  }
  for (const std::string& device : typed.devices) {
    out.push_back({"--device", device, "the sandbox can use this host device"});
  }
  if (typed.gpus) {
    out.push_back({"--gpus", *typed.gpus, "the sandbox can use the host's GPUs"});
  }
  if (typed.runtime) {
    out.push_back({"--runtime", *typed.runtime, "this OCI runtime, not the defaults, decides the isolation"});
  }
  if (typed.memory == "0") {
    out.push_back({"--memory", "0", "no memory limit"});
  }
  if (typed.pids_limit && parse_integer(*typed.pids_limit).value_or(1) <= 0) {
    out.push_back({"--pids-limit", *typed.pids_limit, "no process limit"});
  }
  return out;
}

std::vector<Relaxation> profile_relaxations(const json::Value& profile, const RunFlags& typed)
{
  std::vector<Relaxation> out;
  if (profile.is_object()) {
    classify_object(profile, "", typed, out);
  }
  return out;
}

std::vector<std::string> classified_profile_keys()
{
  std::vector<std::string> keys;
  for (const KeyRule& rule : key_rules()) {
    keys.push_back(rule.key);
  }
  return keys;
}

std::vector<std::string> classified_profile_groups()
{
  return k_groups;
}

} // namespace sandbox::run
