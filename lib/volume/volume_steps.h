#pragma once

// The plan steps every command that touches volumes is made of: checking a volume's owner,
// creating one, the helper container that data travels through, the tar upload into it, the checked path and the tar download out of a container, and the
// removals. `run`, `volume create`, `volume put` and `volume get` build their plans from these,
// so the dry run shows every request they send.

#include "managed/volumes.h"
#include "plan/plan.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::volume {

// Data moves in and out of volumes through the Engine's archive endpoints on a helper container:
// one created from this file-less image (imported on first use from an empty tar) with the
// volumes mounted, and never started. No image is pulled and no process runs, so it works
// without a registry and inside Docker-in-Docker.
inline constexpr std::string_view k_helper_image = "docker-sandbox-helper:1";

using Labels = std::vector<std::pair<std::string, std::string>>;

// GET /volumes/NAME, refusing (as find_volume does) a missing volume, one that is not ours, or
// (with `tenant`) one of another tenant or of none.
plan::Step find_volume_step(const std::string& id, const std::string& name, const std::optional<std::string>& tenant);

// GET /volumes/NAME for `--volume NAME:...` of a run: a run with a tenant mounts only that
// tenant's volumes, a run without one only volumes of no tenant.
plan::Step mountable_volume_step(const std::string& id, const std::string& name, const std::optional<std::string>& tenant);

// POST /volumes/create. The engine silently returns an existing volume of the same name, so the
// reply must carry our `creator` label; the step is recorded (and so removed in cleanup) only then.
plan::Step create_volume_step(const std::string& id, const managed::NewVolume& volume, const std::string& creator);

// DELETE /volumes/NAME (404 accepted), only if `create_id` created it; a failure is a warning.
plan::Step remove_volume_step(const std::string& id, const std::string& create_id, const std::string& name);

// GET the helper image, and import it (an empty tar, labelled managed) only if that was a 404.
std::vector<plan::Step> helper_image_steps();

struct HelperMount
{
  std::string volume; // a volume name, or with `bind` a host path
  std::string target; // absolute path in the helper
  bool read_only = false;
  bool bind = false;
};

// A container `id` that is never started: created from `image` with `mounts` and no network, our
// labels (the role: what it is for) and `labels`, named `name`.
plan::Step never_started_container_step(const std::string& id, const std::string& summary, const std::string& image,
                                        const std::string& name, const std::vector<HelperMount>& mounts, const Labels& labels,
                                        const std::string& role);

// The helper container `id`, never started: created from the file-less helper image with
// `mounts`, our labels (the role: what it is for) and `labels`, named docker-sandbox-transfer-<unique>.
plan::Step create_helper_step(const std::string& id, const std::vector<HelperMount>& mounts, const Labels& labels,
                              const std::string& unique, const std::string& role = "volume-transfer");

// Removes the helper as soon as the data has moved (`id`), and again in cleanup unless that
// step succeeded (`removed_by`); a failure is a warning.
plan::Step remove_helper_step(const std::string& id, const std::string& helper_id);
plan::Step remove_helper_cleanup(const std::string& id, const std::string& helper_id, const std::string& removed_by);

// One volume's upload: its members are named below the volume's mount point `dir` in the helper
// (/v0), "." being the volume's root.
struct VolumeUpload
{
  std::string volume;
  std::string dir;
  plan::Upload upload;
};

// At most this many entries of one upload are checked afterwards (the first in name order).
inline constexpr std::size_t k_max_verified_entries = 64;

// The steps that fill each of `uploads` through the helper `container_ref` and give the mount
// points `roots` (directory members v0, v1, ... for their owner and mode), then check what each
// volume holds: a HEAD of each top-level entry sent (of the host directory's children where an
// entry stores a directory's contents or is the volume's root), each required to be there with the
// type, and for a regular file the size, that the tar said, so that an engine that accepts an
// upload and drops it (or puts it elsewhere) is an error, not a silent loss.
// With `put_reaches_mounts` (Docker) one tar at / carries everything, the volumes' roots included:
// one unpacking in the engine, where each PUT costs a process. Otherwise (Podman, which writes a PUT
// at / into the helper's own layer and applies the "." member of an upload into a mount point,
// where Docker skips it) one PUT into each mount point and one at / for the roots, sent together.
// The first upload step is "upload"; each but the last is sent together with the next.
struct FillSteps
{
  std::vector<plan::Step> uploads;
  std::vector<plan::Step> checks;
};
FillSteps fill_steps(const std::string& container_ref, std::vector<VolumeUpload> uploads, plan::Upload roots,
                     bool put_reaches_mounts);

// HEAD `root` and each component of `path` below it: the engine resolves links in a path as root
// inside the container, so each component must exist and must not be a symbolic link that the
// sandbox could have planted. `missing` is
// the error when a component does not exist. Then GET the tar of `path` into `download`.
std::vector<plan::Step> download_steps(const std::string& id, const std::string& container_ref, const std::string& root,
                                       const std::string& path, plan::Download download, const std::string& missing);

} // namespace sandbox::volume
