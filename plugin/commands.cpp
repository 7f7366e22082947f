#include "commands.h"

#include "metadata.h"
#include "pflag_args.h"
#include "util/error.h"

#include <ostream>

#include <algorithm>

namespace sandbox::cli {

const std::vector<Command>& command_table()
{
  static const std::vector<Command> k_commands{
    {"completion", "Print a shell completion script for the standalone docker-sandbox", completion_options, run_completion, 1},
    {"doctor", "Check what the sandbox needs from the engine, in plain words", doctor_options, run_doctor, 1},
    {"ls", "List the containers that sandbox runs left behind", ls_options, run_ls, 1},
    {"prune", "Remove stopped sandbox containers and orphans of a killed plugin", prune_options, run_prune, 1},
    {"rm", "Remove sandbox containers (only managed ones)", rm_options, run_rm, 1},
    {"run", "Run a command in a hardened, throwaway container", run_options, run_run, 125},
    {"trust", "Show what a project profile relaxes and record your consent to it", trust_options, run_trust, 1},
    {"untrust", "Remove your consent to a project profile", untrust_options, run_untrust, 1},
    {"version", "Show the plugin, engine and negotiated API versions", version_options, run_version, 1},
    {"volume", "Manage per-tenant, per-run volumes", volume_options, run_volume, 1, volume_subcommands},
  };
  return k_commands;
}

const Command* find_command(std::string_view name)
{
  for (const Command& command : command_table()) {
    if (command.name == name) {
      return &command;
    }
  }
  return nullptr;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b)
{
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

std::string closest_command(std::string_view name)
{
  std::string best;
  std::size_t best_distance = 3;
  for (const Command& command : command_table()) {
    std::size_t distance = edit_distance(name, command.name);
    if (distance < best_distance) {
      best_distance = distance;
      best = command.name;
    }
  }
  return best;
}

std::string subcommand_usage(const std::string& program, const std::vector<Command>& commands)
{
  std::string text = "\nCommands:\n";
  for (const Command& command : commands) {
    std::string name(command.name);
    name.resize(12, ' ');
    text += "  " + name + std::string(command.summary) + "\n";
  }
  text += "\nRun '" + program + " COMMAND --help' for more information on a command.\n";
  return "Usage:  " + program + " COMMAND\n" + text;
}

std::string root_usage(const std::string& program)
{
  std::string text = subcommand_usage(program, command_table());
  std::size_t commands = text.find("\nCommands:");
  return text.substr(0, commands) + "\n" + k_short_description + "\n" + text.substr(commands);
}

} // namespace sandbox::cli

namespace sandbox::cli {

namespace {

// cxxopts says "Option ‘memory’ is missing an argument"; say it the way docker does.
std::string usage_message(const std::string& text)
{
  std::size_t open = text.find("\u2018");
  std::size_t close = text.find("\u2019");
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return text;
  }
  std::string name = text.substr(open + 3, close - open - 3);
  std::string flag = (name.size() == 1 ? "-" : "--") + name;
  if (text.find("does not exist") != std::string::npos) {
    return "unknown flag: " + flag;
  }
  if (text.find("missing an argument") != std::string::npos) {
    return "flag needs an argument: " + flag;
  }
  return text.substr(0, open) + "\"" + name + "\"" + text.substr(close + 3);
}

} // namespace

std::string choice(const std::string& flag, const std::string& value, const std::vector<std::string>& allowed)
{
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    return value;
  }
  std::string expected;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    expected += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  }
  throw UsageError("invalid " + flag + " \"" + value + "\": expected " + expected);
}

void add_list_options(cxxopts::Options& options, const std::string& quiet)
{
  options.add_options()
    ("format", "Output format: table or json", cxxopts::value<std::string>()->default_value("table"), "FORMAT")
    ("q,quiet", quiet)
    ("h,help", "Print usage");
}

std::string list_format(const cxxopts::ParseResult& parsed)
{
  return choice("--format", parsed["format"].as<std::string>(), {"table", "json"});
}

cxxopts::Options command_options(const std::string& program, std::string_view command, const std::string& arguments,
                                 const std::string& details)
{
  std::string_view group = command.substr(0, command.find(' '));
  const Command* row = find_command(group);
  if (row && group != command && row->subcommands) {
    std::string_view sub = command.substr(group.size() + 1);
    const Command* found = nullptr;
    for (const Command& candidate : *row->subcommands()) {
      found = candidate.name == sub ? &candidate : found;
    }
    row = found;
  }
  std::string description = row ? std::string(row->summary) : std::string();
  if (!details.empty()) {
    description += ". " + details;
  }
  cxxopts::Options options(program + " " + std::string(command) + " " + arguments, description);
  options.custom_help("");
  options.positional_help("");
  return options;
}

std::optional<cxxopts::ParseResult> parse_command_line(CommandContext& ctx, cxxopts::Options& options,
                                                       const Args& args, ForeignFlagLine foreign)
{
  auto [flags, after_dashes] = pflag_args(options, args, false);
  flags.push_back("--");
  flags.insert(flags.end(), after_dashes.begin(), after_dashes.end());
  std::vector<const char*> argv{"docker-sandbox"};
  for (const std::string& arg : flags) {
    argv.push_back(arg.c_str());
  }
  try {
    cxxopts::ParseResult result = options.parse(static_cast<int>(argv.size()), argv.data());
    if (result.count("help")) {
      ctx.out() << options.help();
      return std::nullopt;
    }
    if (!result.unmatched().empty()) {
      throw UsageError("unexpected argument \"" + result.unmatched().front() + "\"");
    }
    return result;
  } catch (const cxxopts::exceptions::exception& e) {
    std::string message = usage_message(e.what());
    if (foreign && message.starts_with("unknown flag: ")) {
      if (std::string line = foreign(message.substr(14)); !line.empty()) {
        throw UsageError(line);
      }
    }
    throw UsageError(message);
  }
}

} // namespace sandbox::cli
