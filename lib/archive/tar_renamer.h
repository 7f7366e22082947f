#pragma once

// The tar that `volume get VOL -` writes to stdout: the engine's tar, member by member, with
// each member renamed the way the safe extractor places it. Engines name the same copy
// differently (Docker "v0/a", Podman 4.3 "/" and "/a"), so without this the same command gave
// a different archive on each engine, and an absolute-name one on Podman.

#include "archive/safe_extractor.h"

#include <functional>
#include <string>

namespace sandbox::archive {

// Takes `size` bytes of the archive being written. May throw (a closed stdout).
using ArchiveWriteFn = std::function<void(const char* data, std::size_t size)>;

// Copies the tar that `read` yields to `write` as a pax (restricted) tar whose members are named
// `root_name` and below it, as DownloadNames places them (hard link targets too; symbolic link
// targets, types, modes, owners, times and contents as they are). Streams. Throws Error naming
// the member and the rule it broke, or why the archive cannot be read; rethrows what `read` or
// `write` throw. What was written before a failure stays written.
void copy_renamed(const ArchiveReadFn& read, const ArchiveWriteFn& write, const std::string& root_name);

} // namespace sandbox::archive
