// docker sandbox volume put / get: data into and out of a managed volume through the archive
// API (see lib/volume/volume_transfer.h). A progress bar shows on a terminal; a summary line
// follows on stderr unless --quiet.

#include "commands/volume_transfer.h"
#include "plan_flags.h"
#include "progress_bar.h"

#include "archive/member_rules.h"
#include "managed/labels.h"
#include "run/defaults.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/identity.h"
#include "util/paths.h"
#include "util/units.h"
#include "volume/transfer_executor.h"
#include "volume/volume_transfer.h"

#include <ostream>
#include <unistd.h>

namespace sandbox::cli {

volume::Requester transfer_requester(const std::optional<std::string>& tenant)
{
  volume::Requester out;
  out.tenant = tenant;
  out.helper_labels = {{std::string(managed::k_label_created), rfc3339_now()}, {std::string(managed::k_label_owner), owner_tag()}};
  if (out.tenant) {
    out.helper_labels.emplace_back(managed::k_label_tenant, *out.tenant);
  }
  out.unique = random_hex(12);
  return out;
}

namespace {

std::vector<std::string> positionals(const cxxopts::ParseResult& parsed)
{
  return list_flag(parsed, "args");
}

std::string plural(std::uint64_t count, const std::string& stem, const char* one = "", const char* many = "s")
{
  return std::to_string(count) + " " + stem + (count == 1 ? one : many);
}

volume::Requester requester(const cxxopts::ParseResult& parsed)
{
  return transfer_requester(tenant_option(parsed));
}

// A helper that could not be removed: the copy itself is done.
void warn_leftovers(CommandContext& ctx, const std::vector<std::string>& warnings)
{
  for (const std::string& warning : warnings) {
    ctx.warn(warning + " ('" + ctx.program() + " prune' removes it later)");
  }
}

// What put and get share: --quiet, --help, the plan flags, and the words after the flags.
void add_transfer_options(cxxopts::Options& options)
{
  options.add_options()
    ("q,quiet", "No progress bar and no summary")
    ("h,help", "Print usage");
  add_plan_flags(options);
  options.add_options()("args", "", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"args"});
}

} // namespace

cxxopts::Options put_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume put", "[OPTIONS] VOLUME SRC...",
                                             "SRC may be a file or a directory, - (a tar on stdin), or SRC/. for the "
                                             "contents of SRC");
  add_tenant_option(options, "Refuse a volume of any other tenant");
  options.add_options()
    ("dest", "Directory in the volume to copy into (default: its root)", cxxopts::value<std::string>(), "DIR")
    ("owner", "Owner of what is copied, and of DIR (default 65534:65534, the sandbox user)", cxxopts::value<std::string>(), "UID:GID")
    ("mode", "Permission bits for files, e.g. 640; directories also get x where r is set (default: each file's own)", cxxopts::value<std::string>(), "MODE");
  add_transfer_options(options);
  return options;
}

int run_put(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = put_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  std::vector<std::string> words = positionals(*parsed);
  if (words.size() < 2) {
    throw UsageError("volume put needs a VOLUME and at least one SRC");
  }
  volume::VolumeFill fill;
  fill.volume = words[0];
  fill.sources.assign(words.begin() + 1, words.end());
  fill.dest = parsed->count("dest") ? (*parsed)["dest"].as<std::string>() : "";
  fill.ownership.uid = fill.ownership.gid = run::k_nobody;
  if (parsed->count("owner")) {
    std::tie(fill.ownership.uid, fill.ownership.gid) = archive::parse_owner((*parsed)["owner"].as<std::string>(), "--owner");
  }
  if (parsed->count("mode")) {
    fill.ownership.mode = archive::parse_mode((*parsed)["mode"].as<std::string>(), "--mode");
  }
  if (fill.sources == std::vector<std::string>{"-"} && ::isatty(STDIN_FILENO)) {
    throw UsageError("\"-\" reads a tar from stdin, which is a terminal", "pipe a tar into it, e.g. tar -C DIR -c . | ...");
  }
  std::string cwd = current_directory();
  for (const std::string& source : fill.sources) {
    if (source != "-") { // a link the project planted on the way is never followed out of it
      resolve_named_path(source.ends_with("/.") ? source.substr(0, source.size() - 2) : source, cwd, cwd, "cannot put " + source);
    }
  }
  std::uint64_t total = volume::check_fills({fill});
  PlanFlags plan_flags = read_plan_flags(*parsed);
  plan::Plan plan = volume::plan_put(fill, requester(*parsed), plan_version(ctx, plan_flags), plan_features(ctx, plan_flags));
  if (plan_flags.dry_run) {
    print_plan(ctx, plan_flags, plan);
    return 0;
  }
  bool quiet = parsed->count("quiet") > 0;
  std::vector<std::string> changed;
  std::vector<std::string> warnings;
  {
    ProgressBar bar(ctx.err(), !quiet && ::isatty(STDERR_FILENO), "put " + fill.volume,
                    fill.sources[0] == "-" ? std::nullopt : std::optional<std::uint64_t>(total));
    volume::TransferExecutor executor(ctx.client(plan_flags.api_version),
                                      {CancelToken::instance().fd(), [&](std::uint64_t done) { bar.update(done); }});
    warnings = plan::run_plan(plan, executor).warnings();
    changed = executor.changed_files();
  }
  for (const std::string& file : changed) {
    ctx.warn(file + " changed while it was copied; the volume holds it as it was when copying began");
  }
  warn_leftovers(ctx, warnings);
  if (!quiet) {
    ctx.err() << "copied " << (fill.sources[0] == "-" ? "a tar from stdin" : format_bytes(total))
              << " into " << fill.volume << ":/" << volume::checked_volume_path(fill.dest, "--dest") << '\n';
  }
  return 0;
}

