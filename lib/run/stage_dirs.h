#pragma once

// runc resolves a bind mount's source path again when the container starts. Whoever can rename an
// entry on that path (another local user who can write the project, or a concurrent sandbox with
// the project writable) could swap a component for a symbolic link in between, and get another
// host directory mounted. So the engine is only ever handed paths that no one but root and the
// invoker can change: a stage directory, private to one run, in a directory that guards it.

#include "util/dir_fd.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace sandbox::run {

// The prefix of every stage directory's name; the rest is "<run id>-<role>".
inline constexpr const char* k_stage_prefix = ".docker-sandbox-";
// A stage being made (not yet locked) is named with this prefix instead, which repairs ignore.
inline constexpr const char* k_stage_making_prefix = ".docker-sandbox~";

// True when some component of the absolute `path` could be renamed by someone other than root
// or `invoker` (its parent is writable by others and not sticky-protected), or lies in one of the
// `hostile` directories (at or below it): the project, the workspace.
bool path_can_be_swapped(const std::string& path, const std::vector<std::string>& hostile, uid_t invoker);

// Where stage directories live by preference: under the Docker config dir, which no default
// workspace may contain, so that no sandbox (even one running as the invoker's uid with some
// directory writable) can reach them.
std::string stage_root(const std::string& config_dir);

// The stage directory k_stage_prefix + `name` for `path`: in `root` (a stage_root()) when that is
// on `path`'s filesystem (a stage's content moves by rename); otherwise in the nearest ancestor of
// `path` that is outside every `hostile` directory, on the same filesystem, cannot be swapped
// itself, guards its entries from other users, and that the invoker can write. Empty when there
// is none.
std::string find_stage_dir(const std::string& path, const std::vector<std::string>& hostile, uid_t invoker,
                           const std::string& name, const std::string& root);

// What a stage directory holds, written in its manifest so that a later run can finish the work of
// one that was killed: the kind of stage, the name of its entry, and the host path it belongs to.
struct StageManifest
{
  std::string kind;   // "pin" or "output"
  std::string entry;  // the name of the staged directory inside the stage
  std::string target; // where it goes back to
};

// A stage directory made (0700) by this run and locked while it lives, so that repairs leave it
// alone. Removed, with its entry when that is empty (or not a directory), on destruction.
class StageDir
{
public:
  StageDir(std::string path, const StageManifest& manifest);
  ~StageDir();
  StageDir(const StageDir&) = delete;
  StageDir& operator=(const StageDir&) = delete;

  int fd() const { return m_fd.get(); }
  const std::string& path() const { return m_path; }
  // The work is done: a repair must not move anything back.
  void drop_manifest();
  // Leave the stage in place (something in it still needs the user).
  void keep() { m_keep = true; }

private:
  std::string m_path;
  std::string m_entry;
  UniqueFd m_parent;
  UniqueFd m_fd;
  bool m_keep = false;
};

// A stage directory whose run is gone (nobody holds its lock), with its manifest (kind empty
// when it has none). Locked while this object lives.
struct AbandonedStage
{
  std::string path;
  UniqueFd fd;
  StageManifest manifest;
};

// The invoker's abandoned stage directories in `parent`. Outside a stage root, a manifest is
// believed only for a target below `parent` (one of ours always is): whatever a sandbox managed
// to plant there could name nothing else.
std::vector<AbandonedStage> abandoned_stages(const std::string& parent, uid_t invoker, bool is_stage_root);

// True for the names of stage directories (made, or being made): reserved for the plugin, never
// delivered from a sandbox's output.
bool is_stage_name(const std::string& name);

// Removes what is empty in an abandoned stage directory (its entries when they are empty
// directories or not directories), and then, when nothing else is left, its manifest and itself.
void remove_stage(const AbandonedStage& stage);

} // namespace sandbox::run
