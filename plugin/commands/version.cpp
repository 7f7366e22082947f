#include "commands.h"

#include "engine/engine_features.h"
#include "format/listing.h"
#include "util/error.h"
#include "util/json.h"
#include "util/printable.h"

#include <exception>
#include <optional>
#include <ostream>

namespace sandbox::cli {

cxxopts::Options version_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "version", "[OPTIONS]");
  options.add_options()
    ("f,format", "Format output: text (the default), json, or a Go template such as '{{.Server.Version}}'",
     cxxopts::value<std::string>()->default_value("text"), "FORMAT")
    ("short", "Print the plugin's version only")
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
  std::string format = (*parsed)["format"].as<std::string>();
  if (format != "text") {
    format::Template(format == "json" ? "{{json .}}" : format); // a bad template fails before the engine is asked
  }
  if (parsed->count("short")) {
    ctx.out() << SANDBOX_VERSION << '\n';
    return 0;
  }

  // As `docker version`: the client's part first, then, with no engine, the error.
  engine::EngineClient& client = ctx.client();
  std::optional<engine::ApiVersion> api;
  json::Value server;
  std::exception_ptr unreachable;
  try {
    api = client.api_version();
    server = client.get_json("/version");
  } catch (const Error&) {
    unreachable = std::current_exception();
  }
  std::string api_text = api ? api->str() : engine::k_max_api_version.str();

  if (format != "text") {
    json::Value out = json::Value::object();
    json::Value plugin = json::Value::object();
    plugin.set("Version", SANDBOX_VERSION);
    plugin.set("ApiVersion", api_text);
    plugin.set("MinApiVersion", engine::k_min_api_version.str());
    plugin.set("MaxApiVersion", engine::k_max_api_version.str());
    plugin.set("Context", client.endpoint().context);
    plugin.set("Endpoint", client.endpoint().host);
    out.set("Client", std::move(plugin));
    out.set("Server", std::move(server));
    ctx.out() << format::render_one(format, {std::move(out), std::nullopt});
  } else {
    ctx.out() << "Client: docker-sandbox\n"
              << " Version:       " << SANDBOX_VERSION << '\n'
              << " API version:   " << api_text << (client.pinned() ? " (pinned)" : api ? " (negotiated)" : "")
              << ", plugin speaks " << engine::k_min_api_version.str() << " to " << engine::k_max_api_version.str() << '\n'
              << " Context:       " << client.endpoint().context << '\n'
              << " Endpoint:      " << client.endpoint().host << '\n';
  }
  if (unreachable) {
    ctx.out().flush();
    std::rethrow_exception(unreachable);
  }
  if (format != "text") {
    return 0;
  }
  // The engine's words, each on its own line: a newline in them would forge another.
  auto said = [&](std::string_view key, const char* fallback) { return printable(server.string_or(key, fallback)); };
  ctx.out() << "\nServer: " << printable(engine::features_of(client.identity()).server) << '\n'
            << " Version:       " << said("Version", "unknown") << '\n'
            << " API version:   " << said("ApiVersion", "unknown") << " (minimum version " << said("MinAPIVersion", "unknown") << ")\n"
            << " OS/Arch:       " << said("Os", "?") << '/' << said("Arch", "?") << '\n'
            << " Kernel:        " << said("KernelVersion", "unknown") << '\n';
  return 0;
}

} // namespace sandbox::cli
