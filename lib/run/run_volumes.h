#pragma once

// The volume work of `docker sandbox run --tenant T --input ... --collect ... --volume ...` and of
// a copied workspace and output (workspace_mode.h), as plan steps: every --volume checked against the tenant; the run's input volumes (filled from
// the host in one upload, mounted read-only) and its output volume (owned by the sandbox user)
// created before the sandbox; the collects read back from the exited sandbox; the removals.

#include "plan/plan.h"
#include "run/run_options.h"
#include "volume/volume_steps.h"

#include <optional>
#include <string>
#include <vector>

namespace sandbox::run {

// The labels of what a run creates besides its sandbox (volumes, helper and lookup containers):
// created, owner, run, and the tenant.
volume::Labels run_labels(const RunOptions& options);

// The volume work before the sandbox runs. `prepare`, sent before the sandbox container is
// created: --volume checks, volume creates (each sent together with the next), the helper, and the
// uploads (volume::fill_steps, laid out for an engine whose PUT at / reaches the volumes mounted
// below it or not; the last sent together with the sandbox's create). `checks`: what each volume
// holds, once the sandbox and the containers created with it were answered.
struct VolumeSteps
{
  std::vector<plan::Step> prepare;
  std::vector<plan::Step> checks;
};
VolumeSteps volume_steps(const RunOptions& options, bool put_reaches_mounts);

// The helper's removal, sent once the uploads were checked and the command looked up; its reply
// is read once the sandbox started. None when the run has no volumes of its own.
std::optional<plan::Step> helper_removal_step(const RunOptions& options);

// The collector, when anything is read back after the run: a helper with only the volumes read
// back, never started (an archive request on the sandbox would mount its binds in the engine's
// namespace). Created before the start, alongside the sandbox, so the end of the run waits less.
std::optional<plan::Step> collector_step(const RunOptions& options);

// Steps sent once the sandbox has exited: each --collect and a copied output, read from the
// collector (a failure is a problem, not the end), then its removal.
std::vector<plan::Step> collect_steps(const RunOptions& options);

// Cleanup steps: the helper and the collector (unless already removed), and the run's volumes unless something
// could not be collected (a copied workspace goes anyway), the run was interrupted (a copied
// output, not read back then, stays), or they are kept (--keep-volumes, --keep) and the sandbox
// started (step "start" of the run's plan).
std::vector<plan::Step> volume_cleanup_steps(const RunOptions& options);

// The run's volumes that were created and are still there because they were kept.
std::vector<std::string> kept_volumes(const RunOptions& options, const plan::Results& results, bool interrupted);

} // namespace sandbox::run
