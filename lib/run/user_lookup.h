#pragma once

// `--user NAME[:GROUP]` as docker run resolves it: in the image's own /etc/passwd and /etc/group.
// The engine gets the name as typed (so the image's home directory and supplementary groups apply
// as with docker run); the numeric ids it stands for give the sandbox user its scratch (tmpfs
// uid=/gid=), its copied output and its collect volume. Without them a named user would get
// root-owned scratch it cannot write.

#include "plan/executor.h"
#include "plan/plan.h"
#include "run/run_options.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::run {

// The files a lookup of `user` (what --user said) needs: /etc/passwd for a user name or for a
// missing group (the user's primary group), /etc/group for a group name.
struct UserFiles
{
  bool passwd = false;
  bool group = false;
};
UserFiles files_for_user(const std::string& user);

// What `user` (NAME, UID, NAME:GROUP, UID:GROUP, NAME:GID) stands for in the image, as the engine
// reads its files: `passwd` and `group` are their contents (nullopt when not read). `groups`: the
// groups that list a named user given without a group, which the engine adds.
struct ImageUser
{
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  std::vector<std::int64_t> groups;
};
// Throws Error naming the unknown user or group and `image`, or an entry whose id is not a number
// (the engine would take it for 0).
ImageUser user_ids_in(const std::string& user, const std::optional<std::string>& passwd, const std::optional<std::string>& group,
                      const std::string& image);

// One warning line when a name makes the sandbox root, or puts it in root's group, which the
// name does not say (an image can call uid 0 "nobody"); "" otherwise, and for "root" and "0",
// which are said as typed.
std::string root_in_image(const std::string& user, const ImageUser& found, const std::string& image);

// The lookup: the image (pulled first, as the run would, with --pull), a container from it that
// is never started, and the checked download of the files `files` into `dir`. Removed in cleanup.
plan::Plan user_lookup_plan(const RunOptions& options, UserFiles files, const std::string& dir);

// With a named --user (options.user_named): reads the image's files through `executor` and
// resolves `flags` again with the ids found, into `options` (with a warning when they are
// root's). Does nothing otherwise.
void resolve_user_in_image(plan::Executor& executor, const engine::ApiVersion& version, RunFlags& flags,
                           const HostFacts& host, const RunIdentity& identity, RunOptions& options);

} // namespace sandbox::run
