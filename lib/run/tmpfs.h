#pragma once

// tmpfs mounts: parsing `--tmpfs PATH[:OPTIONS]`, and the one place that decides how a tmpfs is
// sent to the engine. Engines before API 1.46 silently drop TmpfsOptions.Options, and no engine
// accepts uid/gid there, so HostConfig.Tmpfs (a mount option string used verbatim) is the form
// that works everywhere; the long Mounts form is used only where it can say everything.

#include "engine/api_version.h"
#include "engine/engine_features.h"
#include "plan/plan.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::run {

struct HostBind;

struct TmpfsSpec
{
  std::string target;                 // absolute path inside the container
  std::optional<std::int64_t> size;   // bytes
  std::optional<unsigned> mode;       // permission bits, e.g. 01777
  bool mode_given = false;            // mode= was written (not one of our defaults)
  std::optional<std::int64_t> uid;
  std::optional<std::int64_t> gid;
  bool owner_given = false;           // uid= or gid= was written (not the sandbox user's default)
  bool exec = false;
  std::vector<std::string> extra;     // other kernel options passed through (nr_inodes=..., ro)
};

// Parses "PATH[:size=64m,mode=1777,uid=1000,gid=1000,exec|noexec,nr_inodes=N,ro,rw]".
// Throws UsageError naming the bad option.
TmpfsSpec parse_tmpfs(const std::string& text);

// The HostConfig.Tmpfs option string, e.g. "rw,exec,size=64m,mode=1777,uid=1000,gid=1000".
std::string tmpfs_option_string(const TmpfsSpec& spec);

// True when this tmpfs is sent in the long Mounts form (API >= 1.46 and nothing in it that
// TmpfsOptions cannot carry); false means HostConfig.Tmpfs.
bool use_mounts_form(const TmpfsSpec& spec, engine::ApiVersion version);

// Fits the tmpfs mounts to Podman: each gets notmpcopyup (Podman would copy what is below the
// mount point into it, showing what an --exclude hides). Where the engine refuses tmpfs
// uid=/gid= (Podman 4.3), a mount owned by the
// container's user (`uid`, `gid`) gets Podman's option U instead, which gives the tmpfs to that
// user, the same owner. Returns the line to tell the user when a uid=/gid= they wrote was
// replaced, else nullopt. Throws Error for a mount owned by someone else, which such an engine
// cannot give.
std::optional<std::string> fit_tmpfs_owners(std::vector<TmpfsSpec>& specs, std::optional<std::int64_t> uid,
                                            std::optional<std::int64_t> gid, const engine::EngineFeatures& features);

// runc gives a tmpfs the mode of a directory the image already has at its target, whatever mode=
// said. One HEAD per tmpfs whose mode was given, of its target in the image, as the lookup
// container `container_ref` shows it (command_lookup.h: never the sandbox, whose binds an archive
// request would mount): a directory there with another mode refuses the run, never a silently
// different mode. Under a host bind, `binds`, the directory is looked at on the host; a target
// under another of the sandbox's mounts is not checked.
std::vector<plan::Step> tmpfs_mode_checks(const std::vector<TmpfsSpec>& specs, const std::string& container_ref,
                                          const std::vector<HostBind>& binds);

} // namespace sandbox::run
