#pragma once

// Who owns a managed object: the owner label names the plugin process ("<host>:<pid>") that made
// it, so prune can tell a live run's objects from the orphans of a killed one.

#include <functional>
#include <string>

namespace sandbox::managed {

// Whether the plugin process named by an owner label is still alive; `this_host` is our hostname.
// Another host's owner, or none, is always taken as alive.
using OwnerAlive = std::function<bool(const std::string& owner)>;
OwnerAlive local_owner_check(const std::string& this_host);

} // namespace sandbox::managed
