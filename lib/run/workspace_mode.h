#pragma once

// --workspace-mode: whether the workspace and the output directory are bound by their host paths
// or copied in and out through run volumes. Binding is right only when the engine sees our
// directories; inside Docker-in-Docker or with a remote engine the same path names another
// directory, or none (workspace_probe.h finds out which).

#include "run/problems.h"
#include "run/run_options.h"

#include <optional>
#include <string>

namespace sandbox::run {

// bind, copy or auto (nullopt: auto). Throws UsageError.
WorkspaceMode parse_workspace_mode(const std::optional<std::string>& text);

// Replaces the binds of the workspace and the output by two run volumes: the workspace is
// uploaded (its excluded paths and output mount point as empty directories, each file with its
// own owner and mode) and mounted read-only at the same place; the output volume, owned by the
// sandbox user, is downloaded into the output stage once the sandbox has exited and delivered as
// a bound output would be. Needs `out.run_label`.
void copy_instead_of_binding(const RunFlags& flags, RunOptions& out, Problems& problems);

// One line for stderr: how the workspace reaches the sandbox, and why.
std::string workspace_mode_line(const RunOptions& options, bool probed);

} // namespace sandbox::run
