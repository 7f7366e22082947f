#pragma once

// Whether the engine sees the host directories a run would bind as this process sees them. A
// local engine does; one inside Docker-in-Docker, across TLS or ssh, or in another mount namespace
// sees other directories under the same paths, or none. Binding then would mount a different
// directory silently (a decoy of the same path on the engine's host), so the run copies instead.

#include "plan/executor.h"
#include "plan/plan.h"
#include "run/run_options.h"

#include <string>
#include <vector>

namespace sandbox::run {

// Removes the marker directories in `parent` (those named with `prefix`) that a probe killed
// before its end left: the invoker's, unlocked (their process is gone), a minute old, holding
// nothing but the marker. Links and anything else are left alone.
void sweep_abandoned_probes(const std::string& parent, const std::string& prefix);

// The probe: a never-started container from the helper image binds, read-only, a marker
// directory of ours (holding a file named `marker`) and each of `dirs`; HEAD then asks the engine
// for the marker and for each directory's mode and modification time. Removed in cleanup.
plan::Plan workspace_probe_plan(const std::string& marker_dir, const std::string& marker, const std::vector<std::string>& dirs,
                                const RunIdentity& identity);

// From the probe's replies: true when the engine found the marker and described each of `dirs`
// with the mode and modification time (to the nanosecond) that lstat gives here. A bind the
// engine refused is a no.
bool probe_saw_same(const plan::Results& results, const std::vector<std::string>& dirs);

// With WorkspaceMode::detect and a workspace or an output: binds when `engine_is_local` (the
// engine is known to resolve paths as we do, engine/local_peer.h); otherwise probes through `executor` (a
// marker directory under the Docker config dir, or the temporary directory when that cannot be
// written; removed again), and when the engine does not
// see the directories, resolves `flags` again with --workspace-mode copy into `options`.
// Returns true when it switched to copying.
bool copy_unless_engine_sees(bool engine_is_local, plan::Executor& executor, const engine::ApiVersion& version,
                             RunFlags& flags, const HostFacts& host, const RunIdentity& identity, RunOptions& options);

} // namespace sandbox::run
