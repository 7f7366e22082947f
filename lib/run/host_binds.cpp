#include "run/host_binds.h"

#include "run/volume_options.h"
#include "util/error.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/printable.h"

#include <dirent.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace sandbox::run {

namespace {

constexpr const char* k_secret_names[] = {".ssh", ".gnupg", ".aws", ".docker", ".kube", ".netrc", ".git-credentials",
                                          ".password-store"};

// The invoker's home: $HOME, or the password database's when it is unset (sudo, cron).
std::string real_home(const HostFacts& host)
{
  std::optional<std::string> home = engine::non_empty(host.env, "HOME");
  if (!home) {
    if (const passwd* entry = ::getpwuid(static_cast<uid_t>(host.uid)); entry && entry->pw_dir && *entry->pw_dir) {
      home = entry->pw_dir;
    }
  }
  return home ? absolute_path(*home, "/") : "";
}

// Sockets that hand over the host or the user's session to whoever can connect (a read-only bind
// does not stop connect()): the engine's, the user's runtime directory (D-Bus, the user's
// engine), the ssh agent's, X11's.
std::vector<std::string> session_sockets(const HostFacts& host)
{
  std::vector<std::string> out{"/run/docker.sock", "/var/run/docker.sock", "/run/podman/podman.sock",
                               "/run/containerd/containerd.sock", "/run/dbus", "/tmp/.X11-unix",
                               "/run/user/" + std::to_string(host.uid)};
  if (std::optional<std::string> docker_host = engine::non_empty(host.env, "DOCKER_HOST");
      docker_host && docker_host->starts_with("unix://")) {
    out.push_back(docker_host->substr(7));
  }
  for (const char* name : {"XDG_RUNTIME_DIR", "SSH_AUTH_SOCK"}) {
    if (std::optional<std::string> path = engine::non_empty(host.env, name)) {
      out.push_back(*path);
    }
  }
  return out;
}

// A socket directly in `dir` (one directory read, bounded): a bind would let the sandbox connect.
std::string socket_in(const std::string& dir)
{
  DIR* stream = ::opendir(dir.c_str());
  if (!stream) {
    return "";
  }
  std::string found;
  int seen = 0;
  while (const dirent* entry = ::readdir(stream)) {
    if (++seen > 100000) {
      break;
    }
    if (entry->d_type == DT_SOCK) {
      found = dir + "/" + entry->d_name;
      break;
    }
  }
  ::closedir(stream);
  return found;
}

// A mount point strictly below `real` (from /proc/self/mountinfo): a read-only bind leaves what is
// mounted below it writable on engines before API 1.44, which make no recursive read-only binds.
std::string submount_of(const std::string& real)
{
  std::string text;
  try {
    text = read_regular_file("/proc/self/mountinfo", 16 * 1024 * 1024);
  } catch (const Error&) {
    return "";
  }
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    // id parent major:minor root MOUNTPOINT ...; the mount point escapes space, tab, \n and \ in octal.
    std::size_t field = 0;
    std::size_t at = 0;
    for (; field < 4 && at != std::string::npos; ++field) {
      at = line.find(' ', at);
      at = at == std::string::npos ? at : at + 1;
    }
    if (at == std::string::npos) {
      continue;
    }
    std::string escaped = line.substr(at, line.find(' ', at) - at);
    std::string point;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
      if (escaped[i] == '\\' && i + 3 < escaped.size()) {
        point += static_cast<char>(std::stoi(escaped.substr(i + 1, 3), nullptr, 8));
        i += 3;
      } else {
        point += escaped[i];
      }
    }
    if (point != real && is_within(point, real)) {
      return point;
    }
  }
  return "";
}

