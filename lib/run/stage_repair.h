#pragma once

// A run killed between making its stage directories and removing them leaves them behind: a
// pinned workspace that never went back, or a sandbox's output that was never delivered. The next
// run with stages in the same place, and `docker sandbox prune`, finish that work.

#include <string>
#include <vector>

namespace sandbox::run {

// Finishes the work of every abandoned stage directory of the invoker's: in the stage root under
// `config_dir`, and beside `project` (where runs started there stage what the root cannot take,
// on another filesystem). Removes what is then empty. Returns what it did or could not do, one
// line each.
std::vector<std::string> repair_abandoned_stages(const std::string& project, const std::string& config_dir);

} // namespace sandbox::run
