// Fuzz target: the command line, from the words the docker CLI hands over to the run's dry-run
// plan. Every argv must be classified, parsed by its command's options, and (for `run`)
// resolved and planned, or be refused with a UsageError or Error. Nothing is sent anywhere:
// the plan is printed into memory.
//
// Input: the words after argv[0], cut at NUL bytes; the first byte's low bit says whether the
// docker CLI invoked us (1) or the user ran docker-sandbox itself (0).

#include "commands.h"
#include "fuzz_input.h"
#include "invocation.h"
#include "pflag_args.h"
#include "plan_flags.h"

#include "engine/api_version.h"
#include "run/run_planner.h"
#include "util/error.h"

#include <sstream>

namespace {

using sandbox::cli::Args;

const std::string& workdir()
{
  static sandbox::fuzz::ScratchDir scratch;
  return scratch.path();
}

void run_dry(sandbox::cli::CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = sandbox::cli::run_options(ctx.program());
  auto [flag_args, positionals] = sandbox::cli::pflag_args(options, args, true);
  std::optional<cxxopts::ParseResult> parsed = sandbox::cli::parse_command_line(ctx, options, flag_args);
  if (!parsed) {
    return;
  }
  sandbox::cli::PlanFlags plan_flags = sandbox::cli::read_plan_flags(*parsed);
  sandbox::run::RunFlags flags = sandbox::cli::read_run_flags(*parsed, positionals);
  sandbox::run::HostFacts host{workdir(), 1000, 1000, ctx.env(), ""};
  sandbox::run::RunOptions run = sandbox::run::resolve_run_options(flags, host, {"0123456789ab", "2026-01-01T00:00:00Z", "fuzz:1", ""});
  for (sandbox::engine::ApiVersion version : {sandbox::engine::k_min_api_version, sandbox::engine::k_max_api_version}) {
    sandbox::plan::Plan plan = sandbox::run::plan_run(run, version, {});
    plan_flags.dry_run = plan_flags.dry_run.value_or(sandbox::plan::DryRunFormat::text);
    sandbox::cli::print_plan(ctx, plan_flags, plan);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  if (size == 0) {
    return 0;
  }
  bool standalone = (data[0] & 1) == 0;
  std::vector<std::string> words = sandbox::fuzz::split_fields(data + 1, size - 1);
  std::ostringstream out;
  std::ostringstream err;
  try {
    sandbox::cli::Invocation invocation = sandbox::cli::classify(words, standalone);
    if (invocation.mode != sandbox::cli::Mode::command || invocation.words.empty()) {
      return 0;
    }
    // No engine: a dry run needs --api-version, and nothing may reach a real socket.
    sandbox::cli::CommandContext ctx(invocation.globals,
                                     sandbox::engine::fixed_environment({{"DOCKER_HOST", "unix:///nonexistent/fuzz.sock"}}),
                                     standalone, out, err);
    const sandbox::cli::Command* command = sandbox::cli::find_command(invocation.words[0]);
    Args rest(invocation.words.begin() + 1, invocation.words.end());
    if (command && command->subcommands && !rest.empty()) {
      for (const sandbox::cli::Command& sub : *command->subcommands()) {
        if (sub.name == rest[0]) {
          command = &sub;
          rest.erase(rest.begin());
          break;
        }
      }
    }
    if (!command) {
      sandbox::cli::closest_command(invocation.words[0]);
      return 0;
    }
    if (command->name == "run") {
      run_dry(ctx, rest);
    } else {
      cxxopts::Options options = command->options(ctx.program());
      sandbox::cli::parse_command_line(ctx, options, rest);
    }
  } catch (const sandbox::Error&) {
  }
  return 0;
}
