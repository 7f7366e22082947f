#include "completion.h"

#include "commands.h"

#include <ostream>

namespace sandbox::cli {

namespace {

constexpr int k_directive_no_file = 4;
constexpr int k_directive_default = 0;

void candidate(std::ostream& out, const std::string& word, const std::string& description, bool descriptions)
{
  out << word;
  if (descriptions && !description.empty()) {
    out << '\t' << description;
  }
  out << '\n';
}

bool starts_with(const std::string& text, const std::string& prefix)
{
  return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

void complete(const std::vector<std::string>& words, bool descriptions, std::ostream& out)
{
  std::string current = words.empty() ? "" : words.back();
  if (words.size() <= 1) {
    for (const Command& command : command_table()) {
      if (starts_with(std::string(command.name), current)) {
        candidate(out, std::string(command.name), std::string(command.summary), descriptions);
      }
    }
    out << ':' << k_directive_no_file << '\n';
    return;
  }
  const Command* command = find_command(words[0]);
  if (!command || !starts_with(current, "-")) {
    out << ':' << (command ? k_directive_default : k_directive_no_file) << '\n';
    return;
  }
  cxxopts::Options options = command->options("docker sandbox");
  for (const cxxopts::HelpGroupDetails& group : {options.group_help("")}) {
    for (const cxxopts::HelpOptionDetails& option : group.options) {
      for (const std::string& name : option.l) {
        if (starts_with("--" + name, current)) {
          candidate(out, "--" + name, option.desc, descriptions);
        }
      }
      if (!option.s.empty() && starts_with("-" + option.s, current) && current.size() <= 2) {
        candidate(out, "-" + option.s, option.desc, descriptions);
      }
    }
  }
  out << ':' << k_directive_no_file << '\n';
}

} // namespace sandbox::cli
