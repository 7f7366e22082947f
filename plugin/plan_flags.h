#pragma once

// --dry-run and --api-version, shared by every command that sends a plan: adding them here gives
// a command its dry run for free.

#include "context.h"
#include "engine/engine_features.h"
#include "managed/prune.h"
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

// What the engine can do, from the ping that picked the version (one GET /_ping when the version
// was pinned). A dry run with a pinned version does not contact the engine: it plans for Docker.
engine::EngineFeatures plan_features(CommandContext& ctx, const PlanFlags& flags);

// Walks the plan with the dry-run printer on stdout, after the lookups it was made from.
void print_plan(CommandContext& ctx, const PlanFlags& flags, const plan::Plan& plan);

// For removals (rm, prune) and stops: prints the plan in a dry run, otherwise sends it and prints
// one line per object it acted on (`names`). Returns the exit code.
int send_removals(CommandContext& ctx, const PlanFlags& flags, const plan::Plan& plan,
                  const std::vector<std::string>& names);

// A prune's flags: --tenant, --until (`what` is pruned: "containers", "volumes"), --force,
// --help, and the plan flags.
void add_prune_options(cxxopts::Options& options, const std::string& what);

// The scope --tenant and --until give, as of now. Throws UsageError.
managed::PruneScope read_prune_scope(const cxxopts::ParseResult& parsed);

// Whether prune may remove `count` objects (`what`, e.g. "sandbox container(s)"): yes with
// --force or in a dry run; otherwise the user is asked on a terminal. Without a terminal, throws
// UsageError asking for --force.
bool confirm_prune(CommandContext& ctx, const PlanFlags& flags, bool force, std::size_t count, const std::string& what);

} // namespace sandbox::cli
