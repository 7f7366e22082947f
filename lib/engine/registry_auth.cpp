// A credential helper is the user's own program, named in their config.json, so it is trusted to
// run; what it prints is not trusted to be small or prompt. It runs with its output read through a
// pipe within a time limit and a size cap, its stderr discarded (the docker CLI does not show it
// either, and the terminal may be raw), and nothing it printed on success ever reaches a message:
// that is where the secret is.

#include "engine/registry_auth.h"

#include "util/error.h"
#include "util/json.h"
#include "util/printable.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

extern char** environ;

namespace sandbox::engine {

namespace {

constexpr const char* k_helper_prefix = "docker-credential-";
constexpr const char* k_token_username = "<token>";
constexpr const char* k_not_found = "credentials not found in native keychain";

std::string base64_decode_strict(const std::string& text)
{
  if (text.empty() || text.size() % 4 != 0) {
    throw Error("not base64");
  }
  std::vector<unsigned char> out(text.size() / 4 * 3 + 1);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) {
    throw Error("not base64");
  }
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) {
    --size; // EVP_DecodeBlock counts the padding as data
  }
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string base64url_encode(const std::string& data)
{
  std::vector<unsigned char> out(4 * ((data.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  std::string text(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
  for (char& c : text) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return text;
}

// The host name of an "auths" key that may be a URL (the docker CLI's ConvertToHostname).
std::string key_hostname(const std::string& key)
{
  std::string rest = key;
  if (std::size_t scheme = rest.find("://"); scheme != std::string::npos) {
    rest = rest.substr(scheme + 3);
  }
  return rest.substr(0, rest.find('/'));
}

std::optional<std::string> find_on_path(const std::string& name, const Environment& env)
{
  std::string path = env("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string candidate = dir + "/" + name;
    struct stat st{};
    // A relative entry (or an empty one: the current directory) is never used, as Go's LookPath
    // refuses it: the current directory may be a project that planted a "helper" there.
    if (!dir.empty() && dir[0] == '/' && ::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return std::nullopt;
}

struct HelperRun
{
  int status = -1;       // the exit status, -1 when killed by a signal
  std::string output;    // its stdout
};

// Runs `program get` with `input` on stdin; kills it when it exceeds `limits`.
HelperRun run_helper(const std::string& program, const std::string& name, const std::string& input,
                     const HelperLimits& limits)
{
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) {
    throw Error(name + ": cannot make a pipe: " + std::strerror(errno));
  }
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    throw Error(name + ": cannot make a pipe: " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::string arg0 = name;
  std::string arg1 = "get";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = -1;
  int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(in[1]);
    ::close(out[0]);
    throw Error(name + ": cannot run " + program + ": " + std::strerror(spawned));
  }

  // The server name is far smaller than a pipe's buffer: one write, then the helper sees its end.
  // A helper that exits unread makes it fail with EPIPE (SIGPIPE is ignored by the plugin, and
  // blocked here for any other caller).
  sigset_t pipe_signal;
  sigset_t previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  (void)!::write(in[1], input.data(), input.size());
  ::close(in[1]);
  timespec none{0, 0};
  while (::sigtimedwait(&pipe_signal, nullptr, &none) > 0) {
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);

  HelperRun run;
  std::string failure;
  std::string within = " within " + std::to_string(limits.timeout.count() / 1000) + " seconds";
  auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = "did not answer" + within;
      break;
    }
    pollfd fd{out[0], POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      continue;
    }
    char buffer[4096];
    ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    run.output.append(buffer, static_cast<std::size_t>(n));
    if (run.output.size() > limits.max_output) {
      failure = "printed more than " + std::to_string(limits.max_output) + " bytes";
      break;
    }
  }
  ::close(out[0]);
  // Its output ended; its exit is waited for within the same deadline (it may have closed stdout
  // and gone on).
  int exited = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (failure.empty() && exited >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd fd{exited, POLLIN, 0};
    int ready = 0;
    while ((ready = ::poll(&fd, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)))) < 0 && errno == EINTR) {
    }
    if (ready == 0) {
      failure = "did not exit" + within;
    }
  }
  if (exited >= 0) {
    ::close(exited);
  }
  if (!failure.empty()) {
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!failure.empty()) {
    throw Error(name + " get " + failure);
  }
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

} // namespace

std::string registry_hostname(const std::string& image)
{
  std::size_t slash = image.find('/');
  if (slash == std::string::npos) {
    return "docker.io";
  }
  std::string first = image.substr(0, slash);
  bool upper = std::any_of(first.begin(), first.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (first.find_first_of(".:") == std::string::npos && first != "localhost" && !upper) {
    return "docker.io";
  }
  return first == "index.docker.io" ? "docker.io" : first;
}

std::string auth_config_key(const std::string& hostname)
{
  return hostname == "docker.io" ? k_docker_hub_auth_key : hostname;
}

std::pair<std::string, std::string> decode_auth_field(const std::string& field)
{
  std::string decoded;
  try {
    decoded = base64_decode_strict(field);
  } catch (const Error&) {
    throw Error("its \"auth\" field is not base64");
  }
  std::size_t colon = decoded.find(':');
  if (colon == std::string::npos || colon == 0) {
    throw Error("its \"auth\" field is not base64 of username:password");
  }
  std::string password = decoded.substr(colon + 1);
  while (!password.empty() && password.back() == '\0') {
    password.pop_back();
  }
  return {decoded.substr(0, colon), password};
}

std::optional<std::string> credential_source(const CredentialConfig& config, const std::string& key)
{
  if (auto helper = config.cred_helpers.find(key); helper != config.cred_helpers.end()) {
    return k_helper_prefix + helper->second + " (credHelpers in " + config.config_path + ")";
  }
  if (!config.creds_store.empty()) {
    return k_helper_prefix + config.creds_store + " (credsStore in " + config.config_path + ")";
  }
  if (config.auths.count(key) > 0) {
    return "auths in " + config.config_path;
  }
  for (const auto& [stored, auth] : config.auths) {
    if (key_hostname(stored) == key) {
      return "auths in " + config.config_path;
    }
  }
  return std::nullopt;
}

AuthConfig find_credentials(const CredentialConfig& config, const std::string& key, const Environment& env,
                            const HelperLimits& limits)
{
  std::string helper = config.creds_store;
  if (auto named = config.cred_helpers.find(key); named != config.cred_helpers.end()) {
    helper = named->second;
  }
  if (!helper.empty()) {
    try {
      return credential_helper_get(helper, key, env, limits);
    } catch (const Error& e) {
      std::string which = config.cred_helpers.count(key) > 0 ? "credHelpers" : "credsStore";
      throw Error(std::string("credentials for ") + key + ": " + e.what() + " (" + which + " in " + config.config_path + ")",
                  e.hint());
    }
  }
  if (auto exact = config.auths.find(key); exact != config.auths.end()) {
    return exact->second;
  }
  for (const auto& [stored, auth] : config.auths) {
    if (key_hostname(stored) == key) {
      return auth;
    }
  }
  return {};
}

AuthConfig credential_helper_get(const std::string& suffix, const std::string& server, const Environment& env,
                                 const HelperLimits& limits)
{
  std::string name = k_helper_prefix + suffix;
  if (suffix.empty() || suffix.find('/') != std::string::npos) {
    throw Error("\"" + printable(suffix) + "\" is not the name of a credential helper");
  }
  std::optional<std::string> program = find_on_path(name, env);
  if (!program) {
    throw Error(name + " was not found on PATH",
                "install it, or remove it from config.json to pull without credentials");
  }
  HelperRun run = run_helper(*program, name, server, limits);
  std::string said = run.output;
  said.erase(said.find_last_not_of(" \t\r\n") + 1); // the helper's final newline
  if (run.status != 0) {
    if (said == k_not_found) {
      return {};
    }
    // A failing helper prints its error on stdout (docker-credential-helpers' protocol), not a secret.
    std::string first_line = said.substr(0, said.find('\n')).substr(0, 200);
    throw Error(name + " get " + (run.status < 0 ? std::string("was killed") : "exited with status " + std::to_string(run.status))
                + (first_line.empty() ? "" : ": " + printable(first_line)));
  }
  json::Value reply;
  try {
    reply = json::parse(said);
  } catch (const json::JsonError&) {
    throw Error(name + " get printed something other than JSON credentials");
  }
  if (!reply.is_object()) {
    throw Error(name + " get printed something other than JSON credentials");
  }
  AuthConfig auth;
  std::string username = reply.string_or("Username");
  if (username == k_token_username) {
    auth.identity_token = reply.string_or("Secret");
  } else {
    auth.username = username;
    auth.password = reply.string_or("Secret");
  }
  if (!auth.empty()) {
    auth.server_address = server;
  }
  return auth;
}

std::string encode_registry_auth(const AuthConfig& auth)
{
  json::Value body = json::Value::object();
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) {
      body.set(name, value);
    }
  };
  add("username", auth.username);
  add("password", auth.password);
  add("serveraddress", auth.server_address);
  add("identitytoken", auth.identity_token);
  add("registrytoken", auth.registry_token);
  return base64url_encode(body.dump());
}

} // namespace sandbox::engine
