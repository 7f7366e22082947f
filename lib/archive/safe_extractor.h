#pragma once

// Extracts a tar read from the engine (the content of a volume, which an untrusted sandbox
// wrote) onto the host so that nothing lands outside the destination, whatever the archive
// holds: every member passes the member rules, libarchive refuses to write through symbolic
// links, and after extraction every link is resolved against the real tree once more. On any
// failure (or cancellation) everything this extraction created is removed again.

#include <cstdint>
#include <functional>
#include <string>

namespace sandbox::archive {

// Fills `buffer` with up to `size` bytes of the archive; 0 at its end. May throw (Cancelled).
using ArchiveReadFn = std::function<std::size_t(char* buffer, std::size_t size)>;

struct ExtractOptions
{
  std::string destination; // host directory; created when missing
  // The first component of every member, as the engine names them (the basename of the path
  // copied). A directory root is extracted as `destination` itself, anything else into it.
  std::string root_name;
  bool overwrite = false;  // otherwise a directory root needs an empty destination, and no file is replaced
  // Caps on what one copy writes: file contents (also never more than the destination's free
  // space minus a margin) and members. The sandbox decides what the archive holds.
  std::uint64_t max_bytes = UINT64_MAX;
  std::uint64_t max_members = UINT64_MAX;
};

struct ExtractResult
{
  std::uint64_t files = 0;
  std::uint64_t directories = 0;
  std::uint64_t links = 0;
  std::uint64_t bytes = 0;
};

// Extracts the archive. Throws Error naming the member and the rule it broke, after removing
// what was created; rethrows what `read` throws, after the same cleanup.
ExtractResult extract_safely(const ArchiveReadFn& read, const ExtractOptions& options);

// Whether `relative` below the trusted directory `root` resolves, following the symbolic links
// that exist on disk, to a place inside `root` (parts that do not exist are taken literally).
bool stays_inside(const std::string& root, const std::string& relative);

} // namespace sandbox::archive
