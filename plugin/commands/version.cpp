#include "commands.h"

#include "engine/engine_features.h"
#include "util/error.h"
#include "util/json.h"

#include <ostream>

namespace sandbox::cli {

cxxopts::Options version_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "version", "[OPTIONS]");
  options.add_options()
    ("format", "Output format: text or json", cxxopts::value<std::string>()->default_value("text"), "FORMAT")
    ("h,help", "Print usage");
  return options;
}

int run_version(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = version_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  std::string format = choice("--format", (*parsed)["format"].as<std::string>(), {"text", "json"});

  engine::EngineClient& client = ctx.client();
  engine::ApiVersion api = client.api_version();
  json::Value server = client.get_json("/version");

  if (format == "json") {
    json::Value out = json::Value::object();
    json::Value plugin = json::Value::object();
    plugin.set("Version", SANDBOX_VERSION);
    plugin.set("ApiVersion", api.str());
    plugin.set("MinApiVersion", engine::k_min_api_version.str());
    plugin.set("MaxApiVersion", engine::k_max_api_version.str());
    plugin.set("Context", client.endpoint().context);
    plugin.set("Endpoint", client.endpoint().host);
    out.set("Client", std::move(plugin));
    out.set("Server", std::move(server));
    ctx.out() << out.pretty() << '\n';
    return 0;
  }
  ctx.out() << "Client: docker-sandbox\n"
            << " Version:       " << SANDBOX_VERSION << '\n'
            << " API version:   " << api.str() << (client.pinned() ? " (pinned)" : " (negotiated)")
            << ", plugin speaks " << engine::k_min_api_version.str() << " to " << engine::k_max_api_version.str() << '\n'
            << " Context:       " << client.endpoint().context << '\n'
            << " Endpoint:      " << client.endpoint().host << "\n\n"
            << "Server: " << engine::features_of(client.identity()).server << '\n'
            << " Version:       " << server.string_or("Version", "unknown") << '\n'
            << " API version:   " << server.string_or("ApiVersion", "unknown") << " (minimum version "
            << server.string_or("MinAPIVersion", "unknown") << ")\n"
            << " OS/Arch:       " << server.string_or("Os", "?") << '/' << server.string_or("Arch", "?") << '\n'
            << " Kernel:        " << server.string_or("KernelVersion", "unknown") << '\n';
  return 0;
}

} // namespace sandbox::cli
