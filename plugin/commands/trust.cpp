#include "commands.h"

#include "run/consent_store.h"
#include "run/profile.h"
#include "run/relaxations.h"
#include "util/error.h"
#include "util/file.h"
#include "util/identity.h"
#include "util/paths.h"
#include "util/printable.h"

#include <ostream>

namespace sandbox::cli {

namespace {

// The FILE argument, if given.
std::optional<std::string> file_argument(const cxxopts::ParseResult& parsed)
{
  std::vector<std::string> files = list_flag(parsed, "file");
  if (files.size() > 1) {
    throw UsageError("expected at most one FILE, got " + std::to_string(files.size()));
  }
  return files.empty() ? std::nullopt : std::optional<std::string>(files.front());
}

// The absolute path of FILE, or of the current directory's profile.
std::string profile_path(const std::optional<std::string>& file)
{
  return absolute_path(file.value_or(run::k_profile_file_name), current_directory());
}

std::string state_of(const run::TrustRecord& record)
{
  try {
    return run::load_profile(record.path, false).sha256 == record.sha256 ? "current" : "changed";
  } catch (const Error&) {
    return path_exists(record.path) ? "changed" : "missing";
  }
}

const format::Listing& trust_listing()
{
  static const format::Listing k_listing{
    "table {{.State}}\t{{.TrustedAt}}\t{{truncate .SHA256 12}}\t{{.Path}}",
    {{"State", "STATE"}, {"TrustedAt", "TRUSTED"}, {"SHA256", "SHA256"}, {"Path", "PATH"}, {"Relaxes", "RELAXES"}},
  };
  return k_listing;
}

int list_trusted(CommandContext& ctx, const run::ConsentStore& store, const std::string& format)
{
  std::vector<format::Object> rows;
  for (const run::TrustRecord& record : store.records()) {
    json::Value relaxes = json::Value::array();
    for (const std::string& relaxation : record.relaxes) {
      relaxes.push(relaxation);
    }
    format::Object row;
    row.fields.set("Path", record.path);
    row.fields.set("Relaxes", std::move(relaxes));
    row.fields.set("SHA256", record.sha256);
    row.fields.set("State", state_of(record));
    row.fields.set("TrustedAt", record.trusted_at);
    rows.push_back(std::move(row));
  }
  print_list(ctx, format, trust_listing(), rows);
  return 0;
}

} // namespace

cxxopts::Options trust_options(const std::string& program)
{
  cxxopts::Options options = command_options(
    program, "trust", "[OPTIONS] [FILE]",
    "FILE defaults to ./.docker-sandbox.json. Consent is to its exact content: 'run' applies it until a single "
    "byte changes");
  options.add_options()
    ("list", "List the profiles you trusted, and whether each is still the same")
    ("format", "With --list: table, table TEMPLATE, json, or a Go template such as '{{.Path}}'",
     cxxopts::value<std::string>(), "FORMAT")
    ("sha256", "Record consent only if the file's SHA-256 starts with this (at least 12 hex digits), e.g. from sha256sum", cxxopts::value<std::string>(), "DIGEST")
    ("h,help", "Print usage")
    ("file", "", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"file"});
  return options;
}

int run_trust(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = trust_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  run::ConsentStore store(ctx.config_dir());
  if (parsed->count("list")) {
    if (parsed->count("file")) {
      throw UsageError("--list takes no FILE");
    }
    return list_trusted(ctx, store, list_format(*parsed, std::nullopt));
  }
  if (parsed->count("format")) {
    throw UsageError("--format goes with --list");
  }
  std::optional<std::string> file = file_argument(*parsed);
  // As `run` reads it: the current directory's profile must not be a link.
  run::ProfileFile profile = run::load_profile(profile_path(file), file.has_value());
  std::vector<run::Relaxation> relaxations = run::profile_relaxations(profile.settings, run::RunFlags{});
  if (relaxations.empty()) {
    ctx.out() << printable(profile.path) << " relaxes nothing: 'run' applies it without consent\n";
    return 0;
  }
  std::string forbidden = run::never_accepted(relaxations);
  if (!forbidden.empty()) {
    throw Error(profile.path + " cannot be trusted: " + forbidden,
                "remove these from the profile; on the command line, where you type them, they are still possible");
  }
  // The file may have changed since the user read it: --sha256 records only the bytes they checked.
  if (parsed->count("sha256")) {
    std::string expected = (*parsed)["sha256"].as<std::string>();
    if (expected.size() < 12 || profile.sha256.rfind(expected, 0) != 0) {
      throw Error(profile.path + " is not the content you checked: its sha256 is " + profile.sha256);
    }
  }
  ctx.out() << printable(profile.path) << " (sha256 " << profile.sha256 << ") relaxes the sandbox:\n";
  run::TrustRecord record{profile.path, profile.sha256, rfc3339_now(), {}};
  for (const run::Relaxation& relaxation : relaxations) {
    ctx.out() << "  " << printable(relaxation.text()) << '\n';
    record.relaxes.push_back(relaxation.text());
  }
  store.add(record);
  ctx.out() << "trusted: '" << ctx.program() << " run' applies it while its content stays exactly the same\n";
  return 0;
}

cxxopts::Options untrust_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "untrust", "[OPTIONS] [FILE]",
                                             "FILE defaults to ./.docker-sandbox.json");
  options.add_options()
    ("h,help", "Print usage")
    ("file", "", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"file"});
  return options;
}

int run_untrust(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = untrust_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  // The record names the real path; a file that is gone is taken as typed.
  std::string path = profile_path(file_argument(*parsed));
  run::ConsentStore store(ctx.config_dir());
  if (!store.remove(path)) {
    throw Error(path + " is not trusted", "'" + ctx.program() + " trust --list' shows what is");
  }
  ctx.out() << "untrusted " << printable(path) << '\n';
  return 0;
}

} // namespace sandbox::cli
