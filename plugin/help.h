#pragma once

// Help in docker's words and layout (cobra's usage template, pflag's flag table): the one source
// of `--help`, `help COMMAND`, completion's flag descriptions and the man pages.

#include "commands.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sandbox::cli {

// Help is laid out for 80 columns, as docker lays it out when stdout is not a terminal.
inline constexpr std::size_t k_help_columns = 80;

// One flag as help shows it. Hidden: --help (as in docker) and positional holders.
struct FlagHelp
{
  std::string shorthand; // "u", or ""
  std::string name;      // "user"
  std::string argument;  // "USER"; "[=FORMAT]" for a flag whose value is optional; "" for a switch
  std::string usage;     // the description, with pflag's ` (default "table")` where one is set
};

// The visible flags of `options`, sorted by name as pflag sorts them.
std::vector<FlagHelp> visible_flags(const cxxopts::Options& options);

// The flag table under "Options:", as pflag's FlagUsagesWrapped prints it: descriptions aligned
// three spaces after the longest flag, wrapped to `columns - 1`.
std::string flag_usages(const std::vector<FlagHelp>& flags, std::size_t columns = k_help_columns);

// `text` wrapped to `columns` at spaces, each line after the first indented by `indent` spaces.
std::string wrap_text(const std::string& text, std::size_t columns, std::size_t indent = 0);

// What command_options() stored of a command: its path in the table ("volume ls"), the
// arguments of its usage line and its details (a paragraph after the summary, or "").
struct CommandText
{
  std::string path;
  std::string usage; // "docker sandbox volume ls [OPTIONS]"
  std::string details;
};
CommandText command_text(const cxxopts::Options& options);

// The help of the command whose options these are: Usage, the summary and details, Aliases,
// Options.
std::string command_help(const cxxopts::Options& options);

// "docker sandbox ls, docker sandbox list, docker sandbox ps" for `program` and `path` "ls"; "" for
// a command without aliases.
std::string alias_line(const std::string& program, const std::string& path);

} // namespace sandbox::cli
