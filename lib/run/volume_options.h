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

// A mount point or a path in the sandbox, normalised: absolute, no "..", no control character,
// not "/". Throws UsageError naming `what`.
std::string sandbox_path(const std::string& path, const std::string& what);

// The first part of the names of a run's own volumes: tenant-T-run-LABEL-ID, without the tenant
// part when there is none, and with the id once when the label is the id.
std::string run_volume_prefix(const std::optional<std::string>& tenant, const std::string& run_label, const std::string& run_id);

void resolve_volume_options(const RunFlags& flags, const HostFacts& host, const RunIdentity& identity, RunOptions& out,
                            Problems& problems);

} // namespace sandbox::run