// Why `real` (the resolved source; `directory` when it is one) may not be bound, or "".
std::string why_refused(const std::string& real, bool directory, const HostFacts& host)
{
  struct statfs fs{};
  if (::statfs(real.c_str(), &fs) == 0
      && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC || fs.f_type == CGROUP_SUPER_MAGIC
          || fs.f_type == CGROUP2_SUPER_MAGIC || fs.f_type == DEBUGFS_MAGIC || fs.f_type == SECURITYFS_MAGIC)) {
    return "part of the kernel's view of the host (/proc, /sys): other processes' files and memory";
  }
  if (is_within(real, "/dev")) {
    return "part of /dev (--device passes one device)";
  }
  if (directory) {
    if (std::string secrets = secrets_held_by(real, host); !secrets.empty()) {
      return secrets;
    }
  }
  std::string home = real_home(host);
  for (const char* secret : k_secret_names) {
    if (!home.empty() && is_within(real, home + "/" + secret)) {
      return "part of your " + std::string(secret);
    }
  }
  std::string config = host.config_dir.empty() ? "" : absolute_path(host.config_dir, host.cwd);
  if (!config.empty() && is_within(real, config)) {
    return "part of your Docker config";
  }
  for (const std::string& socket : session_sockets(host)) {
    std::string real_socket = absolute_path(socket, "/");
    struct stat socket_st{};
    if (::stat(real_socket.c_str(), &socket_st) == 0 && is_within(real_socket, real)) {
      return "a directory that holds " + printable(real_socket) + " (a socket of the engine or of your session)";
    }
  }
  if (directory) {
    if (std::string socket = socket_in(real); !socket.empty()) {
      return "a directory that holds the socket " + printable(socket) + " (a read-only bind still lets the sandbox connect)";
    }
  }
  return "";
}

} // namespace

std::string secrets_held_by(const std::string& path, const HostFacts& host)
{
  if (path == "/") {
    return "the root of the filesystem";
  }
  std::string home = real_home(host);
  if (!home.empty() && home == path) {
    return "your home directory";
  }
  if (!home.empty() && is_within(home, path)) {
    return "a directory that holds your home directory";
  }
  for (const char* secret : k_secret_names) {
    struct stat st;
    if (::lstat((path + "/" + secret).c_str(), &st) == 0) {
      return "a directory that holds " + std::string(secret);
    }
  }
  std::string config = host.config_dir.empty() ? "" : absolute_path(host.config_dir, host.cwd);
  if (!config.empty() && is_within(config, path)) {
    return "a directory that holds your Docker config (" + config + ")";
  }
  return "";
}

BindSpec resolve_host_bind(const HostBindRequest& request, const HostFacts& host, const std::vector<std::string>& hostile)
{
  const std::string& what = request.typed;
  if (has_unsafe_character(request.source)) {
    throw UsageError(what + ": the host path contains control characters");
  }
  BindSpec bind;
  bind.role = BindRole::host;
  bind.read_only = request.read_only;
  bind.target = sandbox_path(request.target, what + ": the path in the sandbox");
  // Within the project, the workspace or the output (all of them hostile), no link is followed.
  std::string named = resolve_named_path(request.source, host.cwd, host.cwd, what);
  bool inside = false;
  for (const std::string& dir : hostile) {
    named = resolve_named_path(named, dir, host.cwd, what);
    inside = inside || is_within(named, dir);
  }
  bind.source = inside ? named : absolute_path(named, "/");
  struct stat st{};
  if (::stat(bind.source.c_str(), &st) != 0) {
    throw UsageError(what + ": " + printable(bind.source) + " does not exist (a sandbox binds only what is there)");
  }
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
    throw UsageError(what + ": " + printable(bind.source) + " is not a directory or a regular file (--device passes devices)");
  }
  std::string real = absolute_path(bind.source, "/");
  if (std::string refused = why_refused(real, S_ISDIR(st.st_mode), host); !refused.empty()) {
    throw UsageError(what + ": " + printable(real) + " is " + refused + "; refusing to bind it into a sandbox");
  }
  if (std::string below = bind.read_only && S_ISDIR(st.st_mode) ? submount_of(real) : ""; !below.empty()) {
    throw UsageError(what + ": " + printable(below) + " is mounted below " + printable(real)
                     + " and would stay writable in a read-only bind; bind it separately");
  }
  return bind;
}

} // namespace sandbox::run
