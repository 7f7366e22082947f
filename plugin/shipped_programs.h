#pragma once

// The programs that run in the engine's containers, carried inside the plugin so that the one
// installed file is all a user needs: the egress proxy of `run --allow-host`
// (plugin/egress_proxy/) and the init of a detached sandbox (plugin/sandbox_init/).

#include "run/shipped_program.h"

#include <optional>

namespace sandbox::cli {

// Each program's bytes and digest; nullopt in a build without it (a fuzzing build; a sanitizer
// build's proxy, which is not static and could not run in its file-less image).
std::optional<run::ShippedProgram> egress_program();
std::optional<run::ShippedProgram> init_program();

} // namespace sandbox::cli
