#pragma once

// Copying data into and out of managed volumes: host files or a tar in, a safely extracted tree
// or a tar out. Everything travels as a tar stream through a helper container (see
// helper_container.h); memory stays flat whatever the size.

#include "archive/safe_extractor.h"
#include "archive/tar_producer.h"
#include "engine/engine_client.h"

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

// Fills the volumes in one archive upload. The volumes must exist. Returns the warnings (files
// that changed while they were read). Throws Error, EngineError, ConnectionError or Cancelled.
std::vector<std::string> fill_volumes(engine::EngineClient& client, const std::vector<VolumeFill>& fills,
                                      const std::vector<std::pair<std::string, std::string>>& labels,
                                      const TransferHooks& hooks);

// Where a copy out of a volume reads from: `path` is plain relative ("" for the whole volume).
struct VolumeRead
{
  std::string volume;
  std::string path;
};

// Extracts `read` into `options.destination` (see safe_extractor.h; root_name is filled in).
// Throws Error when the path does not exist in the volume.
archive::ExtractResult copy_out(engine::EngineClient& client, const VolumeRead& read, archive::ExtractOptions options,
                                const TransferHooks& hooks);

// Extracts `path` of `container` into `options.destination` (root_name is filled in), through
// the archive API. Throws EngineError (404) when the path does not exist, Error, Cancelled.
archive::ExtractResult extract_from_container(engine::EngineClient& client, const std::string& container,
                                              const std::string& path, archive::ExtractOptions options,
                                              const TransferHooks& hooks);

// Writes the tar of `read`, as the engine sends it, to `fd`.
void copy_out_tar(engine::EngineClient& client, const VolumeRead& read, int fd, const TransferHooks& hooks);

// A path inside a volume or container, checked: relative, no "..", no control characters.
// Returns its components joined with "/" ("" for the root). Throws UsageError naming `what`.
std::string checked_volume_path(const std::string& path, const std::string& what);

} // namespace sandbox::volume
