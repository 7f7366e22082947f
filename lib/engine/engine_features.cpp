#include "engine/engine_features.h"

namespace sandbox::engine {

EngineFeatures features_of(const PingInfo& ping)
{
  EngineFeatures features;
  if (!ping.libpod_version.empty()) {
    features.podman = true;
    features.engine = "Podman " + ping.libpod_version;
    features.server = "Podman Engine"; // as its GET /version names its own component
    // Verified on 4.3.1 (Debian 12); later versions are assumed to refuse them too: the
    // fallback works on every version, the options would fail the run.
    features.tmpfs_owner_options = false;
    features.runtime_choice = false;
    features.put_reaches_mounts = false;
    features.inhibit_host_address = false;
  }
  return features;
}

std::vector<std::string> missing_features(const EngineFeatures& features)
{
  std::vector<std::string> missing;
  if (!features.tmpfs_owner_options) {
    missing.push_back("tmpfs uid/gid: not supported by " + features.engine
                      + " (a non-root sandbox's tmpfs mounts are given to it with Podman's U option; --tmpfs uid=/gid= "
                        "for another user cannot be honoured)");
  }
  if (!features.runtime_choice) {
    missing.push_back("runtime choice: " + features.engine + "'s Docker API ignores the runtime a container asks for, so "
                      "--isolation gvisor is refused (podman run --runtime runsc chooses it)");
  }
  if (features.podman) {
    missing.push_back("init exit codes: a command under a volume or a tmpfs of the sandbox that cannot be run is left to "
                      + features.engine
                      + "'s init, catatonit, which exits 1 where docker run gives 127 or 126 (elsewhere the lookup before the "
                        "start says it in docker run's words)");
  }
  return missing;
}

} // namespace sandbox::engine
