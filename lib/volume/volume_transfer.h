#pragma once

// Copying data into and out of managed volumes (`volume put`, `volume get`), as plans: host
// files or a tar in, a safely extracted tree or a tar out. Everything travels as a tar stream
// through a helper container (see volume_steps.h) and TransferExecutor streams it, so memory
// stays flat whatever the size.

#include "archive/tar_producer.h"
#include "engine/engine_features.h"
#include "plan/plan.h"
#include "volume/volume_steps.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::volume {

struct TransferHooks
{
  int cancel_fd = -1;                                  // readable once the user cancelled
  std::function<void(std::uint64_t bytes)> progress;   // content bytes moved so far
};

// What goes into one volume: host paths ("-": a tar read from stdin), placed in `dest` (a plain
// relative directory in the volume, "" for its root). `dest` and everything put get `ownership`.
struct VolumeFill
{
  std::string volume;
  std::vector<std::string> sources;
  std::string dest;
  archive::Ownership ownership;
};

// Checks sources and destinations before anything is sent: sources exist and can be archived,
// "-" is alone, `dest` is plain. Returns the content bytes to send (0 when reading stdin).
// Throws UsageError or Error.
std::uint64_t check_fills(const std::vector<VolumeFill>& fills);

// Who asks: the tenant the volume must belong to (if any), and the labels and unique name suffix
// of the helper container (created time and owner, so that prune spares a live transfer).
struct Requester
{
  std::optional<std::string> tenant;
  Labels helper_labels;
  std::string unique;
};

// volume put: check the volume, the helper, the upload of `fill` (fill_steps, laid out for the
// engine of `features`) and its checks, the helper's removal.
plan::Plan plan_put(const VolumeFill& fill, const Requester& requester, engine::ApiVersion version,
                    const engine::EngineFeatures& features);

// Where a copy out of a volume reads from: `path` is plain relative ("" for the whole volume).
struct VolumeRead
{
  std::string volume;
  std::string path;
};

// volume get: check the volume, the helper (read-only), the path's components, one download
// into `download` (a host directory or "-"), the helper's removal. Throws UsageError for a bad path.
plan::Plan plan_get(const VolumeRead& read, plan::Download download, const Requester& requester,
                    engine::ApiVersion version);

// A path inside a volume or container, checked: relative, no "..", no control characters.
// Returns its components joined with "/" ("" for the root). Throws UsageError naming `what`.
std::string checked_volume_path(const std::string& path, const std::string& what);

} // namespace sandbox::volume
