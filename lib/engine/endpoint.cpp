#include "engine/endpoint.h"

#include "util/error.h"
#include "util/file.h"
#include "util/json.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace sandbox::engine {

namespace {

const char* const k_default_unix_socket = "/var/run/docker.sock";

std::string trim(const std::string& text)
{
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return "";
  }
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

void parse_tcp(const std::string& rest, const std::string& original, Endpoint& out)
{
  // rest is what follows "tcp://": [host][:port][/path]
  std::size_t slash = rest.find('/');
  std::string host_port = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  std::string host = host_port;
  std::string port_text;
  if (!host_port.empty() && host_port[0] == '[') {
    std::size_t close = host_port.find(']');
    if (close == std::string::npos) {
      throw Error("invalid bind address format: " + original);
    }
    host = host_port.substr(1, close - 1);
    if (close + 1 < host_port.size()) {
      if (host_port[close + 1] != ':') {
        throw Error("invalid bind address format: " + original);
      }
      port_text = host_port.substr(close + 2);
    }
  } else if (std::size_t colon = host_port.rfind(':'); colon != std::string::npos) {
    host = host_port.substr(0, colon);
    port_text = host_port.substr(colon + 1);
  }
  if (host.empty()) {
    host = "localhost";
  }
  int port = 2375;
  if (!port_text.empty()) {
    if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5) {
      throw Error("invalid bind address format: " + original);
    }
    port = std::stoi(port_text);
    if (port == 0 || port > 65535) {
      throw Error("invalid bind address format: " + original);
    }
  }
  if (path == "/") {
    path.clear();
  }
  out.transport = TransportKind::tcp;
  out.address = host;
  out.port = port;
  out.path_prefix = path;
  std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out.host = "tcp://" + shown_host + ":" + std::to_string(port) + path;
}

std::vector<std::pair<std::string, std::string>> custom_headers(const Environment& env,
                                                                const ConfigFile& config)
{
  // DOCKER_CUSTOM_HEADERS (name=value,name=value) replaces config.json's HttpHeaders rather than
  // adding to them, as in docker/cli cli/command/cli.go withCustomHeadersFromEnv: names are
  // trimmed, values kept as written, a pair with an empty value is ignored, and a later pair
  // overrides an earlier one with the same name. (Its CSV quoting is not supported.)
  std::optional<std::string> list = non_empty(env, "DOCKER_CUSTOM_HEADERS");
  if (!list) {
    return config.http_headers;
  }
  const std::string prefix = "failed to set custom headers from DOCKER_CUSTOM_HEADERS environment variable: ";
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = list->find(',', start);
    std::string item = list->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::size_t eq = item.find('=');
    std::string name = trim(item.substr(0, eq));
    if (name.empty()) {
      throw Error(prefix + "value contains a key=value pair with an empty key");
    }
    if (eq == std::string::npos) {
      throw Error(prefix + "missing \"=\" in key=value pair \"" + item + "\"");
    }
    std::string value = item.substr(eq + 1);
    if (!value.empty()) {
      auto same_name = [&](const std::pair<std::string, std::string>& header) {
        return std::equal(header.first.begin(), header.first.end(), name.begin(), name.end(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        });
      };
      auto existing = std::find_if(headers.begin(), headers.end(), same_name);
      if (existing != headers.end()) {
        existing->second = value;
      } else {
        headers.emplace_back(name, value);
      }
    }
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return headers;
}

