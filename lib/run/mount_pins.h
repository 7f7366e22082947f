#pragma once

// A workspace whose path could be swapped (see stage_dirs.h) is pinned while the container
// starts: renamed into its stage directory, where the engine is told to find it, with an empty
// placeholder in its place. Once the container has started, the mount holds the directory itself,
// and it goes back where it was.

#include "run/stage_dirs.h"

#include <memory>
#include <string>
#include <vector>

namespace sandbox::run {

struct PinSpec
{
  std::string source;    // the checked host directory
  std::string stage_dir; // made for it by this run
  std::string staged() const; // where the engine is told to find it
};

class MountPins
{
public:
  // Pins every spec. Waits (bounded, cancellable) for a concurrent run pinning in the same parent.
  // Throws Error, with everything already pinned put back, when a directory is not the one that
  // was checked (it was swapped meanwhile) or cannot be moved.
  explicit MountPins(const std::vector<PinSpec>& specs);
  ~MountPins(); // puts back whatever is still pinned
  MountPins(const MountPins&) = delete;
  MountPins& operator=(const MountPins&) = delete;

  // The container has started: every directory goes back to its place. Returns the problems,
  // one line each; a directory that cannot go back stays in its stage directory, named.
  std::vector<std::string> release();

private:
  struct Pin;
  std::vector<std::unique_ptr<Pin>> m_pins;
};

// Puts a directory that a killed run left pinned in `stage` back where it was. Returns what it
// did or could not do, one line.
std::string repair_pin(const AbandonedStage& stage);

} // namespace sandbox::run
