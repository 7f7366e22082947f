// ls, rm and prune: the containers that runs left behind (--keep, or a plugin killed before its
// cleanup). They act only on containers labelled docker-sandbox.managed=true.

#include "commands.h"
#include "expired_sandboxes.h"
#include "shipped_programs.h"
#include "plan_flags.h"

#include "managed/containers.h"
#include "managed/list_view.h"
#include "managed/volumes.h"
#include "run/egress.h"
#include "run/stage_repair.h"
#include "util/error.h"
#include "util/identity.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <ostream>

namespace sandbox::cli {

namespace {

std::string short_id(const std::string& id)
{
  return id.substr(0, 12);
}

// `containers` and their run volumes; a dry run shows the expired sandboxes' removals first.
int remove_all(CommandContext& ctx, const PlanFlags& flags, const std::vector<managed::ManagedContainer>& containers,
               const std::vector<plan::Step>& expired)
{
  managed::Removals removals = managed::plan_remove_with_run_volumes(ctx.client(flags.api_version), containers,
                                                                     managed::local_owner_check(hostname()), plan_version(ctx, flags));
  removals.plan.steps.insert(removals.plan.steps.begin(), expired.begin(), expired.end());
  return send_removals(ctx, flags, removals.plan, removals.names);
}

} // namespace

cxxopts::Options ls_options(const std::string& program)
{
  cxxopts::Options options = command_options(
    program, "ls", "[OPTIONS]",
    "Unlike docker ps, every state is listed: -a is accepted and changes nothing; "
    "--filter status=running lists the running ones");
  options.add_options()
    ("a,all", "Show all containers (the default: ls lists every state)")
    ("no-trunc", "Don't truncate output");
  add_list_options(options, "Only print container IDs", "label, name, tenant, run, status, until");
  return options;
}

int run_ls(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = ls_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  managed::ListFilter filter = managed::parse_list_filter(
    list_flag(*parsed, "filter"), {"label", "name", "tenant", "run", "status", "until"}, now);
  std::string format = list_format(*parsed, ctx.config().ps_format);
  bool truncate = !parsed->count("no-trunc");
  if (parsed->count("quiet") && parsed->count("format")) {
    ctx.warn("Ignoring custom format, because both --format and --quiet are set.");
  }
  remove_expired_sandboxes(ctx, {});
  std::vector<format::Object> rows;
  for (const managed::ManagedContainer& c : managed::list_managed_containers(ctx.client())) {
    if (!managed::matches(filter, c)) {
      continue;
    }
    if (parsed->count("quiet")) {
      ctx.out() << printable(truncate ? short_id(c.id) : c.id) << '\n'; // the engine's Id: one line, whatever it holds
    } else {
      rows.push_back(managed::container_row(c, truncate, now));
    }
  }
  if (!parsed->count("quiet")) {
    print_list(ctx, format, managed::container_listing(), rows);
  }
  return 0;
}

cxxopts::Options rm_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "rm", "[OPTIONS] CONTAINER...");
  options.add_options()
    ("f,force", "Remove running containers too")
    ("h,help", "Print usage");
  add_plan_flags(options);
  options.parse_positional({"containers"});
  options.add_options()("containers", "", cxxopts::value<std::vector<std::string>>());
  return options;
}

int run_rm(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = rm_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  PlanFlags flags = read_plan_flags(*parsed);
  if (!parsed->count("containers")) {
    throw UsageError("rm needs at least one container");
  }
  managed::Removals expired = remove_expired_sandboxes(ctx, flags);
  std::vector<managed::ManagedContainer> containers;
  for (const std::string& reference : list_flag(*parsed, "containers")) {
    if (!flags.dry_run && std::find(expired.names.begin(), expired.names.end(), reference) != expired.names.end()) {
      continue; // removed already, as every invocation removes what has expired
    }
    managed::ManagedContainer c = managed::find_managed_container(ctx.client(flags.api_version), reference);
    if (c.state == "running" && !parsed->count("force")) {
      throw Error("container " + reference + " is running: stop it first or use --force");
    }
    containers.push_back(c);
  }
  return remove_all(ctx, flags, containers, expired.plan.steps);
}

cxxopts::Options prune_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "prune", "[OPTIONS]");
  add_prune_options(options, "containers and volumes");
  return options;
}

namespace {

// What runs killed in this project left staged goes back in place (nothing to confirm: it is the
// user's own, returning where it belongs).
void repair_stages(CommandContext& ctx, const PlanFlags& flags)
{
  if (flags.dry_run) {
    return;
  }
  for (const std::string& line : run::repair_abandoned_stages(current_directory(), ctx.config_dir())) {
    ctx.out() << printable(line) << '\n';
  }
}

} // namespace

int run_prune(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = prune_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  PlanFlags flags = read_plan_flags(*parsed);
  managed::PruneScope scope = read_prune_scope(*parsed);
  if (std::optional<run::ShippedProgram> program = egress_program()) {
    scope.egress_image = run::egress_image(*program);
  }
  engine::EngineClient& client = ctx.client(flags.api_version);
  managed::Removals removals =
    managed::plan_prune(client, scope, managed::local_owner_check(hostname()), plan_version(ctx, flags));
  if (removals.names.empty()) {
    repair_stages(ctx, flags);
    ctx.out() << "nothing to prune\n";
    return 0;
  }
  if (!confirm_prune(ctx, flags, parsed->count("force") > 0, removals.names.size(),
                     "sandbox container(s), orphaned run volume(s) and network(s), and old egress proxy image(s)")) {
    return 0;
  }
  int code = send_removals(ctx, flags, removals.plan, removals.names);
  repair_stages(ctx, flags); // once the killed runs' sandboxes are gone
  return code;
}

} // namespace sandbox::cli
