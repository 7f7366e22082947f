// docker sandbox volume ...: per-tenant, per-run volumes. Every command acts only on volumes
// labelled docker-sandbox.managed=true. prune lists and removes volumes itself instead of calling
// the engine's /volumes/prune, whose meaning changed at API 1.42 (named volumes are pruned below
// it, only anonymous ones from it): selecting them ourselves behaves the same on every engine.

#include "commands.h"
#include "commands/volume_transfer.h"
#include "plan_flags.h"

#include "managed/list_view.h"
#include "managed/volumes.h"
#include "util/error.h"
#include "util/identity.h"
#include "util/printable.h"
#include "util/units.h"
#include "volume/volume_steps.h"

#include <ctime>
#include <ostream>

namespace sandbox::cli {

namespace {

json::Value to_json(const managed::ManagedVolume& v)
{
  json::Value out = json::Value::object();
  out.set("Name", v.name);
  out.set("Tenant", v.tenant);
  out.set("Run", v.run);
  out.set("Created", v.created);
  out.set("Mountpoint", v.mountpoint);
  out.set("Driver", v.driver);
  out.set("Scope", v.scope);
  out.set("CreatedAt", v.engine_created);
  json::Value labels = json::Value::object();
  for (const auto& [key, value] : v.labels) {
    labels.set(key, value);
  }
  out.set("Labels", std::move(labels));
  return out;
}

int remove_volumes(CommandContext& ctx, const PlanFlags& flags, const std::vector<managed::ManagedVolume>& volumes)
{
  std::vector<std::string> names;
  for (const managed::ManagedVolume& v : volumes) {
    names.push_back(v.name);
  }
  return send_removals(ctx, flags, managed::plan_remove_volumes(volumes, plan_version(ctx, flags)), names);
}

} // namespace

void add_tenant_option(cxxopts::Options& options, const std::string& help)
{
  options.add_options()("tenant", help, cxxopts::value<std::string>(), "TENANT");
}

std::optional<std::string> tenant_option(const cxxopts::ParseResult& parsed)
{
  std::optional<std::string> tenant = optional_flag<std::string>(parsed, "tenant");
  if (tenant) {
    validate_id(*tenant, "--tenant");
  }
  return tenant;
}

namespace {

cxxopts::Options create_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume create", "[OPTIONS] [NAME]");
  options.add_options()
    ("tenant", "Tenant the volume belongs to", cxxopts::value<std::string>(), "TENANT")
    ("run", "Run the volume belongs to", cxxopts::value<std::string>(), "RUN")
    ("label", "Add a label KEY=VALUE", cxxopts::value<std::vector<std::string>>(), "KEY=VALUE")
    ("h,help", "Print usage");
  add_plan_flags(options);
  options.add_options()("name", "", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"name"});
  return options;
}

int run_create(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = create_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  managed::CreateRequest request;
  if (parsed->count("name")) {
    std::vector<std::string> names = list_flag(*parsed, "name");
    if (names.size() > 1) {
      throw UsageError("volume create takes at most one NAME");
    }
    request.name = names.front();
  }
  request.tenant = optional_flag<std::string>(*parsed, "tenant");
  request.run = optional_flag<std::string>(*parsed, "run");
  request.labels = list_flag(*parsed, "label");
  PlanFlags plan_flags = read_plan_flags(*parsed);
  std::string creator = owner_tag() + ":" + random_hex(16);
  managed::NewVolume wanted = managed::new_volume(request, random_hex(12), rfc3339_now(), creator);
  plan::Plan plan;
  plan.api_version = plan_version(ctx, plan_flags);
  plan.steps.push_back(volume::create_volume_step("create", wanted, creator));
  if (plan_flags.dry_run) {
    print_plan(ctx, plan_flags, plan);
    return 0;
  }
  plan::HttpExecutor executor(ctx.client(plan_flags.api_version));
  plan::run_plan(plan, executor);
  ctx.out() << wanted.name << '\n';
  return 0;
}

cxxopts::Options ls_volume_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume ls", "[OPTIONS]");
  options.add_options()
    ("tenant", "Only this tenant's volumes", cxxopts::value<std::string>(), "TENANT")
    ("run", "Only this run's volumes", cxxopts::value<std::string>(), "RUN");
  add_list_options(options, "Only print volume names", "label, name, tenant, run, until");
  return options;
}

int run_ls_volumes(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = ls_volume_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  managed::ListFilter filter = managed::parse_list_filter(list_flag(*parsed, "filter"),
                                                          {"label", "name", "tenant", "run", "until"},
                                                          static_cast<std::int64_t>(std::time(nullptr)));
  std::string format = list_format(*parsed, ctx.config().volumes_format);
  std::optional<std::string> tenant = tenant_option(*parsed);
  std::optional<std::string> run = optional_flag<std::string>(*parsed, "run");
  if (run) {
    validate_id(*run, "--run");
  }
  // As docker volume ls: with -q, an explicit --format still wins.
  bool quiet = parsed->count("quiet") && !parsed->count("format");
  std::vector<format::Object> rows;
  for (const managed::ManagedVolume& v : managed::list_volumes(ctx.client(), tenant, run)) {
    if (!managed::matches(filter, v)) {
      continue;
    }
    if (quiet) {
      ctx.out() << printable(v.name) << '\n';
    } else {
      rows.push_back(managed::volume_row(v));
    }
  }
  if (!quiet) {
    print_list(ctx, format, managed::volume_listing(), rows);
  }
  return 0;
}

