#pragma once

// docker run's two spellings of a mount, -v SRC:DST[:MODE] and --mount type=...,src=...,dst=...,
// sorted into what a sandbox does with each: a host path bound read-only unless asked (resolved
// under the workspace's path rules by run/host_binds.h), a named volume (NAME:PATH[:ro], as
// --volume takes it), or a tmpfs (PATH[:OPTIONS], as --tmpfs takes it).

#include <string>
#include <vector>

namespace sandbox::run {

// A host path to bind, as the user typed it.
struct HostBindRequest
{
  std::string source;  // as typed: absolute, or relative to the current directory
  std::string target;  // as typed
  bool read_only = true;
  std::string typed;   // "-v ./src:/app/src" or "--mount type=bind,...", for messages
};

struct SortedMounts
{
  std::vector<HostBindRequest> binds;
  std::vector<std::string> volumes; // NAME:PATH[:ro]
  std::vector<std::string> tmpfs;   // PATH[:OPTIONS]
};

// True when a -v source names a host path rather than a volume: absolute, or starting with ".".
bool is_host_path_source(const std::string& source);

// Sorts one -v into `out`. A host path is bound read-only unless its mode says rw. Throws
// UsageError for a mode other than ro or rw, or for -v PATH alone (an anonymous volume).
void sort_volume_flag(const std::string& text, SortedMounts& out);

// Sorts one --mount into `out`: type bind, volume (the default) or tmpfs; source/src,
// target/destination/dst, readonly/ro[=true|false], tmpfs-size, tmpfs-mode. Throws UsageError for
// another type or key (propagation, volume options and drivers are the engine's defaults).
void sort_mount_flag(const std::string& text, SortedMounts& out);

} // namespace sandbox::run
