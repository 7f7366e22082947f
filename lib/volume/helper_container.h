#pragma once

// Data moves in and out of volumes through the Engine's archive endpoints on a helper container:
// one created from a file-less image with the volumes mounted, and never started. No image is
// pulled and no process runs, so it works without a registry and inside Docker-in-Docker.

#include "engine/engine_client.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::volume {

// The empty image the plugin imports on first use.
inline constexpr std::string_view k_helper_image = "docker-sandbox-helper:1";

// Imports the helper image (an empty tar through POST /images/create?fromSrc=-, labelled
// managed) unless it is present. Throws EngineError or ConnectionError.
void ensure_helper_image(engine::EngineClient& client);

struct HelperMount
{
  std::string volume;
  std::string target; // absolute path in the helper
  bool read_only = false;
};

class HelperContainer
{
public:
  // Creates the helper with `mounts` and our labels plus `labels` (tenant, run). Throws on failure.
  HelperContainer(engine::EngineClient& client, const std::vector<HelperMount>& mounts,
                  const std::vector<std::pair<std::string, std::string>>& labels);
  // Removes it, whatever happened (errors are ignored: prune finds what an unreachable engine kept).
  ~HelperContainer();
  HelperContainer(const HelperContainer&) = delete;
  HelperContainer& operator=(const HelperContainer&) = delete;

  const std::string& id() const { return m_id; }

private:
  engine::EngineClient& m_client;
  std::string m_id;
};

} // namespace sandbox::volume
