#pragma once

// Which engine to talk to, resolved exactly as the docker CLI resolves it:
// -H, DOCKER_HOST, --context, DOCKER_CONTEXT, currentContext in config.json, default socket.

#include "engine/config_file.h"
#include "engine/environment.h"
#include "engine/global_options.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::engine {

struct TlsFiles
{
  std::string ca_file;   // empty: system roots
  std::string cert_file; // empty: no client certificate
  std::string key_file;
  bool verify = true;
};

enum class TransportKind {
  unix_socket, // address = socket path
  tcp,         // address = host name, port, optional TLS
  dial_stdio,  // ssh://, fd://, npipe:// ...: tunnelled through `docker ... system dial-stdio`
};

struct Endpoint
{
  std::string context;     // "default" or the context's name
  std::string host;        // the normalised URL, as `docker context inspect` would show it
  TransportKind transport = TransportKind::unix_socket;
  std::string address;     // socket path or TCP host name
  int port = 0;
  std::string path_prefix; // a path after tcp://host:port, kept as a URL prefix
  std::optional<TlsFiles> tls;
  std::vector<std::string> dial_stdio_command; // argv for dial_stdio transports
  std::vector<std::pair<std::string, std::string>> headers; // HttpHeaders, DOCKER_CUSTOM_HEADERS
  std::optional<std::string> pinned_api_version;            // DOCKER_API_VERSION
};

// The context name the CLI would use (first match wins): --context, "default" when -H or
// DOCKER_HOST is given, DOCKER_CONTEXT, currentContext, "default".
std::string resolve_context_name(const GlobalOptions& options, const Environment& env,
                                 const ConfigFile& config);

// Resolves the endpoint. Throws Error naming the context or file when a context is unknown,
// its metadata is unreadable, a TLS file is missing, or the host URL is invalid.
Endpoint resolve_endpoint(const GlobalOptions& options, const Environment& env, const ConfigFile& config);

// Parses a daemon host the way docker's opts.ParseHost does (no scheme means tcp; tcp without a
// port means 2375; empty means the default socket, or tcp://localhost:2376 under TLS).
// Fills host, transport, address, port and path_prefix. Throws Error on an invalid address.
void parse_host(const std::string& text, bool default_to_tls, Endpoint& out);

// The digest under which the context store keeps a context: hex SHA-256 of its name.
std::string context_digest(const std::string& name);

} // namespace sandbox::engine
