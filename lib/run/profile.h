#pragma once

// Project profiles: `.docker-sandbox.json` at the workspace root (or --profile FILE) holds a
// project's sandbox settings. It is validated against the schema compiled into the binary
// (run/profile.schema.json); flags given on the command line override it. The project may be the
// party the sandbox protects against, so a profile may tighten freely but relax only with the
// user's consent to its exact bytes (run/consent_store.h), and never in the ways
// run/relaxations.h forbids.

#include "run/consent_store.h"
#include "run/relaxations.h"
#include "run/run_options.h"
#include "util/json.h"

#include <optional>
#include <string>

namespace sandbox::run {

// The name of a project's profile at the workspace root.
inline constexpr const char* k_profile_file_name = ".docker-sandbox.json";

// The schema text, as shipped.
const char* profile_schema();

struct ProfileFile
{
  std::string path;       // real path
  std::string dir;        // the directory that holds it: its paths are relative to this
  std::string sha256;     // of the bytes that were parsed
  json::Value settings;
};

// Reads and validates the profile at `path` through one descriptor, so that the digest, the real
// path and the settings belong to the same bytes. Without `follow_links` a symbolic link at the
// end of `path` is refused. Throws UsageError naming the file, the key and what was expected.
ProfileFile load_profile(const std::string& path, bool follow_links);
// Validates and parses a profile's text; `path` names it in errors.
json::Value parse_profile(const std::string& text, const std::string& path);

// Fills every setting the command line left unset from the profile. Its paths must stay inside
// the directory that holds it: they are taken relative to `profile_dir`; absolute paths, "..",
// symbolic links on the way, and an output directory that is the project itself or inside .git
// are refused (UsageError).
void apply_profile(const json::Value& profile, const std::string& profile_dir, RunFlags& flags);

// The relaxations no consent can grant, joined with "; " ("" when there are none).
std::string never_accepted(const std::vector<Relaxation>& relaxations);

// A profile that applies to a run, and what it relaxes (recorded consent, or --profile FILE).
struct AppliedProfile
{
  std::string path;
  bool named = false; // --profile FILE: consent for this run
  std::vector<Relaxation> relaxations;
};

// Finds the run's profile (--profile FILE, else <workspace>/.docker-sandbox.json, which must be a
// regular file and not a link; none with --profile none), checks consent, and applies it to
// `flags`. Throws UsageError, before anything is created, when it relaxes the sandbox in a way
// never accepted from a profile, or without the user's consent recorded in `store` (the line
// names the keys and `program`'s trust command). nullopt when no profile applies.
std::optional<AppliedProfile> use_project_profile(RunFlags& flags, const std::string& cwd, const ConsentStore& store,
                                                  const std::string& program);

} // namespace sandbox::run
