#pragma once

// A run killed between making its stage directories and removing them leaves them behind: a
// pinned workspace that never went back, or a sandbox's output that was never delivered. The next
// run with stages in the same place, and `docker sandbox prune`, finish that work.

#include <string>
#include <vector>

namespace sandbox::run {

// Finishes the work of every abandoned stage directory of the invoker's in `parent`, and removes
// what is then empty. Returns what it did or could not do, one line each.
std::vector<std::string> repair_abandoned_stages(const std::string& parent);

// Where the runs started in `project` make their stage directories (empty when nowhere).
std::string stage_parent_for(const std::string& project);

} // namespace sandbox::run
