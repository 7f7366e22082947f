#pragma once

// `docker sandbox exec`: a command in a running sandbox, as its own user, never privileged and
// with no capability the sandbox does not have (the engine gives an exec the container's, and the
// request never asks for more); -u chooses another user, which the plugin warns about. It is
// planned like a run: the exec's create, a touch of a detached sandbox's init (its idle timer,
// run/detached.h), the hijacked start, and once its stream has ended, its exit code.

#include "engine/environment.h"
#include "plan/plan.h"

#include <optional>
#include <string>
#include <vector>

namespace sandbox::run {

struct ExecFlags
{
  std::string container;
  std::vector<std::string> command;
  bool interactive = false;
  bool tty = false;
  std::vector<std::string> env;            // -e KEY[=VALUE]
  std::optional<std::string> workdir;      // -w
  std::optional<std::string> user;         // -u
  std::optional<std::string> detach_keys;  // --detach-keys, else config.json's detachKeys
  std::string detach_keys_from = "--detach-keys";
};

struct ExecOptions
{
  std::string container;
  std::vector<std::string> command;
  bool interactive = false;
  bool tty = false;
  std::vector<std::string> env;
  std::optional<std::string> workdir;
  std::optional<std::string> user;   // -u; otherwise the sandbox's own
  std::string detach_keys;           // docker's spelling
  std::string detach_sequence;       // their bytes
  std::vector<std::string> warnings; // what -u relaxes
};

// Validates every flag; collects all problems into one UsageError.
ExecOptions resolve_exec_options(const ExecFlags& flags, const engine::Environment& env);

// The exec's plan in the sandbox `container_id`, whose own user is `sandbox_user`; `touch` when it
// is a detached sandbox, whose init counts this as use. The exit code is in step exec-inspect.
plan::Plan plan_exec(const ExecOptions& options, const std::string& container_id, const std::string& sandbox_user, bool touch,
                     engine::ApiVersion version);

// The exec's exit code from the recorded replies; nullopt when the engine did not say.
std::optional<int> exec_exit_code(const plan::Results& results);

} // namespace sandbox::run
