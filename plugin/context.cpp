#include "context.h"

#include "util/error.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <ostream>

namespace sandbox::cli {

CommandContext::CommandContext(engine::GlobalOptions globals, engine::Environment env, bool standalone,
                               std::ostream& out, std::ostream& err)
  : m_globals(std::move(globals)),
    m_env(std::move(env)),
    m_program(standalone ? "docker-sandbox" : "docker sandbox"),
    m_out(out),
    m_err(err)
{
}

std::string CommandContext::config_dir() const
{
  // Absolute: a relative DOCKER_CONFIG would follow the current directory into a project.
  return absolute_path(engine::resolve_config_dir(m_globals, m_env), current_directory());
}

const engine::ConfigFile& CommandContext::config()
{
  if (!m_config) {
    m_config = engine::load_config_file(config_dir());
    for (const std::string& warning : m_config->warnings) {
      warn(warning);
    }
  }
  return *m_config;
}

const engine::Endpoint& CommandContext::endpoint()
{
  if (!m_endpoint) {
    m_endpoint = engine::resolve_endpoint(m_globals, m_env, config());
  }
  return *m_endpoint;
}

engine::EngineClient& CommandContext::client(const std::optional<std::string>& pinned)
{
  if (!m_client) {
    std::optional<engine::ApiVersion> version;
    if (pinned) {
      version = engine::check_pinned(*pinned);
    } else if (const std::optional<std::string>& text = endpoint().pinned_api_version) {
      bool clamped = false;
      version = engine::clamp_pinned(*text, clamped);
      if (clamped) {
        // Negotiated instead, up to the newest we speak: what the engine offers, if older.
        version.reset();
        warn("DOCKER_API_VERSION " + *text + " is newer than docker-sandbox speaks (" + engine::k_max_api_version.str()
             + "); negotiating with the engine instead");
      }
    }
    m_client = std::make_unique<engine::EngineClient>(endpoint(), version);
    m_client->observe([this](const std::string& method, const std::string& target) {
      plan::Step lookup = plan::make_step("lookup-" + std::to_string(m_lookups.size() + 1),
                                          "read what the plan depends on (sent now, in a dry run too)", method, target);
      lookup.kind = plan::StepKind::lookup;
      m_lookups.push_back(std::move(lookup));
    });
    // How long to wait for an engine that stops answering (default 120 s for replies read whole).
    if (std::optional<std::string> limit = engine::non_empty(m_env, "DOCKER_SANDBOX_ENGINE_TIMEOUT")) {
      std::optional<std::int64_t> seconds = parse_integer(*limit);
      if (!seconds || *seconds <= 0 || *seconds > 86400) {
        throw UsageError("invalid DOCKER_SANDBOX_ENGINE_TIMEOUT \"" + *limit + "\": expected seconds from 1 to 86400");
      }
      m_client->limit_time(static_cast<int>(*seconds));
    }
  }
  return *m_client;
}

void CommandContext::warn(const std::string& text)
{
  m_err << "docker sandbox: warning: " << printable(text) << '\n';
}

} // namespace sandbox::cli
