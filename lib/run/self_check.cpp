#include "run/self_check.h"

#include "egress/allowlist.h"
#include "run/capabilities.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

namespace sandbox::run {

namespace {

// The script reads /proc and /sys only, and tests each probe path by writing a file and by
// running a copy of the shell from it; it needs nothing but a POSIX shell, mkdir, cp and rm.
// gVisor is told by its boot log (dmesg, where the image has it and may read it) or by the fixed
// /proc/version of its kernel.
constexpr std::string_view k_script = R"sh(
kernel=host
case "$(dmesg 2>/dev/null | head -n 1)" in *gVisor*) kernel=gvisor ;; esac
read -r version </proc/version
case "$version" in *"#1 SMP Sun Jan 10 15:06:54 PST 2016"*) kernel=gvisor ;; esac
echo "kernel=$kernel"
while read -r key value rest; do
  case "$key" in
    Uid:) echo "uid=$value" ;;
    Gid:) echo "gid=$value" ;;
    CapEff:) echo "cap_eff=$value" ;;
    CapBnd:) echo "cap_bnd=$value" ;;
    NoNewPrivs:) echo "no_new_privs=$value" ;;
    Seccomp:) echo "seccomp=$value" ;;
  esac
done </proc/self/status
interfaces=
while IFS=: read -r name rest; do
  case "$rest" in *[0-9]*) interfaces="$interfaces${interfaces:+,}$(echo $name)" ;; esac
done </proc/net/dev
echo "interfaces=$interfaces"
for file in /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max; do
  [ -r "$file" ] && { read -r value <"$file"; echo "pids_max=$value"; break; }
done
for file in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
  [ -r "$file" ] && { read -r value <"$file"; echo "memory_max=$value"; break; }
done
for probe in "$@"; do
  path=${probe#?:}
  case "$probe" in
    m:*) while read -r device mount_point type options rest; do
           [ "$mount_point" = "$path" ] && mount_options=$options
         done </proc/mounts
         echo "mount:$path=${mount_options%%,*}" ;;
  esac
  case "$probe" in
    p:*) # Through the egress proxy: what it answers a CONNECT.
         if command -v nc >/dev/null 2>&1; then
           reply=$(printf 'CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n' "$path" "$path" | nc -w 5 docker-sandbox-egress 3128 2>/dev/null | head -n 1)
           case "$reply" in *" 200 "*) result=allowed ;; *" 403 "*) result=denied ;; *" 502 "*|*" 504 "*) result=unreachable ;; *) result=no-answer ;; esac
         else result=no-nc; fi
         echo "proxy:$path=$result"; continue ;;
    d:*) # Around the proxy: a direct TCP connection.
         if command -v nc >/dev/null 2>&1; then
           if nc -w 3 "${path%:*}" "${path##*:}" </dev/null >/dev/null 2>&1; then result=connected; else result=failed; fi
         else result=no-nc; fi
         echo "direct:$path=$result"; continue ;;
    n:*) if command -v nslookup >/dev/null 2>&1; then
           if nslookup "$path" >/dev/null 2>&1; then result=resolved; else result=failed; fi
         elif command -v getent >/dev/null 2>&1; then
           if getent hosts "$path" >/dev/null 2>&1; then result=resolved; else result=failed; fi
         else result=no-resolver; fi
         echo "dns:$path=$result"; continue ;;
  esac
  probe_file="$path/.docker-sandbox-check-$$"
  case "$probe" in
    w:*) if (: >"$probe_file") 2>/dev/null; then rm -f "$probe_file"; echo "write:$path=yes"; else echo "write:$path=no"; fi ;;
    x:*) # Named sh, so that a multi-call binary such as busybox still knows what to be.
         if mkdir "$probe_file" 2>/dev/null && cp /bin/sh "$probe_file/sh" 2>/dev/null; then
           if "$probe_file/sh" -c true 2>/dev/null; then echo "exec:$path=yes"; else echo "exec:$path=no"; fi
         else echo "exec:$path=cannot-write"; fi
         rm -rf "$probe_file" ;;
  esac
done
)sh";


struct Probe
{
  std::string path;
  bool read_only;                  // the mount's own flag
  std::optional<bool> writable;    // by the sandbox user, when the settings decide it
  std::optional<bool> exec;        // tmpfs only
};

