#include "cli.h"

#include "commands.h"
#include "completion.h"
#include "escaping_stream.h"
#include "invocation.h"
#include "man_page.h"
#include "metadata.h"
#include "signals.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/failpoint.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/trace.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace sandbox::cli {

namespace {

// Prints "docker sandbox: <what>" and an optional hint line on stderr, each one line whatever
// the user's input (echoed in messages) held: control characters are shown escaped.
void report(const std::string& what, const std::string& hint)
{
  std::cerr << "docker sandbox: " << printable(what) << '\n';
  if (!hint.empty()) {
    std::cerr << "hint: " << printable(hint) << '\n';
  }
}

int run_command(const Invocation& inv)
{
  install_signal_handlers();
  watch_plugin_socket();
  EscapingBuffer out_buffer(std::cout.rdbuf());
  EscapingBuffer err_buffer(std::cerr.rdbuf());
  std::ostream out(&out_buffer);
  std::ostream err(&err_buffer);
  err.setf(std::ios::unitbuf);
  CommandContext ctx(inv.globals, engine::process_environment(), inv.standalone, out, err);
#ifdef SANDBOX_FAILPOINTS
  if (std::optional<std::string> point = engine::non_empty(ctx.env(), "DOCKER_SANDBOX_FAILPOINT")) {
    // A test hook (lib/util/failpoint.h): the e2e fault suite holds the command at this point.
    arm_failpoint(*point, [](const std::string& name) { std::cerr << "docker sandbox: failpoint " << name << " reached" << std::endl; });
  }
#endif
  if (inv.globals.debug || inv.globals.log_level == "debug" || inv.globals.log_level == "trace") {
    set_trace_sink([](const std::string& line) { std::cerr << "DEBU docker-sandbox: " << printable(line) << '\n'; });
  }

  if (inv.globals.version && inv.words.empty()) {
    std::cout << "docker-sandbox version " << SANDBOX_VERSION << '\n';
    return 0;
  }
  if (inv.words.empty()) {
    std::cout << root_usage(ctx.program());
    return 0;
  }
  if (inv.words[0] == "__man") { // hidden: the build writes the man pages into DIR
    std::string dir = inv.words.size() > 1 ? inv.words[1] : ".";
    for (const ManPage& page : man_pages()) {
      std::ofstream file(dir + "/" + page.name + ".1");
      file << page.troff;
      if (!file.flush()) {
        report("cannot write " + dir + "/" + page.name + ".1", "");
        return 1;
      }
    }
    return 0;
  }
  const Command* command = find_command(inv.words[0]);
  if (!command) {
    std::string suggestion = closest_command(inv.words[0]);
    report("'" + inv.words[0] + "' is not a " + ctx.program() + " command",
           suggestion.empty() ? "run '" + ctx.program() + " --help' for the list of commands"
                              : "did you mean '" + ctx.program() + " " + suggestion + "'?");
    return 1;
  }
  Args args(inv.words.begin() + 1, inv.words.end());
  if (inv.help) {
    args.push_back("--help");
  }
  std::string name(command->name); // "run", or "volume put" for a command group
  if (command->subcommands && !args.empty()) {
    if (const Command* sub = find_in(*command->subcommands(), args[0])) {
      name += " " + std::string(sub->name);
    }
  }
  try {
    return command->run(ctx, args);
  } catch (const Cancelled&) {
    report(name + ": " + interruption(), "");
    return cancelled_exit_code();
  } catch (const UsageError& e) {
    report(name + ": " + e.what(), e.hint().empty() ? "see '" + ctx.program() + " " + name + " --help'" : e.hint());
    return 125;
  } catch (const Error& e) {
    if (CancelToken::instance().requested()) {
      report(name + ": " + interruption(), "");
      return cancelled_exit_code();
    }
    report(name + ": " + e.what(), e.hint());
    return command->failure_code;
  } catch (const std::exception& e) {
    report(name + ": internal error: " + e.what(), "");
    return command->failure_code;
  }
}

// The arguments of the process that ran us (argv[0] excluded), from /proc; empty when unreadable.
std::vector<std::string> parent_arguments()
{
  std::ifstream file("/proc/" + std::to_string(::getppid()) + "/cmdline", std::ios::binary);
  std::vector<std::string> args;
  std::string arg;
  while (args.size() < 4096 && std::getline(file, arg, '\0')) {
    args.push_back(arg);
  }
  if (!args.empty()) {
    args.erase(args.begin());
  }
  return args;
}

} // namespace

int main(int argc, char** argv)
{
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    Invocation inv = classify(args, std::getenv("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND") == nullptr);
    switch (inv.mode) {
    case Mode::metadata:
      std::cout << k_plugin_metadata;
      return 0;
    case Mode::complete:
    case Mode::complete_bare: {
      const char* no_descriptions = std::getenv("DOCKER_CLI_DISABLE_COMPLETION_DESCRIPTION");
      bool descriptions = inv.mode == Mode::complete && !(no_descriptions && *no_descriptions);
      if (!inv.standalone) {
        // Engine lookups go where the user's `docker -H URL sandbox ...` or `--context` would.
        std::vector<std::string> globals = dropped_global_flags(parent_arguments(), inv.words);
        if (!globals.empty()) {
          try {
            inv.globals = engine::parse_global_flags(globals).options;
          } catch (const std::exception&) {
            // flags the CLI itself would refuse: the environment decides
          }
        }
      }
      std::ostream silent(nullptr); // completion never prints to the terminal's stderr
      EscapingBuffer out_buffer(std::cout.rdbuf());
      std::ostream out(&out_buffer);
      CommandContext ctx(inv.globals, engine::process_environment(), inv.standalone, out, silent);
      complete(ctx, inv.words, descriptions);
      return 0;
    }
    case Mode::hook:
      // We subscribe to no hooks; an empty answer prints nothing.
      return 0;
    case Mode::command:
      return run_command(inv);
    }
  } catch (const UsageError& e) {
    report(e.what(), "see 'docker sandbox --help'");
    return 125;
  } catch (const std::exception& e) {
    report(e.what(), "");
    return 125;
  }
  return 0;
}

} // namespace sandbox::cli
