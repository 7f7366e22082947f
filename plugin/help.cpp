// docker's help is cobra's usage template around pflag's flag table; users read ours next to
// docker's, so it follows both to the column: "Usage:  " with two spaces, the Aliases line, one
// "Options:" block sorted by name with the descriptions three spaces after the longest flag and
// wrapped as pflag wraps them, --help hidden.

#include "help.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace sandbox::cli {

std::vector<FlagHelp> visible_flags(const cxxopts::Options& options)
{
  std::vector<FlagHelp> flags;
  for (const std::string& group : options.groups()) {
    for (const cxxopts::HelpOptionDetails& option : options.group_help(group).options) {
      if (option.desc.empty() || option.l.empty() || option.l.front() == "help") {
        continue; // positional holders, and --help, which docker does not list either
      }
      FlagHelp flag;
      flag.shorthand = option.s;
      flag.name = option.l.front(); // later long names (--net) are docker's hidden spellings
      flag.usage = option.desc;
      // A flag that restates a default takes `=true` and no more (docker_run_habits.cpp): a switch.
      bool switch_like = option.is_boolean || (option.has_implicit && option.implicit_value == "true");
      if (!switch_like) {
        std::string argument = option.arg_help.empty() ? "VALUE" : option.arg_help;
        flag.argument = option.has_implicit ? "[=" + argument + "]" : argument;
        if (option.has_default && !option.default_value.empty()) {
          flag.usage += " (default \"" + option.default_value + "\")";
        }
      }
      flags.push_back(flag);
    }
  }
  std::sort(flags.begin(), flags.end(), [](const FlagHelp& a, const FlagHelp& b) { return a.name < b.name; });
  return flags;
}

namespace {

// pflag's wrapN: the first line of `text` within `width` (going `slop` over it rather than
// leave a short last word alone), and the rest.
std::pair<std::string, std::string> wrap_once(const std::string& text, std::size_t width, std::size_t slop)
{
  if (width + slop > text.size()) {
    return {text, ""};
  }
  std::size_t space = text.find_last_of(' ', width - 1);
  if (space == std::string::npos || space == 0) {
    return {text, ""};
  }
  return {text.substr(0, space), text.substr(space + 1)};
}

// pflag's wrap: `text` in the columns from `indent` to `columns`, the first line not indented.
std::string pflag_wrap(std::size_t indent, std::size_t columns, std::string text)
{
  std::string out;
  std::size_t width = columns > indent ? columns - indent : 0;
  if (width < 24) { // no room beside the flags: the description goes on the next line
    indent = 16;
    width = columns - indent;
    out += "\n" + std::string(indent, ' ');
  }
  constexpr std::size_t k_slop = 5;
  auto [line, rest] = wrap_once(text, width - k_slop, k_slop);
  out += line;
  while (!rest.empty()) {
    std::tie(line, rest) = wrap_once(rest, width - k_slop, k_slop);
    out += "\n" + std::string(indent, ' ') + line;
  }
  return out;
}

} // namespace

std::string flag_usages(const std::vector<FlagHelp>& flags, std::size_t columns)
{
  std::vector<std::string> heads;
  std::size_t longest = 0;
  for (const FlagHelp& flag : flags) {
    std::string head = flag.shorthand.empty() ? "      --" + flag.name : "  -" + flag.shorthand + ", --" + flag.name;
    if (!flag.argument.empty()) {
      head += flag.argument.starts_with("[=") ? flag.argument : " " + flag.argument;
    }
    longest = std::max(longest, head.size());
    heads.push_back(head);
  }
  std::string out;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    std::string line = heads[i] + std::string(longest + 3 - heads[i].size(), ' ') +
                       pflag_wrap(longest + 3, columns - 1, flags[i].usage);
    out += line + "\n";
  }
  return out;
}

std::string wrap_text(const std::string& text, std::size_t columns, std::size_t indent)
{
  std::string out;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    std::string word = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (word.empty()) {
      continue;
    }
    if (!line.empty() && line.size() + 1 + word.size() > columns) {
      out += line + "\n";
      line = std::string(indent, ' ');
    } else if (!line.empty() && line.find_first_not_of(' ') != std::string::npos) {
      line += " ";
    }
    line += word;
  }
  return out + line;
}

CommandText command_text(const cxxopts::Options& options)
{
  // cxxopts keeps the help string private; help() of no group with no usage gives it back,
  // followed by two newlines. command_options() stored "PATH\nDETAILS" there.
  std::string stored = options.help({"\x01"}, false);
  stored.erase(stored.size() - std::min<std::size_t>(2, stored.size()));
  CommandText text;
  std::size_t newline = stored.find('\n');
  text.path = stored.substr(0, newline);
  text.details = newline == std::string::npos ? "" : stored.substr(newline + 1);
  if (!text.details.empty() && text.details.back() != '.') {
    text.details += '.'; // a sentence of its own, where the summary before it was cut short with ". "
  }
  text.usage = options.program();
  while (!text.usage.empty() && text.usage.back() == ' ') {
    text.usage.pop_back();
  }
  return text;
}

std::string alias_line(const std::string& program, const std::string& path)
{
  const Command* row = find_command_path(path);
  if (!row || row->aliases.empty()) {
    return "";
  }
  std::string parent = path.find(' ') == std::string::npos ? program : program + " " + path.substr(0, path.find(' '));
  std::string line = parent + " " + std::string(row->name);
  for (std::string_view alias : row->aliases) {
    line += ", " + parent + " " + std::string(alias);
  }
  return line;
}

std::string command_help(const cxxopts::Options& options)
{
  CommandText text = command_text(options);
  const Command* row = find_command_path(text.path);
  std::string out = "Usage:  " + text.usage + "\n\n" + std::string(row ? row->summary : "") + "\n";
  if (!text.details.empty()) {
    out += "\n" + wrap_text(text.details, k_help_columns) + "\n";
  }
  std::string program = text.usage.substr(0, text.usage.find(" " + text.path));
  if (std::string aliases = alias_line(program, text.path); !aliases.empty()) {
    out += "\nAliases:\n  " + aliases + "\n";
  }
  std::vector<FlagHelp> flags = visible_flags(options);
  if (!flags.empty()) {
    out += "\nOptions:\n" + flag_usages(flags);
  }
  return out;
}

} // namespace sandbox::cli
