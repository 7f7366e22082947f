#include "invocation.h"

namespace sandbox::cli {

namespace {

const char* const k_plugin_name = "sandbox";

} // namespace

Invocation classify(const std::vector<std::string>& args, bool standalone)
{
  Invocation inv;
  inv.standalone = standalone;
  if (!args.empty() && args[0] == "docker-cli-plugin-metadata") {
    inv.mode = Mode::metadata;
    return inv;
  }
  if (!args.empty() && (args[0] == "__complete" || args[0] == "__completeNoDesc")) {
    inv.mode = args[0] == "__complete" ? Mode::complete : Mode::complete_bare;
    inv.words.assign(args.begin() + 1, args.end());
    // The CLI passes the plugin name; the legacy bash script does not. A lone word is the one
    // being completed, so it is never stripped.
    if (inv.words.size() > 1 && inv.words[0] == k_plugin_name) {
      inv.words.erase(inv.words.begin());
    }
    return inv;
  }

  engine::ParsedGlobals parsed = engine::parse_global_flags(args);
  inv.globals = parsed.options;
  inv.help = parsed.options.help;
  std::vector<std::string> rest(args.begin() + static_cast<long>(parsed.next), args.end());

  if (!rest.empty() && rest[0] == "help") {
    // `docker help sandbox W...` (or `docker-sandbox help W...`): usage of W.
    rest.erase(rest.begin());
    if (!rest.empty() && rest[0] == k_plugin_name) {
      rest.erase(rest.begin());
    }
    inv.help = true;
    inv.words = rest;
    return inv;
  }
  if (!rest.empty() && rest[0] == k_plugin_name) {
    rest.erase(rest.begin());
  }
  if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
    // `docker sandbox --help [COMMAND]`
    rest.erase(rest.begin());
    inv.help = true;
  }
  if (!rest.empty() && rest[0] == "docker-cli-plugin-hooks") {
    inv.mode = Mode::hook;
  }
  inv.words = rest;
  return inv;
}

} // namespace sandbox::cli
