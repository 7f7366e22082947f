#pragma once

// Fault-injection points for the e2e suite. With DOCKER_SANDBOX_FAILPOINT=NAME in the
// environment, the process stops when it reaches the point NAME: it writes
// "docker sandbox: failpoint NAME reached" on stderr and waits (at most a minute) for a signal
// or the plugin socket's EOF, which then cancels it exactly as it would have there. Without the
// variable a failpoint costs one comparison. The points:
//   before-STEP      before a plan step is sent (before-create, before-attach, before-start, ...)
//   before-upload    a tar stream into a container (volume put, run --input) is about to start
//   before-download  a tar stream out of a container (volume get, run --collect) is about to start

#include <string_view>

namespace sandbox {

// Stops at the point `name` when DOCKER_SANDBOX_FAILPOINT names it; throws Cancelled when the
// wait ends with a cancellation.
void failpoint(std::string_view name);

} // namespace sandbox
