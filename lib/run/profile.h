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

// The profile to use: `explicit_path` (must exist) or <workspace>/.docker-sandbox.json when it
// exists; nullopt when there is none.
std::optional<std::string> find_profile(const std::optional<std::string>& explicit_path, const std::string& workspace);

// Fills every setting the command line left unset from the profile.
void apply_profile(const json::Value& profile, RunFlags& flags);

} // namespace sandbox::run
