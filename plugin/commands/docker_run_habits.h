#pragma once

// docker run's flags as its users type them: the ones that restate a sandbox default are taken
// (and say so in --help), the ones that mean one of our flags are read as that flag, and the
// ones we do not take are refused with the reason.

#include "flags.h"
#include "run/run_options.h"

#include <string>

namespace sandbox::cli {

// --rm, --read-only, --init, --cap-drop and --security-opt, in their own help group.
void add_docker_run_spellings(cxxopts::Options& options);

// Reads those into `flags`: --security-opt no-new-privileges[:true|=true] is the default (the
// last one wins), no-new-privileges:false is --allow-new-privileges, seccomp=FILE|unconfined is
// --seccomp-profile; --read-only, no-new-privileges and --cap-drop are kept for
// resolve_run_options to refuse against a relaxation. Throws UsageError for any other
// --security-opt, two seccomp profiles, --init with --no-init, and --rm, --read-only or --init
// =false (which our own flags spell).
void read_docker_run_spellings(const cxxopts::ParseResult& parsed, run::RunFlags& flags);

// The line for a docker run flag that `run` does not take ("--publish", "-d"); "" for a flag
// docker run does not have either.
std::string docker_run_flag_line(const std::string& flag);

} // namespace sandbox::cli
