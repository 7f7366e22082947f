// docker sandbox stop [-t SECONDS] SANDBOX...: stops sandboxes of ours as docker stop does (the
// stop signal, then SIGKILL after the grace period). A detached one stays, stopped, until rm, or
// until prune or any invocation once its --ttl has passed.

#include "commands.h"
#include "expired_sandboxes.h"
#include "plan_flags.h"

#include "managed/containers.h"
#include "util/error.h"
#include "util/printable.h"
#include "util/units.h"

#include <ostream>

namespace sandbox::cli {

cxxopts::Options stop_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "stop", "[OPTIONS] SANDBOX...");
  options.add_options()
    ("t,time", "Seconds to wait for it to stop before killing it (default: the sandbox's --stop-timeout)", cxxopts::value<std::string>(), "SECONDS")
    ("h,help", "Print usage");
  add_plan_flags(options);
  options.parse_positional({"sandboxes"});
  options.add_options()("sandboxes", "", cxxopts::value<std::vector<std::string>>());
  return options;
}

int run_stop(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = stop_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  PlanFlags flags = read_plan_flags(*parsed);
  if (!parsed->count("sandboxes")) {
    throw UsageError("stop needs at least one sandbox");
  }
  engine::Query query;
  if (std::optional<std::string> time = optional_flag<std::string>(*parsed, "time")) {
    std::optional<std::int64_t> seconds = parse_integer(*time);
    if (!seconds || *seconds < 0 || *seconds > 3600) {
      throw UsageError("invalid --time \"" + printable(*time) + "\": expected seconds from 0 to 3600");
    }
    query.emplace_back("t", std::to_string(*seconds));
  }
  managed::Removals expired = remove_expired_sandboxes(ctx, flags);
  plan::Plan plan;
  plan.api_version = plan_version(ctx, flags);
  plan.steps = expired.plan.steps;
  std::vector<std::string> names;
  for (const std::string& reference : list_flag(*parsed, "sandboxes")) {
    managed::ManagedContainer c = managed::find_managed_container(ctx.client(flags.api_version), reference);
    plan::Step step = plan::make_step("stop-" + c.id.substr(0, 12), "stop " + c.name, "POST", "/containers/" + c.id + "/stop");
    step.query = query;
    step.accepted = {304}; // stopped already
    plan.steps.push_back(std::move(step));
    names.push_back(reference);
  }
  return send_removals(ctx, flags, plan, names);
}

} // namespace sandbox::cli
