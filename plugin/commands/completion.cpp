#include "commands.h"
#include "completion.h"

#include "util/error.h"

#include <ostream>

namespace sandbox::cli {

cxxopts::Options completion_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "completion", "bash|zsh|fish",
                           "Inside docker, `docker sandbox` completes through the docker CLI's own completion");
  options.add_options()("h,help", "Print usage");
  options.add_options()("shell", "", cxxopts::value<std::string>());
  options.parse_positional({"shell"});
  return options;
}

int run_completion(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = completion_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  if (!parsed->count("shell")) {
    throw UsageError("completion needs a shell: bash, zsh or fish");
  }
  ctx.out() << completion_script((*parsed)["shell"].as<std::string>());
  return 0;
}

} // namespace sandbox::cli