// Every mount the settings say something about. Writability by the sandbox user is promised
// for what the plugin hands to that user (tmpfs, the output directory, the output volume) and
// denied for read-only mounts; a writable workspace or volume also depends on its owner.
std::vector<Probe> probes(const RunOptions& options)
{
  std::vector<Probe> out;
  out.push_back({"/", options.read_only_root, std::nullopt, std::nullopt});
  for (const BindSpec& bind : options.binds) {
    bool handed_over = options.output && bind.source == *options.output;
    out.push_back({bind.target, bind.read_only, bind.read_only ? std::optional<bool>(false)
                                                : handed_over ? std::optional<bool>(true) : std::nullopt, std::nullopt});
  }
  for (const TmpfsSpec& spec : options.tmpfs) {
    bool read_only = std::find(spec.extra.begin(), spec.extra.end(), "ro") != spec.extra.end();
    out.push_back({spec.target, read_only, !read_only, read_only ? std::nullopt : std::optional<bool>(spec.exec)});
  }
  for (const VolumeMount& mount : options.volumes) {
    out.push_back({mount.target, mount.read_only, mount.read_only ? std::optional<bool>(false) : std::nullopt, std::nullopt});
  }
  for (const InputSpec& input : options.inputs) {
    out.push_back({input.mount.target, true, false, std::nullopt});
  }
  if (options.output_volume) {
    out.push_back({options.output_volume->target, false, true, std::nullopt});
  }
  return out;
}

// The egress probes of a run with --allow-host, each with what the policy says of it, computed by
// the proxy's own Allowlist: the first rule that names one host and port, through the proxy; a
// name no rule allows; loopback and the metadata address through the proxy; a direct connection
// around the proxy (to the allowed address when the rule is one); a DNS lookup.
struct EgressProbe
{
  std::string arg;      // p:HOST:PORT, d:ADDRESS:PORT or n:NAME
  std::string key;      // what the script reports it under
  std::string what;
  std::string expected; // allowed / denied, failed
};

std::vector<EgressProbe> egress_probes(const RunOptions& options)
{
  std::vector<EgressProbe> out;
  if (!options.egress) {
    return out;
  }
  egress::Allowlist allowlist(options.egress->allow, options.egress->engine_host_addresses);
  auto proxied = [&](const std::string& host, std::uint16_t port) {
    std::string target = host + ":" + std::to_string(port);
    std::optional<egress::Address> address = egress::Address::parse(host);
    bool allowed = address ? allowlist.decide(host, port, *address).allowed : allowlist.check_host(host, port).allowed;
    out.push_back({"p:" + target, "proxy:" + target, "through the proxy: " + target, allowed ? "allowed" : "denied"});
  };
  std::string direct = "192.0.2.1:443"; // TEST-NET-1: an address outside, when no rule names one
  for (const egress::Rule& rule : allowlist.rules()) {
    // A name, or one IPv4 address: the host as the rule wrote it, before any ":PORT".
    std::string host = rule.text.substr(0, rule.text.find(':'));
    bool address = rule.kind == egress::Rule::Kind::network && std::count(rule.text.begin(), rule.text.end(), ':') <= 1
                   && rule.text.find('/') == std::string::npos;
    if (rule.kind == egress::Rule::Kind::name || address) {
      proxied(rule.kind == egress::Rule::Kind::name ? rule.name : host, rule.ports.front());
      if (address) {
        direct = host + ":" + std::to_string(rule.ports.front());
      }
      break;
    }
  }
  proxied("docker-sandbox-check.invalid", 443);
  proxied("127.0.0.1", 80);
  proxied("169.254.169.254", 80);
  out.push_back({"d:" + direct, "direct:" + direct, "directly, around the proxy: " + direct, "failed"});
  std::string name = "docker-sandbox-check-" + options.run_id + ".test";
  out.push_back({"n:" + name, "dns:" + name, "DNS lookup of " + name, "failed"});
  return out;
}

std::string yes_no(bool value)
{
  return value ? "yes" : "no";
}

} // namespace

std::vector<std::string> check_command(const RunOptions& options)
{
  std::vector<std::string> command{"-c", std::string(k_script), "check"};
  for (const Probe& probe : probes(options)) {
    command.push_back("m:" + probe.path);
    command.push_back("w:" + probe.path);
    if (probe.exec) {
      command.push_back("x:" + probe.path);
    }
  }
  for (const EgressProbe& probe : egress_probes(options)) {
    command.push_back(probe.arg);
  }
  return command;
}

std::map<std::string, std::string> parse_check_output(const std::string& text)
{
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    std::size_t eq = line.rfind('=');
    if (eq != std::string::npos) {
      out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    start = end + 1;
  }
  return out;
}

