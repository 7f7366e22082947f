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

// PUT the tar `upload` into `container_ref` (a reference such as {helper.Id}) at `dir`, a
// volume's mount point in the helper (/v0): its members are named below it, "." being the
// volume's root. An engine writes into the volume only when the PUT names a path inside it
// (Podman writes a PUT at / into the helper's own layer, under the mount point).
plan::Step upload_step(const std::string& id, const std::string& container_ref, const std::string& dir, plan::Upload upload);

// PUT at / the directory members `roots` (the mount points, v0, v1, ...), only for their owner
// and mode: Docker applies them to the volumes mounted there and skips the "." member of an
// upload into the mount point, where Podman does the reverse. Sending both serves each engine.
plan::Step upload_roots_step(const std::string& id, const std::string& container_ref, plan::Upload roots);

// At most this many entries of one upload are checked afterwards (the first in name order).
inline constexpr std::size_t k_max_verified_entries = 64;

// After the upload step `upload_id` into `dir` of `container_ref` (the volume `volume`): HEAD each
// top-level entry it sent (each entry of `upload`, and the host directory's children where an
// entry stores a directory's contents or is the volume's root), each required to be there with
// the type, and for a regular file the size, that the tar said. An engine that accepts an upload
// and drops it (or puts it elsewhere) is an error, not a silent loss.
std::vector<plan::Step> verify_upload_steps(const std::string& id, const std::string& container_ref, const std::string& dir,
                                            const plan::Upload& upload, const std::string& upload_id,
                                            const std::string& volume);

// HEAD `root` and each component of `path` below it: the engine resolves links in a path as root
// inside the container, so each component must exist and must not be a symbolic link that the
// sandbox could have planted. `missing` is
// the error when a component does not exist. Then GET the tar of `path` into `download`.
std::vector<plan::Step> download_steps(const std::string& id, const std::string& container_ref, const std::string& root,
                                       const std::string& path, plan::Download download, const std::string& missing);

} // namespace sandbox::volume
