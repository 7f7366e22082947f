#pragma once

#include "engine/engine_features.h"
#include "plan/plan.h"
#include "run/run_options.h"

namespace sandbox::run {

// The container create body for `options` at `version`: every hardening default, mount and
// limit becomes JSON here and nowhere else.
json::Value container_config(const RunOptions& options, engine::ApiVersion version);

// With --pull: look for the image, and pull it when it is not there (steps "image" and "pull").
std::vector<plan::Step> pull_steps(const RunOptions& options);

// The requests of one sandbox run on an engine with `features`: (pull, with --pull,) its volumes
// filled, create, look its command up, attach, arm the wait, start; once it exited, inspect (137)
// and collect; on every exit path, remove (unless --keep).
plan::Plan plan_run(const RunOptions& options, engine::ApiVersion version, const engine::EngineFeatures& features);

// Whether the plan's inspect step (sent when the container exited 137) says that the memory
// limit killed it.
bool killed_by_memory_limit(const plan::Results& results);

} // namespace sandbox::run
