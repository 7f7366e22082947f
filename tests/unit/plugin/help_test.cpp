// Help as docker prints it: pflag's flag table to the column (checked against docker's own
// `docker network connect --help`), cobra's blocks, aliases, and every command's help as a golden
// file that fits in 80 columns.

#include "help.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>

namespace {

using sandbox::cli::FlagHelp;

void check_golden(const std::string& name, const std::string& actual)
{
  sandbox::test::check_golden_file(std::string(SANDBOX_GOLDEN_DIR) + "/../../plugin/golden", name, actual);
}

std::size_t longest_line(const std::string& text)
{
  std::istringstream lines(text);
  std::size_t longest = 0;
  for (std::string line; std::getline(lines, line);) {
    longest = std::max(longest, line.size());
  }
  return longest;
}

} // namespace

BOOST_AUTO_TEST_SUITE(help)

BOOST_AUTO_TEST_CASE(flag_table_as_pflag_lays_it_out)
{
  std::vector<FlagHelp> flags{
    {"", "alias", "strings", "Add network-scoped alias for the container"},
    {"", "driver-opt", "strings", "driver options for the network"},
    {"", "gw-priority", "int", "Highest gw-priority provides the default gateway. Accepts positive and negative values."},
    {"", "ip", "string", "IPv4 address (e.g., \"172.30.100.104\")"},
    {"", "link-local-ip", "strings", "Add a link-local address for the container"},
  };
  BOOST_TEST(sandbox::cli::flag_usages(flags) ==
             "      --alias strings           Add network-scoped alias for the container\n"
             "      --driver-opt strings      driver options for the network\n"
             "      --gw-priority int         Highest gw-priority provides the default\n"
             "                                gateway. Accepts positive and negative values.\n"
             "      --ip string               IPv4 address (e.g., \"172.30.100.104\")\n"
             "      --link-local-ip strings   Add a link-local address for the container\n");
}

BOOST_AUTO_TEST_CASE(shorthands_switches_and_optional_values)
{
  std::vector<FlagHelp> flags{{"f", "force", "", "Force"}, {"", "dry-run", "[=FORMAT]", "Print"}};
  BOOST_TEST(sandbox::cli::flag_usages(flags) == "  -f, --force              Force\n"
                                                 "      --dry-run[=FORMAT]   Print\n");
}

BOOST_AUTO_TEST_CASE(visible_flags_hide_help_and_positionals_and_sort_by_name)
{
  cxxopts::Options options = sandbox::cli::rm_options("docker sandbox");
  std::string names;
  for (const FlagHelp& flag : sandbox::cli::visible_flags(options)) {
    names += flag.name + "(" + flag.argument + ") ";
  }
  BOOST_TEST(names == "api-version(VERSION) dry-run([=FORMAT]) force() ");
}

BOOST_AUTO_TEST_CASE(aliases_as_docker_lists_them)
{
  BOOST_TEST(sandbox::cli::alias_line("docker sandbox", "ls") == "docker sandbox ls, docker sandbox list, docker sandbox ps");
  BOOST_TEST(sandbox::cli::alias_line("docker sandbox", "volume rm") == "docker sandbox volume rm, docker sandbox volume remove");
  BOOST_TEST(sandbox::cli::alias_line("docker sandbox", "run").empty());
  BOOST_TEST(sandbox::cli::find_command_path("volume list") == sandbox::cli::find_command_path("volume ls"));
}

BOOST_AUTO_TEST_CASE(every_command_help_is_golden_and_fits_80_columns)
{
  for (const sandbox::cli::Command& command : sandbox::cli::command_table()) {
    std::vector<std::pair<std::string, const sandbox::cli::Command*>> rows{{std::string(command.name), &command}};
    if (command.subcommands) {
      for (const sandbox::cli::Command& sub : *command.subcommands()) {
        rows.push_back({std::string(command.name) + " " + std::string(sub.name), &sub});
      }
    }
    for (const auto& [path, row] : rows) {
      std::string text = row->subcommands ? sandbox::cli::subcommand_usage("docker sandbox " + path, *row->subcommands())
                                          : sandbox::cli::command_help(row->options("docker sandbox"));
      std::string file = path;
      std::replace(file.begin(), file.end(), ' ', '-');
      check_golden(file + ".txt", text);
      BOOST_TEST(longest_line(text) <= 80, path << " help runs past 80 columns");
    }
  }
  check_golden("root.txt", sandbox::cli::root_usage("docker sandbox"));
}

BOOST_AUTO_TEST_SUITE_END()
