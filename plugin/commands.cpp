#include "commands.h"

#include "help.h"
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
    {"exec", "Run a command in a running sandbox, as its own user", exec_options, run_exec, 125},
    {"logs", "Show what a sandbox wrote", logs_options, run_logs, 1},
    {"ls", "List the sandboxes: detached ones, and what runs left behind", ls_options, run_ls, 1, nullptr, {"list", "ps"}},
    {"prune", "Remove stopped sandbox containers and orphans of a killed plugin", prune_options, run_prune, 1},
    {"rm", "Remove sandboxes (only ours) and their unused run volumes", rm_options, run_rm, 1, nullptr, {"remove"}},
    {"run", "Run a command in a hardened, throwaway container", run_options, run_run, 125},
    {"stop", "Stop running sandboxes", stop_options, run_stop, 1},
    {"trust", "Show what a project profile relaxes and record your consent to it", trust_options, run_trust, 1},
    {"untrust", "Remove your consent to a project profile", untrust_options, run_untrust, 1},
    {"version", "Show the plugin, engine and negotiated API versions", version_options, run_version, 1},
    {"volume", "Manage per-tenant, per-run volumes", volume_options, run_volume, 1, volume_subcommands},
  };
  return k_commands;
}

bool Command::named(std::string_view word) const
{
  return word == name || std::find(aliases.begin(), aliases.end(), word) != aliases.end();
}

const Command* find_in(const std::vector<Command>& table, std::string_view name)
{
  for (const Command& command : table) {
    if (command.named(name)) {
      return &command;
    }
  }
  return nullptr;
}

const Command* find_command(std::string_view name)
{
  return find_in(command_table(), name);
}

const Command* find_command_path(std::string_view path)
{
  std::string_view first = path.substr(0, path.find(' '));
  const Command* row = find_command(first);
  if (row && first.size() < path.size()) {
    row = row->subcommands ? find_in(*row->subcommands(), path.substr(first.size() + 1)) : nullptr;
  }
  return row;
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

namespace {

// cobra's usage of a command with subcommands: the names padded to at least 11 columns.
std::string group_usage(const std::string& program, const std::string& summary, const std::vector<Command>& commands)
{
  std::size_t width = 11;
  for (const Command& command : commands) {
    width = std::max(width, command.name.size());
  }
  std::string text = "Usage:  " + program + " COMMAND\n\n" + summary + "\n\nCommands:\n";
  for (const Command& command : commands) {
    std::string name(command.name);
    name.resize(width, ' ');
    text += "  " + name + " " + std::string(command.summary) + "\n";
  }
  return text + "\nRun '" + program + " COMMAND --help' for more information on a command.\n";
}

} // namespace

std::string subcommand_usage(const std::string& program, const std::vector<Command>& commands)
{
  std::string summary;
  for (const Command& group : command_table()) {
    if (group.subcommands && group.subcommands() == &commands) {
      summary = group.summary;
    }
  }
  return group_usage(program, summary, commands);
}

std::string root_usage(const std::string& program)
{
  return group_usage(program, k_short_description, command_table());
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

void add_list_options(cxxopts::Options& options, const std::string& quiet, const std::string& filters)
{
  options.add_options()
    ("f,filter", "Filter output based on conditions provided (" + filters + "); repeat to combine",
     cxxopts::value<std::vector<std::string>>(), "FILTER")
    ("format", "Format output: table, table TEMPLATE, json, or a Go template such as '{{.Name}}'",
     cxxopts::value<std::string>(), "FORMAT")
    ("q,quiet", quiet)
    ("h,help", "Print usage");
}

std::string list_format(const cxxopts::ParseResult& parsed, const std::optional<std::string>& configured)
{
  if (parsed.count("format")) {
    return parsed["format"].as<std::string>();
  }
  return configured.value_or("table");
}

void print_list(CommandContext& ctx, const std::string& format, const format::Listing& listing,
                const std::vector<format::Object>& rows)
{
  ctx.out() << format::render_list(format, listing, rows);
}

cxxopts::Options command_options(const std::string& program, std::string_view command, const std::string& arguments,
                                 const std::string& details)
{
  // The help string carries the command's path, then its details: command_text() reads them back.
  cxxopts::Options options(program + " " + std::string(command) + " " + arguments, std::string(command) + "\n" + details);
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
      ctx.out() << command_help(options);
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
