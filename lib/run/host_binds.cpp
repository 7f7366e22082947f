#include "run/host_binds.h"

#include "run/volume_options.h"
#include "util/error.h"
#include "util/paths.h"
#include "util/printable.h"

#include <sys/stat.h>

namespace sandbox::run {

namespace {

constexpr const char* k_secret_names[] = {".ssh", ".gnupg", ".aws", ".docker", ".kube", ".netrc", ".git-credentials",
                                          ".password-store"};

// The engine's unix sockets this user could reach: whoever has one in the sandbox owns the host.
std::vector<std::string> engine_sockets(const HostFacts& host)
{
  std::vector<std::string> sockets{"/run/docker.sock", "/var/run/docker.sock", "/run/podman/podman.sock",
                                   "/run/containerd/containerd.sock"};
  if (std::optional<std::string> docker_host = engine::non_empty(host.env, "DOCKER_HOST");
      docker_host && docker_host->starts_with("unix://")) {
    sockets.push_back(docker_host->substr(7));
  }
  if (std::optional<std::string> runtime = engine::non_empty(host.env, "XDG_RUNTIME_DIR")) {
    sockets.push_back(*runtime + "/docker.sock");
    sockets.push_back(*runtime + "/podman/podman.sock");
  }
  return sockets;
}

} // namespace

std::string secrets_held_by(const std::string& path, const HostFacts& host)
{
  if (path == "/") {
    return "the root of the filesystem";
  }
  std::optional<std::string> home = engine::non_empty(host.env, "HOME");
  std::string real_home = home ? absolute_path(*home, "/") : "";
  if (!real_home.empty() && real_home == path) {
    return "your home directory";
  }
  if (!real_home.empty() && is_within(real_home, path)) {
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

BindSpec resolve_host_bind(const HostBindRequest& request, const HostFacts& host)
{
  const std::string& what = request.typed;
  if (has_unsafe_character(request.source)) {
    throw UsageError(what + ": the host path contains control characters");
  }
  BindSpec bind;
  bind.role = BindRole::host;
  bind.read_only = request.read_only;
  bind.target = sandbox_path(request.target, what + ": the path in the sandbox");
  std::string named = resolve_named_path(request.source, host.cwd, host.cwd, what);
  bind.source = is_within(named, host.cwd) ? named : absolute_path(named, "/");
  struct stat st{};
  if (::stat(bind.source.c_str(), &st) != 0) {
    throw UsageError(what + ": " + bind.source + " does not exist (a sandbox binds only what is there)");
  }
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
    throw UsageError(what + ": " + bind.source + " is not a directory or a regular file (--device passes devices)");
  }
  std::string real = absolute_path(bind.source, "/");
  std::string refused = S_ISDIR(st.st_mode) ? secrets_held_by(real, host) : "";
  std::optional<std::string> home = engine::non_empty(host.env, "HOME");
  std::string real_home = home ? absolute_path(*home, "/") : "";
  for (const char* secret : k_secret_names) {
    if (refused.empty() && !real_home.empty() && is_within(real, real_home + "/" + secret)) {
      refused = "part of your " + std::string(secret);
    }
  }
  std::string config = host.config_dir.empty() ? "" : absolute_path(host.config_dir, host.cwd);
  if (refused.empty() && !config.empty() && is_within(real, config)) {
    refused = "part of your Docker config";
  }
  for (const std::string& socket : engine_sockets(host)) {
    std::string real_socket = absolute_path(socket, "/");
    struct stat socket_st{};
    if (refused.empty() && ::stat(real_socket.c_str(), &socket_st) == 0 && is_within(real_socket, real)) {
      refused = (real_socket == real ? "the engine's socket " : "a directory that holds the engine's socket ") + real_socket
                + " (whoever reaches it controls the host)";
    }
  }
  if (!refused.empty()) {
    throw UsageError(what + ": " + real + " is " + refused + "; refusing to bind it into a sandbox");
  }
  return bind;
}

} // namespace sandbox::run
