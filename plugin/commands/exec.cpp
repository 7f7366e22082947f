// docker sandbox exec [-i] [-t] [-e K=V] [-w DIR] [-u USER] SANDBOX COMMAND [ARG...]: a command in
// a running sandbox of ours (run/exec.h), attached as run is: its output, its input with -i, a TTY
// with -t (resized with the terminal; the detach keys leave it running), and its exit code.

#include "commands.h"
#include "expired_sandboxes.h"
#include "pflag_args.h"
#include "plan_flags.h"
#include "terminal.h"

#include "managed/containers.h"
#include "managed/lifetime.h"
#include "run/exec.h"
#include "run/run_options.h"
#include "run/run_session.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/printable.h"

#include <csignal>
#include <memory>
#include <ostream>
#include <unistd.h>

namespace sandbox::cli {

cxxopts::Options exec_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "exec", "[OPTIONS] SANDBOX COMMAND [ARG...]",
                                             "Never privileged, and with no capability the sandbox does not have; the exit code is the command's, and the detach keys of -it leave it running");
  options.add_options()
    ("i,interactive", "Keep stdin open and forward it")
    ("t,tty", "Allocate a pseudo-TTY")
    ("e,env", "Set KEY=VALUE, or pass KEY from your environment", cxxopts::value<std::vector<std::string>>(), "KEY[=VALUE]")
    ("w,workdir", "Working directory inside the sandbox", cxxopts::value<std::string>(), "DIR")
    ("u,user", "Run as this user instead of the sandbox's own (warned about)", cxxopts::value<std::string>(), "USER")
    ("detach-keys", "Keys that detach from a -it session, leaving the command running (default: config.json's detachKeys, else ctrl-p,ctrl-q)",
     cxxopts::value<std::string>(), "KEYS")
    ("h,help", "Print usage");
  add_plan_flags(options);
  return options;
}

int run_exec(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = exec_options(ctx.program());
  auto [flag_args, positionals] = pflag_args(options, args, true); // docker exec stops at SANDBOX
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, flag_args);
  if (!parsed) {
    return 0;
  }
  PlanFlags plan_flags = read_plan_flags(*parsed);
  run::ExecFlags flags;
  if (!positionals.empty()) {
    flags.container = positionals[0];
    flags.command.assign(positionals.begin() + 1, positionals.end());
  }
  flags.interactive = parsed->count("interactive") > 0;
  flags.tty = parsed->count("tty") > 0;
  flags.env = list_flag(*parsed, "env");
  flags.workdir = optional_flag<std::string>(*parsed, "workdir");
  flags.user = optional_flag<std::string>(*parsed, "user");
  flags.detach_keys = optional_flag<std::string>(*parsed, "detach-keys");
  if (!flags.detach_keys && ctx.config().detach_keys) {
    flags.detach_keys = ctx.config().detach_keys;
    flags.detach_keys_from = "detachKeys in " + ctx.config().dir + "/config.json";
  }
  run::ExecOptions exec = run::resolve_exec_options(flags, ctx.env());
  if (exec.tty && exec.interactive && !plan_flags.dry_run && ::isatty(STDIN_FILENO) == 0) {
    ctx.err() << "docker sandbox: exec: the input device is not a TTY\n"; // docker's words and exit code
    return 1;
  }
  for (const std::string& warning : exec.warnings) {
    ctx.warn(warning);
  }
  managed::Removals expired = remove_expired_sandboxes(ctx, plan_flags);
  managed::ManagedContainer sandbox = managed::find_managed_container(ctx.client(plan_flags.api_version), exec.container);
  if (sandbox.state != "running") {
    throw Error("sandbox " + exec.container + " is " + (sandbox.state.empty() ? "not running" : sandbox.state),
                "'" + ctx.program() + " ls' shows the sandboxes and their state");
  }
  plan::Plan plan = run::plan_exec(exec, sandbox.id, sandbox.user, managed::lifetime_of(sandbox).has_value(), plan_version(ctx, plan_flags));
  if (plan_flags.dry_run) {
    plan.steps.insert(plan.steps.begin(), expired.plan.steps.begin(), expired.plan.steps.end());
    print_plan(ctx, plan_flags, plan);
    return 0;
  }

  // The session as a run's, with what an exec has of a run's options.
  run::RunOptions session_options;
  session_options.interactive = exec.interactive;
  session_options.tty = exec.tty;
  session_options.detach_keys = exec.detach_keys;
  session_options.detach_sequence = exec.detach_sequence;
  std::unique_ptr<RawTerminal> raw_terminal;
  if (exec.tty && exec.interactive) {
    raw_terminal = std::make_unique<RawTerminal>(STDIN_FILENO);
  }
  run::RunIo io;
  io.resize_fd = exec.tty ? window_change_fd() : -1;
  io.terminal_size = [] { return terminal_size(STDOUT_FILENO); };
  run::RunSession session(ctx.client(plan_flags.api_version), session_options, io, {CancelToken::instance().fd(), nullptr});
  run::RunOutcome outcome;
  plan::Results results;
  plan::run_plan(plan, session, results, [&](plan::Results& so_far) {
    outcome = session.monitor_exec(so_far.find("exec-create")->string_or("Id"));
    if (outcome.end == run::RunEnd::detached) {
      so_far.set_detached();
    }
  });
  raw_terminal.reset();
  switch (outcome.end) {
  case run::RunEnd::detached:
    ctx.err() << "\ndocker sandbox: exec: detached; the command goes on in sandbox " << printable(exec.container) << '\n';
    return 0;
  case run::RunEnd::cancelled:
    throw Cancelled();
  case run::RunEnd::output_closed:
    return 128 + SIGPIPE;
  case run::RunEnd::timed_out:
  case run::RunEnd::exited:
    break;
  }
  std::optional<int> code = run::exec_exit_code(results);
  if (!code) {
    throw Error("the engine did not say how the command ended");
  }
  return *code;
}

} // namespace sandbox::cli
