#pragma once

// Project profiles: `.docker-sandbox.json` at the workspace root (or --profile FILE) holds a
// project's sandbox settings. It is validated against the schema compiled into the binary
// (run/profile.schema.json); flags given on the command line override it.

#include "run/run_options.h"
#include "util/json.h"

#include <optional>
#include <string>

namespace sandbox::run {

// The schema text, as shipped.
const char* profile_schema();

// Reads and validates the profile at `path`. Throws UsageError naming the file, the key and what
// was expected.
json::Value load_profile(const std::string& path);
// Validates and parses a profile's text; `path` names it in errors.
json::Value parse_profile(const std::string& text, const std::string& path);

// The profile to use: `explicit_path` (must exist) or <workspace>/.docker-sandbox.json when it
// exists; nullopt when there is none.
std::optional<std::string> find_profile(const std::optional<std::string>& explicit_path, const std::string& workspace);

// Fills every setting the command line left unset from the profile. The profile may come with an
// untrusted project, so its paths must stay inside the directory that holds it: they are taken
// relative to `profile_dir`; absolute paths, "..", symbolic links on the way, and an output
// directory that is the project itself or inside .git are refused (UsageError).
void apply_profile(const json::Value& profile, const std::string& profile_dir, RunFlags& flags);

// The defaults this profile relaxes or moves (network, capabilities, user, entrypoint, writable
// workspace, workspace and output directories, executable scratch space, lifted limits), one line
// each, so that the user is told before a project loosens its own sandbox.
std::vector<std::string> profile_relaxations(const json::Value& profile);

} // namespace sandbox::run
