#pragma once

// The docker CLI's global flags (typed before `sandbox`), which the CLI passes to the plugin
// verbatim and does not turn into environment variables.

#include <optional>
#include <string>
#include <vector>

namespace sandbox::engine {

struct GlobalOptions
{
  std::optional<std::string> config_dir;  // --config
  std::optional<std::string> context;     // -c, --context
  std::optional<std::string> host;        // -H, --host (only one allowed)
  bool debug = false;                     // -D, --debug
  std::optional<std::string> log_level;   // -l, --log-level
  std::optional<bool> tls;                // --tls (unset: DOCKER_TLS decides)
  std::optional<bool> tls_verify;         // --tlsverify (unset: DOCKER_TLS_VERIFY decides)
  std::optional<std::string> tls_ca_cert; // --tlscacert
  std::optional<std::string> tls_cert;    // --tlscert
  std::optional<std::string> tls_key;     // --tlskey
  bool help = false;                      // -h, --help (root only)
  bool version = false;                   // -v, --version (root only)
  std::vector<std::string> verbatim;      // the flags as typed, to hand to `docker ... system dial-stdio`
};

struct ParsedGlobals
{
  GlobalOptions options;
  std::size_t next = 0; // index of the first word that is not a global flag
};

// Parses pflag-style global flags from the start of `args` (argv without argv[0]) and stops at
// the first non-flag word or after `--`. Throws UsageError on unknown flags, missing values, a
// second -H, -H together with --context, or an invalid log level.
ParsedGlobals parse_global_flags(const std::vector<std::string>& args);

} // namespace sandbox::engine
