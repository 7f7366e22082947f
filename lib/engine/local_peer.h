#pragma once

// Whether the engine at the end of a unix socket is a process of this host that resolves paths as
// we do: then a bind source names the directory we mean, with no need to ask the engine.

#include "engine/endpoint.h"

namespace sandbox::engine {

// True when `endpoint` is a unix socket whose peer (SO_PEERCRED) is visible in our pid namespace
// and shares our mount namespace and root directory. False whenever that cannot be shown: a peer
// in another pid namespace (Docker-in-Docker), a rootless engine in its own namespaces, a
// process we may not inspect, any transport but a unix socket.
bool engine_shares_our_paths(const Endpoint& endpoint);

} // namespace sandbox::engine
