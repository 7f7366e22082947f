#pragma once

// Host paths a sandbox sees: the workspace, and the ones named with -v HOSTPATH:PATH or
// --mount type=bind. Each is resolved as the workspace is (a link planted in the project is never
// followed) and must not hand the sandbox the user's secrets or the engine itself.

#include "run/mount_syntax.h"
#include "run/run_options.h"

#include <string>
#include <vector>

namespace sandbox::run {

// Why exposing the directory `path` (absolute, links resolved) would hand the sandbox the user's
// secrets: it is /, the home directory or one that holds it, a directory holding .ssh, .gnupg,
// .aws, .docker, .kube, .netrc, .git-credentials or .password-store, or one that holds the Docker
// config. "" when none.
std::string secrets_held_by(const std::string& path, const HostFacts& host);

// The bind for one -v or --mount type=bind: an existing directory or regular file, read-only
// unless the request says rw, targeted at a path in the sandbox. Within the current directory or
// one of the `hostile` directories (the workspace, the output) no link is followed. Throws
// UsageError when it is missing, a socket or device, part of /proc, /sys or /dev, holds or lies
// within the user's secrets (the home directory's secret directories, the Docker config), or
// holds a socket (the engine's, the user's session's, or one directly inside it).
BindSpec resolve_host_bind(const HostBindRequest& request, const HostFacts& host, const std::vector<std::string>& hostile);

} // namespace sandbox::run
