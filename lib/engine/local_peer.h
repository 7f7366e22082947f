#pragma once

// Who the engine at the end of a unix socket is: whose process (a rootless engine is its owner's),
// and whether it resolves paths as we do, so that a bind source names the directory we mean
// with no need to ask the engine.

#include "engine/endpoint.h"

#include <optional>
#include <sys/types.h>

namespace sandbox::engine {

// The process at the end of a unix socket `endpoint` (SO_PEERCRED); nullopt for any other
// transport, or when the socket cannot be reached.
struct SocketPeer
{
  uid_t uid = 0; // as this process's user namespace sees it: a rootless engine's is its owner's
  // The peer is visible in our pid namespace and shares our mount namespace and root directory.
  // False whenever that cannot be shown: a peer in another pid namespace (Docker-in-Docker), a
  // rootless engine in its own namespaces, a process we may not inspect.
  bool shares_our_paths = false;
};
std::optional<SocketPeer> socket_peer(const Endpoint& endpoint);

} // namespace sandbox::engine
