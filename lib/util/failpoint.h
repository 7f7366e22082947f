#pragma once

// Fault-injection points for the e2e suite, compiled only into test builds (the CMake option
// SANDBOX_FAILPOINTS); elsewhere failpoint() is empty and nothing can arm one. plugin/ arms one
// point when DOCKER_SANDBOX_FAILPOINT names it; when the process reaches that point it reports it (plugin/ prints
// "docker sandbox: failpoint NAME reached") and waits, at most a minute, for a signal or the
// plugin socket's EOF, which then cancels it exactly as it would have there. Unarmed, a
// failpoint costs a string comparison. The points:
//   before-STEP      before a plan step is sent (before-create, before-attach, before-start, ...)
//   before-upload    a tar stream into a container (volume put, run --input) is about to start
//   before-download  a tar stream out of a container (volume get, run --collect) is about to start
//   pin-moved        a workspace pin has renamed what held the workspace's name into its stage, and
//                    has not yet checked that it is the directory it opened

#include <functional>
#include <string>
#include <string_view>

namespace sandbox {

// Arms the point `name` (empty: none); `reached` is called with its name when the process gets
// there (test builds only). With `hold` false the process goes on as soon as `reached` returns: a
// unit test acts at that moment, as a concurrent process could.
void arm_failpoint(std::string name, std::function<void(const std::string&)> reached, bool hold = true);

// Stops at the point `name` when it is armed; throws Cancelled when the wait ends with a
// cancellation.
#ifdef SANDBOX_FAILPOINTS
void failpoint(std::string_view name);
#else
inline void failpoint(std::string_view) {}
#endif

} // namespace sandbox
