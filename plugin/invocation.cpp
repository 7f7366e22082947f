#include "invocation.h"

#include <algorithm>

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
    // The standalone scripts pass the global flags typed before the command (`docker-sandbox -H
    // URL rm <TAB>`); the word being completed is never one of them.
    if (inv.words.size() > 1 && inv.words[0].starts_with("-")) {
      try {
        engine::ParsedGlobals parsed = engine::parse_global_flags({inv.words.begin(), inv.words.end() - 1});
        inv.globals = parsed.options;
        inv.words.erase(inv.words.begin(), inv.words.begin() + static_cast<long>(parsed.next));
      } catch (const std::exception&) {
        // an unfinished or unknown global flag: completed as it is, which offers nothing
      }
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
  if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h" || rest[0] == "help")) {
    // `docker sandbox --help [COMMAND]`, `docker sandbox help [COMMAND]`
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

namespace sandbox::cli {

std::vector<std::string> dropped_global_flags(const std::vector<std::string>& cli_args, const std::vector<std::string>& words)
{
  // cli_args: [G...] __complete G... sandbox WORDS... (shells send `docker __complete G... sandbox ...`)
  auto request = std::find_if(cli_args.begin(), cli_args.end(),
                              [](const std::string& arg) { return arg == "__complete" || arg == "__completeNoDesc"; });
  if (request == cli_args.end() || static_cast<std::size_t>(cli_args.end() - request) < words.size() + 2
      || !std::equal(words.rbegin(), words.rend(), cli_args.rbegin())) {
    return {};
  }
  auto plugin = cli_args.end() - static_cast<long>(words.size()) - 1;
  if (*plugin != k_plugin_name) {
    return {};
  }
  std::vector<std::string> globals(cli_args.begin(), request);
  globals.insert(globals.end(), request + 1, plugin);
  return globals;
}

} // namespace sandbox::cli