cxxopts::Options get_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "volume get", "[OPTIONS] VOLUME [PATH] DEST",
                                             "PATH defaults to all of it; DEST is a host directory, or - for the tar on "
                                             "stdout. Nothing is ever written outside DEST");
  add_tenant_option(options, "Refuse a volume of any other tenant");
  options.add_options()
    ("max-bytes", "Stop once the copy would write more than this (default 10g, and never the destination's last free space)", cxxopts::value<std::string>(), "SIZE")
    ("max-files", "Stop once the copy would write more files than this (default 1000000)", cxxopts::value<std::string>(), "N")
    ("overwrite", "Merge into a non-empty DEST and replace existing files");
  add_transfer_options(options);
  return options;
}

int run_get(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = get_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  std::vector<std::string> words = positionals(*parsed);
  if (words.size() < 2 || words.size() > 3) {
    throw UsageError("volume get needs VOLUME, an optional PATH, and DEST");
  }
  volume::VolumeRead read{words[0], words.size() == 3 ? words[1] : ""};
  std::string destination = words.back();
  volume::checked_volume_path(read.path, "PATH");
  std::uint64_t max_bytes = parsed->count("max-bytes")
                              ? static_cast<std::uint64_t>(parse_size((*parsed)["max-bytes"].as<std::string>(), "--max-bytes"))
                              : run::k_default_copy_max_bytes;
  std::uint64_t max_files =
    parsed->count("max-files") ? parse_count((*parsed)["max-files"].as<std::string>(), "--max-files") : run::k_default_copy_max_files;
  if (destination.empty()) {
    throw UsageError("DEST is empty: name a host directory, or - for a tar on stdout");
  }
  if (destination == "-" && ::isatty(STDOUT_FILENO)) {
    throw UsageError("refusing to write a tar to a terminal", "redirect stdout, e.g. > out.tar, or name a directory");
  }
  plan::Download download;
  download.destination = destination;
  if (destination != "-") {
    download.destination = resolve_named_path(destination, current_directory(), current_directory(), "DEST " + destination);
    download.overwrite = parsed->count("overwrite") > 0;
    download.max_bytes = max_bytes;
    download.max_files = max_files;
  }
  PlanFlags plan_flags = read_plan_flags(*parsed);
  plan::Plan plan = volume::plan_get(read, download, requester(*parsed), plan_version(ctx, plan_flags));
  if (plan_flags.dry_run) {
    print_plan(ctx, plan_flags, plan);
    return 0;
  }
  bool quiet = parsed->count("quiet") > 0;
  archive::ExtractResult result;
  std::vector<std::string> warnings;
  {
    ProgressBar bar(ctx.err(), !quiet && ::isatty(STDERR_FILENO), "get " + read.volume, std::nullopt);
    volume::TransferExecutor executor(ctx.client(plan_flags.api_version),
                                      {CancelToken::instance().fd(), [&](std::uint64_t done) { bar.update(done); }});
    ctx.out().flush();
    warnings = plan::run_plan(plan, executor).warnings();
    result = executor.written();
  }
  warn_leftovers(ctx, warnings);
  if (!quiet && destination != "-") {
    ctx.err() << "copied " << plural(result.files, "file") << ", " << plural(result.directories, "director", "y", "ies") << " and "
              << plural(result.links, "link") << " (" << format_bytes(result.bytes) << ") to "
              << destination << '\n';
  }
  return 0;
}

} // namespace sandbox::cli
