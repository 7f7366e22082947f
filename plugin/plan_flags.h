#pragma once

// --dry-run and --api-version, shared by every command that sends a plan: adding them here gives
// a command its dry run for free.

#include "context.h"
#include "plan/executor.h"

#include "flags.h"

#include <optional>
#include <string>

namespace sandbox::cli {

struct PlanFlags
{
  std::optional<plan::DryRunFormat> dry_run;
  std::optional<std::string> api_version;
};

void add_plan_flags(cxxopts::Options& options);

// Throws UsageError for a --dry-run format other than text or json.
PlanFlags read_plan_flags(const cxxopts::ParseResult& parsed);

// The API version to plan for: --api-version, then DOCKER_API_VERSION, else negotiated with the
// engine (one GET /_ping). Throws ConnectionError with a hint to pin a version when a dry run
// cannot reach the engine.
engine::ApiVersion plan_version(CommandContext& ctx, const PlanFlags& flags);

// Walks the plan with the dry-run printer on stdout.
void print_plan(CommandContext& ctx, const PlanFlags& flags, const plan::Plan& plan);

} // namespace sandbox::cli
