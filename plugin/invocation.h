#pragma once

// How the docker CLI (or a user) invoked us: the rows of the invocation table in
// shared/reference §1.5, reduced to a mode and the words that matter.

#include "engine/global_options.h"

#include <string>
#include <vector>

namespace sandbox::cli {

enum class Mode {
  metadata,      // docker-cli-plugin-metadata
  complete,      // __complete [sandbox] WORDS... CUR
  complete_bare, // __completeNoDesc: no descriptions
  hook,          // sandbox docker-cli-plugin-hooks <json>
  command,       // a command (or help)
};

struct Invocation
{
  Mode mode = Mode::command;
  engine::GlobalOptions globals;
  std::vector<std::string> words; // after "sandbox" (plugin) or after the global flags (standalone)
  bool standalone = false;        // run as docker-sandbox, not through the docker CLI
  bool help = false;              // `docker help sandbox ...` or a root --help
};

// Classifies argv (argv[0] excluded). `standalone` is whether DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND
// is unset. Throws UsageError for bad global flags.
Invocation classify(const std::vector<std::string>& args, bool standalone);

// The docker CLI runs `__complete sandbox WORDS...` for `docker __complete G... sandbox WORDS...`
// (or `docker G... __complete sandbox ...`), dropping the global flags G (-H, --context, ...). Given the CLI's own arguments
// (`cli_args`, argv[0] excluded) and our `words`, returns G when the CLI's request is the one that
// ran us; empty otherwise.
std::vector<std::string> dropped_global_flags(const std::vector<std::string>& cli_args, const std::vector<std::string>& words);

} // namespace sandbox::cli
