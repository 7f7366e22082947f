#include "plan_flags.h"

#include "commands.h"
#include "util/error.h"
#include "util/units.h"

#include <ctime>

#include <iostream>
#include <unistd.h>

namespace sandbox::cli {

void add_plan_flags(cxxopts::Options& options)
{
  options.add_options("plan")
    ("dry-run", "Print the Engine API requests instead of sending them (text or json)",
     cxxopts::value<std::string>()->implicit_value("text"), "FORMAT")
    ("api-version", "Plan for this Engine API version (no engine contact in a dry run)",
     cxxopts::value<std::string>(), "VERSION");
}

PlanFlags read_plan_flags(const cxxopts::ParseResult& parsed)
{
  PlanFlags flags;
  if (parsed.count("dry-run")) {
    std::string format = choice("--dry-run", parsed["dry-run"].as<std::string>(), {"text", "json"});
    flags.dry_run = format == "json" ? plan::DryRunFormat::json : plan::DryRunFormat::text;
  }
  if (parsed.count("api-version")) {
    flags.api_version = parsed["api-version"].as<std::string>();
    engine::check_pinned(*flags.api_version);
  }
  return flags;
}

engine::ApiVersion plan_version(CommandContext& ctx, const PlanFlags& flags)
{
  if (flags.api_version) {
    return engine::check_pinned(*flags.api_version);
  }
  try {
    return ctx.client().api_version();
  } catch (const ConnectionError& e) {
    if (!flags.dry_run) {
      throw;
    }
    throw ConnectionError(e.what(), "a dry run needs the engine only to pick the API version: pass --api-version 1.41 to plan offline");
  }
}

engine::EngineFeatures plan_features(CommandContext& ctx, const PlanFlags& flags)
{
  if (flags.dry_run && flags.api_version) {
    return {};
  }
  return engine::features_of(ctx.client(flags.api_version).identity());
}

void print_plan(CommandContext& ctx, const PlanFlags& flags, const plan::Plan& plan)
{
  plan::DryRunPrinter printer(ctx.out(), *flags.dry_run, plan.api_version);
  printer.redact(plan.secrets);
  plan::Plan shown = plan;
  shown.steps.insert(shown.steps.begin(), ctx.lookups().begin(), ctx.lookups().end());
  plan::run_plan(shown, printer);
}

int send_removals(CommandContext& ctx, const PlanFlags& flags, const plan::Plan& plan,
                  const std::vector<std::string>& names)
{
  if (flags.dry_run) {
    print_plan(ctx, flags, plan);
    return 0;
  }
  plan::HttpExecutor executor(ctx.client(flags.api_version));
  plan::run_plan(plan, executor);
  for (const std::string& name : names) {
    ctx.out() << name << '\n';
  }
  return 0;
}

void add_prune_options(cxxopts::Options& options, const std::string& what)
{
  add_tenant_option(options, "Only this tenant's " + what);
  options.add_options()
    ("until", "Only " + what + " created longer ago than this, e.g. 24h", cxxopts::value<std::string>(), "DURATION")
    ("f,force", "Do not ask for confirmation")
    ("h,help", "Print usage");
  add_plan_flags(options);
}

managed::PruneScope read_prune_scope(const cxxopts::ParseResult& parsed)
{
  managed::PruneScope scope;
  scope.tenant = tenant_option(parsed);
  if (parsed.count("until")) {
    scope.until = parse_duration(parsed["until"].as<std::string>(), "--until");
  }
  scope.now = std::time(nullptr);
  return scope;
}

bool confirm_prune(CommandContext& ctx, const PlanFlags& flags, bool force, std::size_t count, const std::string& what)
{
  if (flags.dry_run || force) {
    return true;
  }
  if (!::isatty(STDIN_FILENO)) {
    throw UsageError("prune would remove " + std::to_string(count) + " " + what
                     + "; pass --force to confirm without a terminal");
  }
  ctx.err() << "This removes " << count << " " << what << ". Are you sure? [y/N] ";
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

} // namespace sandbox::cli