std::vector<CheckRow> compare_check(const RunOptions& options, const std::map<std::string, std::string>& found)
{
  std::vector<CheckRow> rows;
  auto add = [&](const std::string& what, const std::string& key, const std::string& expected) {
    auto it = found.find(key);
    CheckRow row{what, expected, it == found.end() ? "?" : it->second, true};
    row.ok = expected.empty() || row.found == expected;
    rows.push_back(row);
  };
  // Behind gVisor the code's system calls reach gVisor's kernel, which has no seccomp filter of
  // its own to show and takes no-new-privileges as always set; the engine's seccomp profile and
  // the cgroup limits hold around gVisor on the host, where the code cannot look.
  bool gvisor = found.count("kernel") != 0 && found.at("kernel") == "gvisor";
  add("kernel the code talks to", "kernel", options.isolation == Isolation::gvisor ? "gvisor"
                                          : options.isolation == Isolation::runc ? "host" : "");
  add("user id", "uid", options.sandbox_uid ? std::to_string(*options.sandbox_uid) : "");
  add("group id", "gid", options.sandbox_gid ? std::to_string(*options.sandbox_gid) : "");
  std::optional<std::string> mask = capability_mask(options.cap_add);
  add("capabilities it could ever hold (CapBnd)", "cap_bnd", mask.value_or(""));
  bool root = options.sandbox_uid && *options.sandbox_uid == 0;
  add("capabilities in effect (CapEff)", "cap_eff",
      mask ? (root ? *mask : std::string(16, '0')) : "");
  add("no-new-privileges", "no_new_privs", options.no_new_privileges ? "1" : "0");
  add("seccomp mode (2: filter)", "seccomp", options.seccomp == "unconfined" ? "0" : "2");
  add("network interfaces", "interfaces", options.network == "none" ? "lo" : "");
  if (options.network != "none") {
    CheckRow& row = rows.back();
    row.expected = "more than lo";
    row.ok = row.found != "lo" && row.found != "?";
  }
  add("process limit", "pids_max", options.pids_limit > 0 ? std::to_string(options.pids_limit) : "max");
  CheckRow memory{"memory limit (bytes)", options.memory > 0 ? std::to_string(options.memory) : "none", "?", true};
  if (auto it = found.find("memory_max"); it != found.end()) {
    memory.found = it->second;
    // Unlimited reads "max" (cgroup v2) or a number near 2^63 (v1).
    bool unlimited = memory.found == "max" || memory.found.size() >= 18;
    memory.ok = options.memory > 0 ? memory.found == memory.expected : unlimited;
  }
  rows.push_back(memory);
  if (options.pids_limit <= 0) {
    CheckRow& pids = rows[rows.size() - 2];
    pids.ok = pids.found == "max" || pids.found == "?";
  }
  if (gvisor) {
    auto explain = [&](const std::string& key, const std::string& says, bool holds) {
      auto row = std::find_if(rows.begin(), rows.end(), [&](const CheckRow& r) { return r.what.rfind(key, 0) == 0; });
      if (row != rows.end() && !row->ok && holds) {
        row->found = says;
        row->ok = true;
      }
    };
    explain("no-new-privileges", "always (gVisor)", options.no_new_privileges);
    explain("seccomp mode", "gVisor's kernel", options.seccomp != "unconfined");
    explain("process limit", "on the host", true);
    explain("memory limit", "on the host", true);
  }
  for (const Probe& probe : probes(options)) {
    add("mount " + probe.path, "mount:" + probe.path, probe.read_only ? "ro" : "rw");
    add("write " + probe.path + " as the sandbox user", "write:" + probe.path,
        probe.writable ? yes_no(*probe.writable) : "");
    if (probe.exec) {
      add("execute from " + probe.path, "exec:" + probe.path, yes_no(*probe.exec));
    }
  }
  for (const EgressProbe& probe : egress_probes(options)) {
    add(probe.what, probe.key, probe.expected);
    CheckRow& row = rows.back();
    if (row.found == "unreachable" && row.expected == "allowed") {
      row.found = "allowed (the host did not answer)"; // the proxy let it through: the policy held
      row.ok = true;
    } else if (row.found.rfind("no-", 0) == 0 && row.found != "no-answer") {
      row.found = "not checked: the image has no " + row.found.substr(3);
      row.ok = true;
    }
  }
  return rows;
}

std::string check_note(const std::map<std::string, std::string>& found)
{
  auto it = found.find("kernel");
  if (it == found.end() || it->second != "gvisor") {
    return "";
  }
  return "behind gVisor: the code's system calls are answered by gVisor's kernel, not the host's; seccomp, "
         "no-new-privileges and the process and memory limits hold around gVisor on the host, out of the code's sight";
}

void make_self_check(RunOptions& options)
{
  options.entrypoint = "/bin/sh";
  options.command = check_command(options);
  options.interactive = options.tty = false;
  options.collects.clear();
  options.output_volume.reset();
}

} // namespace sandbox::run
