#pragma once

// The volume flags of `docker sandbox run` (--tenant/--run, --input, --collect, --volume,
// --keep-volumes) turned into RunOptions: names of the run's own volumes, mount points, host
// paths, all validated before anything is created.

#include "run/problems.h"
#include "run/run_options.h"

namespace sandbox::run {

// Where the run's volumes are mounted unless --input says otherwise.
inline constexpr const char* k_inputs_target = "/inputs";
inline constexpr const char* k_outputs_target = "/outputs";

void resolve_volume_options(const RunFlags& flags, const HostFacts& host, const RunIdentity& identity, RunOptions& out,
                            Problems& problems);

} // namespace sandbox::run