std::optional<TlsFiles> default_context_tls(const GlobalOptions& options, const Environment& env,
                                            const ConfigFile& config)
{
  bool verify = options.tls_verify.value_or(non_empty(env, "DOCKER_TLS_VERIFY").has_value());
  // --tlsverify given at all, even as --tlsverify=false, turns TLS on (docker/cli SetDefaultOptions).
  bool tls = verify || options.tls_verify.has_value() || options.tls.value_or(non_empty(env, "DOCKER_TLS").has_value());
  if (!tls) {
    return std::nullopt;
  }
  std::string dir = non_empty(env, "DOCKER_CERT_PATH").value_or(config.dir);
  TlsFiles files;
  files.verify = verify;
  files.ca_file = options.tls_ca_cert.value_or(dir + "/ca.pem");
  if (!path_exists(files.ca_file)) {
    throw Error("unable to resolve docker endpoint: open " + files.ca_file + ": no such file or directory");
  }
  // A missing cert or key is dropped silently unless it was named by a flag.
  auto pick = [&](const std::optional<std::string>& flag, const std::string& fallback) -> std::string {
    if (flag) {
      if (!path_exists(*flag)) {
        throw Error("unable to resolve docker endpoint: open " + *flag + ": no such file or directory");
      }
      return *flag;
    }
    return path_exists(fallback) ? fallback : "";
  };
  files.cert_file = pick(options.tls_cert, dir + "/cert.pem");
  files.key_file = pick(options.tls_key, dir + "/key.pem");
  if (files.cert_file.empty() != files.key_file.empty()) {
    files.cert_file.clear();
    files.key_file.clear();
  }
  return files;
}

bool is_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void validate_context_name(const std::string& name)
{
  // ^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$ (docker/cli cli/context/store)
  bool valid = name.size() >= 2 && is_alnum(name[0])
               && std::all_of(name.begin() + 1, name.end(), [](char c) {
                    return is_alnum(c) || c == '_' || c == '.' || c == '+' || c == '-';
                  });
  if (!valid) {
    throw Error("context \"" + name + "\": invalid context name: names must match ^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$");
  }
}

Endpoint load_stored_context(const std::string& name, const ConfigFile& config)
{
  validate_context_name(name);
  std::string digest = context_digest(name);
  std::string meta_path = config.dir + "/contexts/meta/" + digest + "/meta.json";
  std::optional<std::string> text = read_file_if_exists(meta_path);
  if (!text) {
    throw Error("context \"" + name + "\": context not found: open " + meta_path + ": no such file or directory",
                "list contexts with `docker context ls`");
  }
  json::Value meta;
  try {
    meta = json::parse(*text);
  } catch (const json::JsonError& e) {
    throw Error("context \"" + name + "\": " + meta_path + ": " + e.what());
  }
  const json::Value& docker = meta["Endpoints"]["docker"];
  std::string host = docker.string_or("Host");
  if (host.empty()) {
    throw Error("context \"" + name + "\": no docker endpoint in " + meta_path);
  }
  Endpoint endpoint;
  endpoint.context = name;
  parse_host(host, false, endpoint);

  bool skip_verify = docker["SkipTLSVerify"].is_bool() && docker["SkipTLSVerify"].as_bool();
  std::string tls_dir = config.dir + "/contexts/tls/" + digest + "/docker";
  bool has_tls_dir = path_exists(tls_dir);
  if (endpoint.transport == TransportKind::tcp && (has_tls_dir || skip_verify)) {
    TlsFiles files;
    files.verify = !skip_verify;
    if (path_exists(tls_dir + "/ca.pem")) {
      files.ca_file = tls_dir + "/ca.pem";
    }
    if (path_exists(tls_dir + "/cert.pem") && path_exists(tls_dir + "/key.pem")) {
      files.cert_file = tls_dir + "/cert.pem";
      files.key_file = tls_dir + "/key.pem";
    }
    endpoint.tls = files;
  }
  return endpoint;
}

