// The standalone completion scripts, built in from completions/ (their one source). Each one asks
// `docker-sandbox __complete` (or __completeNoDesc) and applies the directive, so that all the
// knowledge stays in completion.cpp.

#include "completion.h"
#include "completion_scripts.h"

#include "util/error.h"

namespace sandbox::cli {

std::string completion_script(const std::string& shell)
{
  if (shell == "bash") {
    return k_completion_bash;
  }
  if (shell == "zsh") {
    return k_completion_zsh;
  }
  if (shell == "fish") {
    return k_completion_fish;
  }
  throw UsageError("unknown shell \"" + shell + "\": expected bash, zsh or fish");
}

} // namespace sandbox::cli
