#pragma once

// What every command gets: the global flags, the environment, output streams, and the engine
// connection, resolved lazily so that commands which never talk to the engine never resolve it.

#include "engine/config_file.h"
#include "engine/endpoint.h"
#include "engine/engine_client.h"
#include "engine/environment.h"
#include "engine/global_options.h"
#include "plan/plan.h"

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::cli {

class CommandContext
{
public:
  CommandContext(engine::GlobalOptions globals, engine::Environment env, bool standalone,
                 std::ostream& out, std::ostream& err);

  const engine::GlobalOptions& globals() const { return m_globals; }
  const engine::Environment& env() const { return m_env; }
  // "docker sandbox" through the CLI, "docker-sandbox" standalone: used in usage lines.
  const std::string& program() const { return m_program; }
  std::ostream& out() { return m_out; }
  std::ostream& err() { return m_err; }

  // The Docker config dir (--config, DOCKER_CONFIG, ~/.docker), as an absolute path.
  std::string config_dir() const;
  const engine::ConfigFile& config();
  const engine::Endpoint& endpoint();
  // The engine client. `pinned` (from --api-version) wins over DOCKER_API_VERSION; without either
  // the version is negotiated on first use.
  engine::EngineClient& client(const std::optional<std::string>& pinned = std::nullopt);

  // The requests sent through client() so far, as lookup steps: a dry run shows them before its
  // plan, because the plan was made from their replies.
  const std::vector<plan::Step>& lookups() const { return m_lookups; }

  // Prints "docker sandbox: warning: <text>" on stderr, on one line whatever `text` holds.
  void warn(const std::string& text);

private:
  engine::GlobalOptions m_globals;
  engine::Environment m_env;
  std::string m_program;
  std::ostream& m_out;
  std::ostream& m_err;
  std::optional<engine::ConfigFile> m_config;
  std::optional<engine::Endpoint> m_endpoint;
  std::unique_ptr<engine::EngineClient> m_client;
  std::vector<plan::Step> m_lookups;
};

} // namespace sandbox::cli
