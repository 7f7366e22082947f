#pragma once

// Whether the command of a created sandbox can be run, decided before it starts, the way runc
// decides it with Go's exec.LookPath: a name without '/' along PATH (a directory, or a file
// without any execute bit, is passed over), a name with '/' as it is, relative to the working
// directory; a symbolic link at the end is followed. With an init process (tini, catatonit) as
// pid 1 the start succeeds whatever the command, the init's exit code (127 or 126) is one the
// command itself may exit with, and what the sandbox writes is the hostile party's: only the
// engine's stats tell.
//
// The stats (HEAD /containers/{id}/archive) are never asked of the sandbox itself: for any
// archive request dockerd first mounts all of a container's mounts in its own namespace, each at
// a destination it resolved a moment before, so a racer that swaps a directory of the project for
// a link in that window places the sandbox's writable output anywhere on the host (the
// CVE-2018-15664 class). They are asked of a lookup container: the same image, never started,
// with no mount at all. What lies under one of the sandbox's mounts (the workspace, the output,
// binds, volumes, tmpfs, /proc, /sys, /dev) is not in it: under a host bind (the workspace, the
// output, -v) this process looks itself, on the host and following no link; what lies under any
// other mount is left to the runtime to say.

#include "plan/plan.h"
#include "run/run_options.h"
#include "util/error.h"
#include "util/json.h"

#include <optional>
#include <string>
#include <vector>

namespace sandbox::run {

// The command cannot be run: what() is docker run's wording (Go's exec error as runc gives it),
// exit_code() docker run's code, 127 (not found) or 126 (cannot be invoked).
class CommandCannotRun : public Error
{
public:
  CommandCannotRun(int exit_code, const std::string& what) : Error(what), m_exit_code(exit_code) {}
  int exit_code() const { return m_exit_code; }

private:
  int m_exit_code;
};

// A host directory or file bound into the sandbox: what lies below `target` is looked at on the
// host, below `source`, without following a link.
struct HostBind
{
  std::string target;
  std::string source;
};

// The command a container will run: argv[0], the PATH it is looked up along, the working
// directory, where the sandbox has mounts (what the lookup container does not show), and which of
// them are host binds (what this process can look at itself).
struct CommandToRun
{
  std::string name;
  std::string path_env;
  std::string workdir;
  std::vector<std::string> mount_points;
  std::vector<HostBind> binds;
};

// The PATH the engine gives a container whose environment has none.
inline constexpr const char* k_default_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// From the sandbox's inspect reply: the first word of Config.Entrypoint, else of Config.Cmd (never
// Path: Podman's init names itself there), the PATH of Config.Env (k_default_path without one), Config.WorkingDir ("/" when
// empty), and as mount points Mounts[].Destination, HostConfig.Mounts[].Target, the keys of
// HostConfig.Tmpfs and what every runtime mounts (/proc, /sys, /dev, /etc/hosts, ...).
CommandToRun command_to_run(const json::Value& inspect);

enum class CommandVerdict {
  looking,    // next() names the path to stat
  found,      // an executable file (it may still be one the sandbox's user cannot execute)
  undecided,  // the stats cannot tell (under a mount, a relative PATH entry, an engine error, links)
  not_found,  // 127
  cannot_run, // 126: a directory, or a file without any execute bit
};

// One lookup, a stat at a time. A refusal is only given when the stats prove it: before not_found
// or cannot_run is the verdict, every directory above each path looked at is stated too, and a
// link among them that leads to, into or above a mount makes the verdict undecided (the engine resolved it in
// the image, the runtime will resolve it through the mount).
class CommandLookup
{
public:
  explicit CommandLookup(CommandToRun command);

  // The container path to stat next; nullopt once the verdict is in.
  std::optional<std::string> next() const;
  // When `path` lies in one of the host binds (the deepest mount above it): the bind, and the
  // path below its target. Such a path is stated on the host (stat_in_bind), not by the engine.
  std::optional<std::pair<HostBind, std::string>> in_bind(const std::string& path) const;
  // Takes the engine's answer for next(): the HTTP status (404: no such path) and the decoded
  // stat. Throws Error when a 2xx stat is unreadable.
  void observe(int status, const json::Value& stat);
  CommandVerdict verdict() const { return m_verdict; }
  // Throws CommandCannotRun for not_found and cannot_run; does nothing otherwise.
  void throw_if_cannot_run() const;

private:
  void try_candidate(std::size_t index);
  void visit(const std::string& path);
  void conclude(CommandVerdict verdict);
  void observe_candidate(int status, const json::Value& stat);
  void observe_ancestor(int status, const json::Value& stat);
  bool under_mount(const std::string& path) const;
  bool meets_mount(const std::string& dir) const; // a mount or bind at, above or below `dir`

  CommandToRun m_command;
  bool m_slash = false;
  std::vector<std::string> m_candidates;
  std::size_t m_index = 0;
  std::string m_current;
  int m_links = 0;
  int m_stats = 0;
  bool m_directory = false;             // cannot_run because it is a directory
  bool m_skipped_mount = false;         // a PATH candidate under a mount was passed over unseen
  std::vector<std::string> m_stated;    // every path stated while looking
  std::vector<std::string> m_ancestors; // the directories above them, stated before a refusal
  std::size_t m_ancestor = 0;
  CommandVerdict m_pending = CommandVerdict::looking; // the refusal the ancestors must confirm
  CommandVerdict m_verdict = CommandVerdict::looking;
};

// The run's host binds (the workspace, the output, -v), as the lookup looks at them.
std::vector<HostBind> host_binds(const RunOptions& options);

// The deepest of the sandbox's mounts above `path` (or at it), and the path below its target: a
// host bind, or another mount (source empty); nullopt when `path` is in the image.
std::optional<std::pair<HostBind, std::string>> deepest_mount(const std::string& path, const std::vector<std::string>& mount_points,
                                                              const std::vector<HostBind>& binds);

// The stat of `relative` below the bind's source on the host, as the engine's archive stat gives
// it (404; or 200 and {"mode": Go's file mode bits, "linkTarget"}), no link followed: a link in a
// directory above is given as a link to where it leads, with the rest of the path (a link out of
// the bind is looked at where it leads in the sandbox). 500 for what the lookup cannot tell (not a
// directory, a special file, an I/O error).
std::pair<int, json::Value> stat_in_bind(const HostBind& bind, const std::string& relative);

// The steps that look up the sandbox's command ("{create.Id}") before it starts.
struct LookupSteps
{
  // Right after the sandbox's create, which is sent together with it: the lookup container (the
  // run's image, no mount, no network, never started, labelled as the run's). A 404 (no image)
  // is the sandbox create's to report; nothing is looked up then.
  plan::Step container;
  // After it: read the sandbox (step "command"), stat the command as the runtime will find it
  // until the verdict is in (step "command-lookup", which throws CommandCannotRun), then `more`,
  // steps that also stat the image ({lookup.Id}).
  std::vector<plan::Step> look;
  // After the start, its reply read later: the lookup container's removal, which would slow the
  // start down if sent with it.
  plan::Step remove;
  // In cleanup, for the paths that stopped before `remove`.
  plan::Step cleanup;
};
LookupSteps command_lookup_steps(const RunOptions& options, std::vector<plan::Step> more);

} // namespace sandbox::run
