#pragma once

#include "plan/plan.h"
#include "run/run_options.h"

namespace sandbox::run {

// The container create body for `options` at `version`: every hardening default, mount and
// limit becomes JSON here and nowhere else.
json::Value container_config(const RunOptions& options, engine::ApiVersion version);

// The requests of one sandbox run: check the image (or pull it), create, attach, arm the wait,
// start; once it exited, inspect; on every exit path, remove (unless --keep).
plan::Plan plan_run(const RunOptions& options, engine::ApiVersion version);

} // namespace sandbox::run
