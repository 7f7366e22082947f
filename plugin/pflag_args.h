#pragma once

// docker's command-line grammar (spf13/pflag, as the docker CLI parses it), rewritten into the
// one form cxxopts reads the same way: `--long VALUE` (the value a word of its own, taken as it
// is), `--long[=VALUE]` for an optional value, and each boolean once, after the others.
//   -ie K=V      -i and -e with K=V           -e=K=V, -eK=V   -e with K=V
//   --env K=V    --env with K=V, whatever K=V starts with or holds (line breaks too)
//   --rm=false   not given at all             --tty --tty=false   not given (the last wins)
// A flag that takes an optional value (--dry-run[=json]) takes it only after `=`.

#include "flags.h"

#include <string>
#include <utility>
#include <vector>

namespace sandbox::cli {

using Args = std::vector<std::string>;

// The flags of `args` rewritten, and what follows them: when `stop_at_positional`, everything
// from the first word that is neither a flag nor a flag's value (IMAGE COMMAND ARG..., as docker
// run stops there), else only what follows `--`; other positionals stay among the flags. An
// unknown flag is kept as it is, for cxxopts to name. Throws UsageError for a boolean flag given
// a value other than true or false.
std::pair<Args, Args> pflag_args(const cxxopts::Options& options, const Args& args, bool stop_at_positional);

} // namespace sandbox::cli
