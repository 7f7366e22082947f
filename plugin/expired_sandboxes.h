#pragma once

// The second half of a detached sandbox's lifetime that always ends (managed/lifetime.h): every
// invocation that works with sandboxes first removes those whose --ttl has passed, with the run
// volumes they leave unused, whether or not their init stopped them. Nothing of ours has to be
// running in between.

#include "context.h"
#include "managed/prune.h"
#include "plan_flags.h"

namespace sandbox::cli {

// Removes them, one line on stderr each, and returns their `names` (its `plan` empty: sent); a
// failed removal is a warning (the command goes on, and the next invocation tries again); an
// engine that refuses the list is passed over in silence. A dry run reads
// the same lists (lookups, which it shows) and returns the removals unsent in `plan`, for the
// command's plan to show first; an offline one (--api-version) reads nothing.
managed::Removals remove_expired_sandboxes(CommandContext& ctx, const PlanFlags& flags);

} // namespace sandbox::cli
