#pragma once

// The locked-down defaults of `docker sandbox run`, in one place.

#include <cstdint>
#include <string_view>

namespace sandbox::run {

// The image `doctor` looks for and the quick start imports (a busybox-static rootfs).
inline constexpr std::string_view k_default_image = "docker-sandbox-busybox:latest";

// The uid and gid a sandbox runs as when the invoker is root, and the default owner of what is
// put into a volume (nobody:nogroup).
inline constexpr std::int64_t k_nobody = 65534;

// Limits a sandbox gets unless told otherwise. A project profile may go below them freely;
// above them is a relaxation that needs the user's consent (run/relaxations.h).
inline constexpr std::int64_t k_default_memory = 2LL * 1024 * 1024 * 1024; // swap included
inline constexpr std::int64_t k_default_pids = 512;
inline constexpr std::int64_t k_default_tmp_size = 256LL * 1024 * 1024;
inline constexpr std::int64_t k_default_home_size = 512LL * 1024 * 1024;

// What one copy out of a sandbox (volume get, all of a run's --collect) may write to the host
// unless told otherwise (--max-bytes and --max-files, --collect-max-bytes and --collect-max-files).
inline constexpr std::uint64_t k_default_copy_max_bytes = 10ULL << 30;
inline constexpr std::uint64_t k_default_copy_max_files = 1000000;

// Where the workspace and the output directory appear in the sandbox unless --workspace-target
// and --output-target say otherwise (the output's default follows the workspace's).
inline constexpr const char* k_workspace_target = "/workspace";
inline constexpr const char* k_output_name = "output";
// The sandbox user's HOME: a tmpfs of its own (npm, pip and git write there).
inline constexpr const char* k_home_target = "/home/sandbox";

// The engine-side log a kept sandbox may leave (json-file max-size); an attached run keeps none.
inline constexpr const char* k_kept_log_size = "10m";

} // namespace sandbox::run
