#pragma once

// What an engine that speaks the Docker API cannot do, known up front from who it is, so that a
// command plans around it rather than retrying after a refusal. The identity comes from the
// GET /_ping that version negotiation sends anyway: Podman adds a Libpod-Api-Version header (and
// names itself "Podman Engine" in GET /version's Components), Docker does not.

#include "engine/engine_client.h"

#include <string>
#include <vector>

namespace sandbox::engine {

struct EngineFeatures
{
  std::string engine = "Docker"; // for messages: "Docker", "Podman 4.3.1"
  std::string server = "Docker Engine"; // the server's name in `version`: "Docker Engine", "Podman Engine"
  bool podman = false;
  // HostConfig.Tmpfs accepts uid= and gid= (Podman 4.3 answers "unknown mount option uid=").
  // Podman gives a tmpfs to the container's user with its own option U instead.
  bool tmpfs_owner_options = true;
  // HostConfig.Runtime chooses the OCI runtime. Podman 4.3's Docker API ignores it (inspect says
  // "oci"), while its /info lists runsc from containers.conf whether installed or not.
  bool runtime_choice = true;
  // An archive PUT at / writes through the volumes mounted below it, so one tar fills them all:
  // Docker mounts a container's volumes for the copy, Podman 4.3 writes into the container's own
  // layer under the mount points.
  bool put_reaches_mounts = true;
  // An internal network has a gateway address on the engine host, where a container on it reaches
  // the host's own services, unless Docker's option com.docker.network.bridge.inhibit_ipv4 takes it
  // away. Podman's internal networks have no gateway at all, and its networks know no such option
  // (4.3 warns, later versions may refuse it).
  bool inhibit_host_address = true;
};

// The features of the engine that answered `ping`.
EngineFeatures features_of(const PingInfo& ping);

// One line per feature the engine lacks, and what docker-sandbox does instead, for `doctor`.
std::vector<std::string> missing_features(const EngineFeatures& features);

} // namespace sandbox::engine