bool plain_ssh_word(const std::string& word)
{
  if (word.empty() || word[0] == '-') {
    return false;
  }
  for (char c : word) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

// For ssh://[user@]host[:port], the command the docker CLI's ssh connection helper runs itself
// (cli/connhelper/ssh): `ssh -o ConnectTimeout=30 -T [-l user] [-p port] -- host docker system
// dial-stdio`. Running `docker -H ssh://... system dial-stdio` instead costs two ssh logins per
// connection, since that CLI pings the engine over a session of its own before it dials. Anything
// else (a socket path, IPv6, characters a remote shell would read) is left to the docker CLI.
std::optional<std::vector<std::string>> direct_ssh_command(const std::string& url)
{
  if (url.rfind("ssh://", 0) != 0) {
    return std::nullopt;
  }
  std::string rest = url.substr(6);
  std::string user;
  std::size_t at = rest.find('@');
  if (at != std::string::npos) {
    user = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (!plain_ssh_word(user)) {
      return std::nullopt;
    }
  }
  std::string port;
  std::size_t colon = rest.find(':');
  if (colon != std::string::npos) {
    port = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
  }
  if (!plain_ssh_word(rest)) {
    return std::nullopt;
  }
  std::vector<std::string> command{"ssh", "-o", "ConnectTimeout=30", "-T"};
  if (!user.empty()) {
    command.insert(command.end(), {"-l", user});
  }
  if (!port.empty()) {
    command.insert(command.end(), {"-p", port});
  }
  command.insert(command.end(), {"--", rest, "docker", "system", "dial-stdio"});
  return command;
}

std::vector<std::string> dial_stdio_command(const std::string& url, const GlobalOptions& options, const Environment& env)
{
  if (std::optional<std::vector<std::string>> ssh = direct_ssh_command(url)) {
    return *ssh;
  }
  std::vector<std::string> command{non_empty(env, "DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND").value_or("docker")};
  command.insert(command.end(), options.verbatim.begin(), options.verbatim.end());
  if (!command.empty() && command.back() == "--") {
    command.pop_back();
  }
  command.push_back("system");
  command.push_back("dial-stdio");
  return command;
}

} // namespace

std::string context_digest(const std::string& name)
{
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest);
  std::string hex;
  char byte[3];
  for (unsigned char c : digest) {
    std::snprintf(byte, sizeof byte, "%02x", c);
    hex += byte;
  }
  return hex;
}

void parse_host(const std::string& text, bool default_to_tls, Endpoint& out)
{
  std::string host = trim(text);
  if (host.empty()) {
    host = default_to_tls ? "tcp://localhost:2376" : std::string("unix://") + k_default_unix_socket;
  }
  std::size_t sep = host.find("://");
  std::string scheme = sep == std::string::npos ? "tcp" : host.substr(0, sep);
  std::string rest = sep == std::string::npos ? host : host.substr(sep + 3);
  if (scheme == "tcp") {
    parse_tcp(rest, text, out);
  } else if (scheme == "unix") {
    out.transport = TransportKind::unix_socket;
    out.address = rest.empty() ? k_default_unix_socket : rest;
    out.host = "unix://" + out.address;
  } else if (scheme == "ssh" || scheme == "fd" || scheme == "npipe") {
    out.transport = TransportKind::dial_stdio;
    out.address = host;
    out.host = host;
  } else {
    throw Error("invalid bind address format: " + text);
  }
}

std::string resolve_context_name(const GlobalOptions& options, const Environment& env,
                                 const ConfigFile& config)
{
  if (options.context) {
    return *options.context;
  }
  if (options.host || non_empty(env, "DOCKER_HOST")) {
    return "default";
  }
  if (std::optional<std::string> name = non_empty(env, "DOCKER_CONTEXT")) {
    return *name;
  }
  return config.current_context.value_or("default");
}

Endpoint resolve_endpoint(const GlobalOptions& options, const Environment& env, const ConfigFile& config)
{
  std::string name = resolve_context_name(options, env, config);
  Endpoint endpoint;
  if (name == "default") {
    std::optional<TlsFiles> tls = default_context_tls(options, env, config);
    std::string host = options.host.value_or(non_empty(env, "DOCKER_HOST").value_or(""));
    endpoint.context = "default";
    parse_host(host, tls.has_value(), endpoint);
    if (endpoint.transport == TransportKind::tcp) {
      endpoint.tls = tls;
    }
  } else {
    endpoint = load_stored_context(name, config);
  }
  if (endpoint.transport == TransportKind::dial_stdio) {
    endpoint.dial_stdio_command = dial_stdio_command(endpoint.address, options, env);
  }
  endpoint.headers = custom_headers(env, config);
  endpoint.pinned_api_version = non_empty(env, "DOCKER_API_VERSION");
  return endpoint;
}

} // namespace sandbox::engine
