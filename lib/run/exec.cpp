#include "run/exec.h"

#include "run/detach_keys.h"
#include "run/detached.h"
#include "run/problems.h"
#include "run/run_options.h"
#include "util/printable.h"

namespace sandbox::run {

namespace {

json::Value string_array(const std::vector<std::string>& items)
{
  json::Value out = json::Value::array();
  for (const std::string& item : items) {
    out.push(item);
  }
  return out;
}

} // namespace

ExecOptions resolve_exec_options(const ExecFlags& flags, const engine::Environment& env)
{
  ExecOptions out;
  Problems problems;
  out.container = flags.container;
  if (flags.container.empty()) {
    problems.add("exec needs a sandbox and a command: docker sandbox exec [OPTIONS] SANDBOX COMMAND [ARG...]");
  } else if (flags.command.empty()) {
    problems.add("exec needs a command after the sandbox: docker sandbox exec [OPTIONS] SANDBOX COMMAND [ARG...]");
  }
  out.command = flags.command;
  out.interactive = flags.interactive;
  out.tty = flags.tty;
  for (const std::string& entry : flags.env) {
    problems.check([&] { add_env_entry(entry, env, out.env, "-e: "); });
  }
  if (flags.workdir) {
    if (flags.workdir->empty() || (*flags.workdir)[0] != '/' || has_control_character(*flags.workdir)) {
      problems.add("invalid --workdir \"" + printable(*flags.workdir) + "\": must be an absolute path");
    }
    out.workdir = flags.workdir;
  }
  if (flags.user) {
    if (flags.user->empty() || has_control_character(*flags.user) || flags.user->find(' ') != std::string::npos) {
      problems.add("invalid --user \"" + printable(*flags.user) + "\"");
    } else {
      std::string name = flags.user->substr(0, flags.user->find(':'));
      out.warnings.push_back("-u " + *flags.user + ": the command runs as " + (name == "0" || name == "root" ? "root" : "that user")
                             + " in the sandbox, not as its own user");
    }
    out.user = flags.user;
  }
  out.detach_keys = flags.detach_keys.value_or(std::string(k_default_detach_keys));
  problems.check([&] { out.detach_sequence = parse_detach_keys(out.detach_keys, flags.detach_keys_from); });
  problems.throw_if_any();
  return out;
}

plan::Plan plan_exec(const ExecOptions& options, const std::string& container_id, const std::string& sandbox_user, bool touch,
                     engine::ApiVersion version)
{
  plan::Plan plan;
  plan.api_version = version;
  plan::Step create = plan::make_step("exec-create", "create the exec: as " + options.user.value_or(sandbox_user) + ", never privileged",
                                      "POST", "/containers/" + container_id + "/exec");
  json::Value body = json::Value::object();
  body.set("AttachStdin", options.interactive);
  body.set("AttachStdout", true);
  body.set("AttachStderr", true);
  if (options.interactive && options.tty) {
    body.set("DetachKeys", options.detach_keys); // the engine is told the plugin's, which the plugin never forwards
  }
  body.set("Tty", options.tty);
  if (!options.env.empty()) {
    body.set("Env", string_array(options.env));
  }
  body.set("Cmd", string_array(options.command));
  body.set("Privileged", false);
  body.set("User", options.user.value_or(sandbox_user));
  if (options.workdir) {
    body.set("WorkingDir", *options.workdir);
  }
  create.body = std::move(body);
  plan.steps.push_back(std::move(create));
  if (touch) {
    plan::Step use = plan::make_step("touch", "tell the sandbox's init that it is in use (its --idle-timeout starts again)", "POST",
                                     "/containers/" + container_id + "/kill");
    use.query = {{"signal", std::string(k_touch_signal)}};
    use.accepted = {409};
    use.best_effort = true;
    use.overlap = plan::Step::Overlap::reply_later;
    plan.steps.push_back(std::move(use));
  }
  plan::Step start = plan::make_step("exec-start", "start it, attached (hijacked connection)", "POST", "/exec/{exec-create.Id}/start");
  json::Value start_body = json::Value::object();
  start_body.set("Detach", false);
  start_body.set("Tty", options.tty);
  start.body = std::move(start_body);
  start.kind = plan::StepKind::attach;
  plan.steps.push_back(std::move(start));
  plan::Step inspect = plan::make_step("exec-inspect", "read its exit code", "GET", "/exec/{exec-create.Id}/json");
  inspect.unless_detached = true;
  plan.on_exit.push_back(std::move(inspect));
  return plan;
}

std::optional<int> exec_exit_code(const plan::Results& results)
{
  const json::Value* inspect = results.find("exec-inspect");
  if (!inspect || !(*inspect)["ExitCode"].is_int()) {
    return std::nullopt;
  }
  return static_cast<int>((*inspect)["ExitCode"].as_int());
}

} // namespace sandbox::run
