#pragma once

// The command table: one row per `docker sandbox` subcommand (ninja's tool table).

#include "context.h"

#include "flags.h"
#include "format/listing.h"
#include "run/run_options.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::cli {

using Args = std::vector<std::string>;

struct Command
{
  std::string_view name;
  std::string_view summary;
  // The command's flags, shared by parsing, --help and completion.
  cxxopts::Options (*options)(const std::string& program);
  // Runs the command with the words after its name; returns the exit code. Throws on failure.
  int (*run)(CommandContext& ctx, const Args& args);
  // Exit code when the command fails before doing its work: 125 for run (as `docker run`), 1 else.
  int failure_code;
  // The subcommands of a command group (volume), for help and completion; nullptr for a command.
  const std::vector<Command>* (*subcommands)() = nullptr;
  // Other names that run the command, as docker has them (`ls`: `list`, `ps`).
  std::vector<std::string_view> aliases = {};

  bool named(std::string_view word) const;
};

const std::vector<Command>& command_table();

// The row for `name` (or one of its aliases), or nullptr.
const Command* find_command(std::string_view name);

// The row of `table` for `name` (or one of its aliases), or nullptr.
const Command* find_in(const std::vector<Command>& table, std::string_view name);

// The row for a command path ("run", "volume ls", "volume list"), or nullptr.
const Command* find_command_path(std::string_view path);

// "Did you mean ...?" candidate: the closest command name within edit distance 2, or "".
std::string closest_command(std::string_view name);

// The top-level usage text.
std::string root_usage(const std::string& program);

// Usage of a command group (docker's "Commands:" block): `program` is "docker sandbox volume".
std::string subcommand_usage(const std::string& program, const std::vector<Command>& commands);

cxxopts::Options exec_options(const std::string& program);
int run_exec(CommandContext& ctx, const Args& args);
cxxopts::Options logs_options(const std::string& program);
int run_logs(CommandContext& ctx, const Args& args);
cxxopts::Options stop_options(const std::string& program);
int run_stop(CommandContext& ctx, const Args& args);
cxxopts::Options version_options(const std::string& program);
int run_version(CommandContext& ctx, const Args& args);
cxxopts::Options doctor_options(const std::string& program);
int run_doctor(CommandContext& ctx, const Args& args);
cxxopts::Options run_options(const std::string& program);
int run_run(CommandContext& ctx, const Args& args);
// The run flags as typed: parsed options, then IMAGE [COMMAND] [ARG...].
run::RunFlags read_run_flags(const cxxopts::ParseResult& parsed, const Args& positionals);
cxxopts::Options volume_options(const std::string& program);
int run_volume(CommandContext& ctx, const Args& args);
const std::vector<Command>* volume_subcommands();
cxxopts::Options completion_options(const std::string& program);
int run_completion(CommandContext& ctx, const Args& args);
cxxopts::Options ls_options(const std::string& program);
int run_ls(CommandContext& ctx, const Args& args);
cxxopts::Options rm_options(const std::string& program);
int run_rm(CommandContext& ctx, const Args& args);
cxxopts::Options trust_options(const std::string& program);
int run_trust(CommandContext& ctx, const Args& args);
cxxopts::Options untrust_options(const std::string& program);
int run_untrust(CommandContext& ctx, const Args& args);
cxxopts::Options prune_options(const std::string& program);
int run_prune(CommandContext& ctx, const Args& args);

// --tenant TENANT, validated as an id: commands given it touch only that tenant's objects.
void add_tenant_option(cxxopts::Options& options, const std::string& help);
std::optional<std::string> tenant_option(const cxxopts::ParseResult& parsed);

// The value of a flag that takes one of a few words (--format, --dry-run). Throws UsageError
// naming the flag and the choices otherwise.
std::string choice(const std::string& flag, const std::string& value, const std::vector<std::string>& allowed);

// --format, --filter (`filters` names the keys), -q (`quiet` says what it prints) and --help, as
// every listing has them.
void add_list_options(cxxopts::Options& options, const std::string& quiet, const std::string& filters);

// --format of a listing: the flag, else `configured` (psFormat, volumesFormat from config.json),
// else "table".
std::string list_format(const cxxopts::ParseResult& parsed, const std::optional<std::string>& configured);

// Prints the rows as `format` asks (format::render_list). A bad template is a format::FormatError,
// an Error: exit 1, as in docker.
void print_list(CommandContext& ctx, const std::string& format, const format::Listing& listing,
                const std::vector<format::Object>& rows);

// Options for the command `command` ("rm" or "volume put") whose usage line is `program command
// arguments` ("docker sandbox rm [OPTIONS] CONTAINER..."); its help (help.h) shows the command's
// summary from the command table, then `details` when given, its aliases and its flags.
cxxopts::Options command_options(const std::string& program, std::string_view command, const std::string& arguments,
                                 const std::string& details = "");

// For an unknown flag ("--publish", "-p"), the line that says why the command does not take it,
// when it is one that users bring from docker; "" otherwise.
using ForeignFlagLine = std::string (*)(const std::string& flag);

// Parses `args` with the command's options (interspersed flags and positionals), in docker's
// grammar (pflag_args.h). Throws UsageError with cxxopts' reason, or `foreign`'s line. Returns nullopt after printing help when --help was given.
std::optional<cxxopts::ParseResult> parse_command_line(CommandContext& ctx, cxxopts::Options& options,
                                                       const Args& args, ForeignFlagLine foreign = nullptr);

} // namespace sandbox::cli