cxxopts::Options inspect_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume inspect", "[OPTIONS] NAME...");
  add_tenant_option(options, "Refuse volumes of any other tenant");
  options.add_options()
    ("f,format", "Format output: json, or a Go template such as '{{.Mountpoint}}'", cxxopts::value<std::string>(), "FORMAT")
    ("h,help", "Print usage");
  options.add_options()("names", "", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"names"});
  return options;
}

int run_inspect(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = inspect_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  if (!parsed->count("names")) {
    throw UsageError("volume inspect needs at least one NAME");
  }
  std::optional<std::string> tenant = tenant_option(*parsed);
  std::vector<format::Object> found;
  for (const std::string& name : list_flag(*parsed, "names")) {
    found.push_back({to_json(managed::find_volume(ctx.client(), name, tenant)), std::nullopt});
  }
  if (parsed->count("format")) {
    ctx.out() << format::render_each((*parsed)["format"].as<std::string>(), found);
    return 0;
  }
  json::Value out = json::Value::array();
  for (format::Object& object : found) {
    out.push(std::move(object.fields));
  }
  ctx.out() << out.pretty() << '\n';
  return 0;
}

cxxopts::Options rm_volume_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume rm", "[OPTIONS] NAME...");
  add_tenant_option(options, "Refuse volumes of any other tenant");
  options.add_options()
    ("f,force", "Do not fail when a volume does not exist")
    ("h,help", "Print usage");
  add_plan_flags(options);
  options.add_options()("names", "", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"names"});
  return options;
}

int run_rm_volumes(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = rm_volume_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  PlanFlags flags = read_plan_flags(*parsed);
  if (!parsed->count("names")) {
    throw UsageError("volume rm needs at least one NAME");
  }
  std::optional<std::string> tenant = tenant_option(*parsed);
  engine::EngineClient& client = ctx.client(flags.api_version);
  std::vector<managed::ManagedVolume> volumes;
  for (const std::string& name : list_flag(*parsed, "names")) {
    managed::ManagedVolume found;
    try {
      found = managed::find_volume(client, name, tenant);
    } catch (const Error& e) {
      if (parsed->count("force") && std::string(e.what()).rfind("no such volume", 0) == 0) {
        continue;
      }
      throw;
    }
    std::vector<std::string> users = managed::volume_users(client, name);
    if (!users.empty()) {
      std::string list;
      for (const std::string& user : users) {
        list += (list.empty() ? "" : ", ") + user;
      }
      throw Error("volume " + name + " is in use by container " + list, "remove the container first");
    }
    volumes.push_back(found);
  }
  return remove_volumes(ctx, flags, volumes);
}

cxxopts::Options prune_volume_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume prune", "[OPTIONS]");
  add_prune_options(options, "volumes");
  return options;
}

int run_prune_volumes(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = prune_volume_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  PlanFlags flags = read_plan_flags(*parsed);
  managed::Removals removals = managed::plan_prune_volumes(ctx.client(flags.api_version), read_prune_scope(*parsed),
                                                           managed::local_owner_check(hostname()), plan_version(ctx, flags));
  if (removals.names.empty()) {
    ctx.out() << "nothing to prune\n";
    return 0;
  }
  if (!confirm_prune(ctx, flags, parsed->count("force") > 0, removals.names.size(), "sandbox volume(s) and their data")) {
    return 0;
  }
  return send_removals(ctx, flags, removals.plan, removals.names);
}

const std::vector<Command>& volume_commands()
{
  static const std::vector<Command> k_commands{
    {"create", "Create a managed volume for a tenant and run", create_options, run_create, 1, nullptr},
    {"get", "Copy a path out of a volume, safely", get_options, run_get, 1, nullptr},
    {"inspect", "Show managed volumes as JSON", inspect_options, run_inspect, 1, nullptr},
    {"ls", "List managed volumes", ls_volume_options, run_ls_volumes, 1, nullptr, {"list"}},
    {"prune", "Remove managed volumes that no container uses", prune_volume_options, run_prune_volumes, 1, nullptr},
    {"put", "Copy host files (or a tar on stdin) into a volume", put_options, run_put, 1, nullptr},
    {"rm", "Remove managed volumes (never one in use)", rm_volume_options, run_rm_volumes, 1, nullptr, {"remove"}},
  };
  return k_commands;
}

} // namespace

const std::vector<Command>* volume_subcommands()
{
  return &volume_commands();
}

cxxopts::Options volume_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume", "COMMAND");
  options.add_options()("h,help", "Print usage");
  return options;
}

int run_volume(CommandContext& ctx, const Args& args)
{
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    ctx.out() << subcommand_usage(ctx.program() + " volume", volume_commands());
    return 0;
  }
  if (const Command* command = find_in(volume_commands(), args[0])) {
    return command->run(ctx, Args(args.begin() + 1, args.end()));
  }
  throw UsageError("'" + args[0] + "' is not a " + ctx.program() + " volume command");
}

} // namespace sandbox::cli
