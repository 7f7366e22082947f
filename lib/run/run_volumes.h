#pragma once

// The volume work of `docker sandbox run --tenant T --input ... --collect ... --volume ...`, as
// plan steps: every --volume checked against the tenant; the run's input volumes (filled from
// the host in one upload, mounted read-only) and its output volume (owned by the sandbox user)
// created before the sandbox; the collects read back from the exited sandbox; the removals.

#include "plan/plan.h"
#include "run/run_options.h"

#include <string>
#include <vector>

namespace sandbox::run {

// Steps sent before the sandbox container is created: --volume checks, volume creates, the
// helper, the upload, the helper's removal.
std::vector<plan::Step> volume_steps(const RunOptions& options);

// Steps sent once the sandbox has exited: each --collect (a failure is a problem, not the end).
std::vector<plan::Step> collect_steps(const RunOptions& options);

// Cleanup steps: the helper (unless already removed), and the run's volumes unless they are
// kept (--keep-volumes, --keep) or something could not be collected.
std::vector<plan::Step> volume_cleanup_steps(const RunOptions& options);

// The run's volumes that were created and are still there because they were kept.
std::vector<std::string> kept_volumes(const RunOptions& options, const plan::Results& results);

} // namespace sandbox::run
