#pragma once

// `run -d` and `create`: a sandbox that outlives the plugin, and whose lifetime always ends. Its
// deadline (--ttl, default 8h) and --idle-timeout go into labels at create (managed/lifetime.h)
// and into the arguments of its init, a program the plugin carries (plugin/sandbox_init): uploaded
// into a run volume mounted read-only at /.docker-sandbox, it runs as pid 1 and hands the command
// on, which the create's Entrypoint gives it: the image's entrypoint and command spliced in from the
// image's inspect (plan::Step::Splice), as the engine would have merged them.

#include "managed/lifetime.h"
#include "plan/plan.h"
#include "run/run_options.h"
#include "run/shipped_program.h"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::run {

class Problems;

inline constexpr std::chrono::hours k_default_ttl{8};
inline constexpr std::string_view k_init_dir = "/.docker-sandbox";
inline constexpr std::string_view k_init_name = "init";
// The signal that tells the init someone used the sandbox (exec, attach): SIGRTMIN+3, by number.
inline constexpr std::string_view k_touch_signal = "37";

// Checks -d against the flags it cannot go with, and fills out.detached from --ttl and
// --idle-timeout (the deadline counted from identity.created); also --ttl and --idle-timeout
// without -d. `flags.output` is "none" by default with -d.
void resolve_detached(const RunFlags& flags, const RunIdentity& identity, RunOptions& out, Problems& problems);

// The step before the create that reads the image's entrypoint and command.
plan::Step image_config_step(const RunOptions& options);

// Puts the init in front of the create's command (`config` is its body): Entrypoint becomes the
// init, its arguments, then --entrypoint or the image's entrypoint, then the command or, when none
// was given and no --entrypoint, the image's; the image's parts are splices of `create`.
void wrap_in_init(json::Value& config, plan::Step& create, const RunOptions& options);

// The arguments of the init in the create's Entrypoint that come before the command; the command
// lookup skips them.
std::size_t init_argument_count();

} // namespace sandbox::run
