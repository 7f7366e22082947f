#pragma once

// The host side of one run, around the plan the engine sees: the host directories it needs, the
// stages that earlier runs of a killed plugin left (repaired first), the output stage the sandbox
// writes into, and the pins that hold a swappable workspace still while the container starts.

#include "run/mount_pins.h"
#include "run/output_stage.h"
#include "run/run_options.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::run {

class HostSide
{
public:
  // Prepares everything `options` needs on the host; `warn` gets one line per repaired stage.
  // Throws Error, with whatever was prepared undone.
  HostSide(const RunOptions& options, const HostFacts& host, const std::function<void(const std::string&)>& warn);
  // Removes the directories it created that stayed empty (except the output of a run that
  // started), puts back what is still pinned, and keeps an undelivered output staged.
  ~HostSide();
  HostSide(const HostSide&) = delete;
  HostSide& operator=(const HostSide&) = delete;

  // The container started: the pinned directories go back to their places, and the output
  // directory is the user's now. Returns the problems, one line each.
  std::vector<std::string> started();

  // The container is gone: what the sandbox wrote is delivered into the output directory.
  // Returns the problems, one line each.
  std::vector<std::string> finished();

private:
  // The host directories the run needs; the ones it created are removed again while empty.
  class Directories
  {
  public:
    explicit Directories(const std::vector<std::string>& dirs);
    ~Directories();
    Directories(const Directories&) = delete;
    Directories& operator=(const Directories&) = delete;
    void keep(const std::string& dir) { m_kept.push_back(dir); }

  private:
    std::vector<std::string> m_created;
    std::vector<std::string> m_kept;
  };

  const RunOptions& m_options;
  Directories m_directories;
  std::optional<OutputStage> m_output;
  std::optional<MountPins> m_pins;
};

} // namespace sandbox::run
