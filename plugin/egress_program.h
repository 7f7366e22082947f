#pragma once

// The egress proxy that `run --allow-host` starts (plugin/egress_proxy/), carried inside the plugin
// so that the one installed file is all a user needs.

#include "run/egress.h"

#include <optional>

namespace sandbox::cli {

// The proxy's bytes and digest; nullopt in a build without it (a sanitizer or fuzzing build, whose
// proxy cannot run in a file-less image).
std::optional<run::EgressProgram> egress_program();

} // namespace sandbox::cli
