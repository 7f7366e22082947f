#pragma once

// `docker sandbox run --check`: runs a small POSIX shell script inside the sandbox, with the very
// settings of the run, that reports what the process can actually do (ids, capabilities,
// no-new-privileges, seccomp mode, network interfaces, limits, which paths it can write, where
// it can execute), and compares each finding with what the settings promise.

#include "run/run_options.h"

#include <map>
#include <string>
#include <vector>

namespace sandbox::run {

// The command that replaces the run's own: `sh -c SCRIPT check PROBES...`.
std::vector<std::string> check_command(const RunOptions& options);

// Turns `options` into the same sandbox running the check script (check_command) instead of
// the command: /bin/sh, no terminal, no stdin, nothing collected.
void make_self_check(RunOptions& options);

// Parses the script's "key=value" lines.
std::map<std::string, std::string> parse_check_output(const std::string& text);

struct CheckRow
{
  std::string what;     // "user id", "write /tmp", ...
  std::string expected; // "" when the settings promise nothing in particular
  std::string found;    // "?" when the sandbox did not report it
  bool ok = true;
};

// One row per promise of the settings, in a stable order. Behind gVisor (found "kernel=gvisor"),
// what only the host enforces is reported as such rather than as a mismatch.
std::vector<CheckRow> compare_check(const RunOptions& options, const std::map<std::string, std::string>& found);

// The line that says which kernel the findings come from, when that is gVisor's; "" otherwise.
std::string check_note(const std::map<std::string, std::string>& found);


} // namespace sandbox::run
