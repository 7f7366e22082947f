#pragma once

#include "context.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace sandbox::cli {

// Answers cobra's completion protocol (what the docker CLI sends as `docker-sandbox __complete
// sandbox WORDS... CUR`): `words` are the words after `sandbox`, the last one being completed.
// Prints one candidate per line (with a tab and a description when `descriptions`), then
// ":<directive>". Engine lookups (images, networks, managed containers, tenants, runtimes) use the
// usual endpoint resolution with a short time limit and give no candidates when the engine is
// down. Never fails and never writes to stderr.
void complete(CommandContext& ctx, const std::vector<std::string>& words, bool descriptions);

// The standalone completion script for `shell` (bash, zsh or fish), built on `__complete`.
// Throws UsageError for another shell.
std::string completion_script(const std::string& shell);

} // namespace sandbox::cli
