#pragma once

// The keys that detach an interactive TTY session (docker's Ctrl-P Ctrl-Q). The engine watches
// a TTY's stdin for them itself and ends the attach stream when it sees them; so the plugin
// watches first, as the docker CLI does, and the engine never sees a whole sequence: the session
// either detaches on the plugin's terms or goes on.

#include "run/run_options.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sandbox::run {

// The engine's default sequence, in docker's spelling.
inline constexpr std::string_view k_default_detach_keys = "ctrl-p,ctrl-q";

// The bytes of docker's comma-separated key list (a single character, or ctrl-a..ctrl-z, ctrl-@,
// ctrl-[, ctrl-\, ctrl-], ctrl-^, ctrl-_), as the engine reads its detachKeys parameter. `what`
// names the setting in the message. Throws UsageError on an empty list or an unknown key.
std::string parse_detach_keys(const std::string& spec, const std::string& what);

// Watches typed bytes for the detach sequence: bytes that may begin it are held back until the
// next byte tells, and the sequence itself is never forwarded.
class DetachKeyFilter
{
public:
  explicit DetachKeyFilter(std::string keys) : m_keys(std::move(keys)) {}

  struct Result
  {
    std::string forward;      // what to send to the container
    bool detached = false;    // the sequence was completed
    std::size_t consumed = 0; // how much of the input was read (all of it unless detached)
  };
  // Feeds the next bytes typed; stops right after a completed sequence.
  Result feed(std::string_view typed);

private:
  std::string m_keys;
  std::string m_held; // the longest end of what was typed that begins the sequence
};

// Why this run cannot be left running without the plugin (it has work to do when the sandbox
// ends that `docker sandbox rm` and `prune` would not do), or "" when it can detach.
std::string detach_refusal(const RunOptions& options);

} // namespace sandbox::run
