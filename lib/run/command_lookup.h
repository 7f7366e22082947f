#pragma once

// Whether the command of a created container can be run, decided before it starts from the stats
// the engine's archive API gives (HEAD /containers/{id}/archive), the way runc decides it with
// Go's exec.LookPath: a name without '/' along PATH (a directory, or a file without any execute
// bit, is passed over), a name with '/' as it is, relative to the working directory; a symbolic
// link at the end is followed. With an init process (tini, catatonit) as pid 1 the start succeeds
// whatever the command, and the init's exit code (127 or 126) is one the command itself may exit
// with, and what the sandbox writes is the hostile party's: only the engine's stats tell.

#include "plan/plan.h"
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

// The command a container will run: argv[0], the PATH it is looked up along, the working directory.
struct CommandToRun
{
  std::string name;
  std::string path_env;
  std::string workdir;
  std::vector<std::string> mount_points; // Mounts[].Destination
  // A 404 for a path in a mount proves nothing (Podman 4.3 stats a link there on the host): such a
  // miss leaves the verdict to the runtime.
  bool misses_in_mounts_unknown = false;
};

// The PATH the engine gives a container whose environment has none.
inline constexpr const char* k_default_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// From a container inspect reply: Path, the PATH of Config.Env (k_default_path without one), and
// Config.WorkingDir ("/" when empty), and Mounts[].Destination.
CommandToRun command_to_run(const json::Value& inspect);

enum class CommandVerdict {
  looking,    // next() names the path to stat
  found,      // an executable file (it may still be one the sandbox's user cannot execute)
  undecided,  // the stats cannot tell (a relative PATH entry, an engine error, too many links)
  not_found,  // 127
  cannot_run, // 126: a directory, or a file without any execute bit
};

// One lookup, a stat at a time.
class CommandLookup
{
public:
  explicit CommandLookup(CommandToRun command);

  // The container path to stat next; nullopt once the verdict is in.
  std::optional<std::string> next() const;
  // Takes the engine's answer for next(): the HTTP status (404: no such path) and the decoded
  // stat. Throws Error when a 2xx stat is unreadable.
  void observe(int status, const json::Value& stat);
  CommandVerdict verdict() const { return m_verdict; }
  // Throws CommandCannotRun for not_found and cannot_run; does nothing otherwise.
  void throw_if_cannot_run() const;

private:
  void next_candidate();

  CommandToRun m_command;
  bool m_slash = false;
  std::vector<std::string> m_candidates;
  std::size_t m_index = 0;
  std::string m_current;
  int m_links = 0;
  int m_stats = 0;
  CommandVerdict m_verdict = CommandVerdict::looking;
};

// The steps that look up the command of the container `container_ref` (e.g. "{create.Id}") before
// it starts: read it (step "command"), then stat it, as the runtime will find it, until the
// verdict is in (step "command-lookup"), which throws CommandCannotRun when it cannot be run.
// `misses_in_mounts_unknown`: the engine's 404 inside a mount cannot be believed (see CommandToRun).
std::vector<plan::Step> command_lookup_steps(const std::string& container_ref, bool misses_in_mounts_unknown);

} // namespace sandbox::run
