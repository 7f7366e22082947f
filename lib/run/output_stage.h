#pragma once

// The output directory is never mounted itself. Each run's sandbox writes into a fresh directory
// of its own, inside a stage directory (see stage_dirs.h) on the output's filesystem, so the
// engine is handed a path no one else can change, and concurrent runs never share a directory.
// When the container is gone, what the sandbox wrote is given to the invoker (when root ran a
// sandbox as another uid) and moved into the output directory, reached without following links:
// new names are added, files replace files, directories merge.

#include "run/stage_dirs.h"

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sandbox::run {

struct StagedOutput
{
  std::string target;    // the output directory on the host
  std::string stage_dir; // made for this run
  std::string staged() const; // the sandbox's directory: what the engine mounts
};

class OutputStage
{
public:
  // Makes the stage and the sandbox's directory, owned by sandbox_uid:sandbox_gid when the
  // invoker (root) runs the sandbox as another user. Throws Error.
  OutputStage(const StagedOutput& spec, std::optional<std::int64_t> sandbox_uid, std::optional<std::int64_t> sandbox_gid);
  // Delivers what was not delivered yet (a run that ended by an error).
  ~OutputStage();
  OutputStage(const OutputStage&) = delete;
  OutputStage& operator=(const OutputStage&) = delete;

  // The sandbox is gone: moves its files into the output directory. Returns the problems, one line
  // each (what could not move stays in the stage directory, which is then named and kept).
  std::vector<std::string> deliver();

private:
  StagedOutput m_spec;
  StageDir m_stage;
  uid_t m_sandbox_uid;
  bool m_handed_over = false; // the sandbox's directory belongs to another uid
  bool m_delivered = false;
};

// Delivers what a killed run's sandbox left in `stage`. Returns what it did, one line each.
std::vector<std::string> repair_output(const AbandonedStage& stage);

} // namespace sandbox::run
