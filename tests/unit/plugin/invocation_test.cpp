// Every row of the invocation table (reference §1.5): how the docker CLI, its completion scripts,
// its hooks and a user typing docker-sandbox directly call the binary.

#include "invocation.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {

using Args = std::vector<std::string>;
using sandbox::cli::Invocation;
using sandbox::cli::Mode;

std::string mode_name(Mode mode)
{
  switch (mode) {
  case Mode::metadata:
    return "metadata";
  case Mode::complete:
    return "complete";
  case Mode::complete_bare:
    return "complete_bare";
  case Mode::hook:
    return "hook";
  case Mode::command:
    return "command";
  }
  return "?";
}

// Through the docker CLI: DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND is set.
Invocation via_cli(const Args& args)
{
  return sandbox::cli::classify(args, false);
}

} // namespace

BOOST_AUTO_TEST_SUITE(invocation)

BOOST_AUTO_TEST_CASE(metadata_probe)
{
  Invocation inv = sandbox::cli::classify({"docker-cli-plugin-metadata"}, true);
  BOOST_TEST(mode_name(inv.mode) == "metadata");
  BOOST_TEST(inv.words.empty());
}

BOOST_AUTO_TEST_CASE(complete_with_the_plugin_name)
{
  // docker __complete -H x sandbox run --fl: the CLI drops the global flags.
  Invocation inv = via_cli({"__complete", "sandbox", "run", "--fl"});
  BOOST_TEST(mode_name(inv.mode) == "complete");
  BOOST_TEST((inv.words == Args{"run", "--fl"}));
}

BOOST_AUTO_TEST_CASE(complete_the_first_word)
{
  Invocation inv = via_cli({"__complete", "sandbox", ""});
  BOOST_TEST(mode_name(inv.mode) == "complete");
  BOOST_TEST(inv.words == Args{""});
}

BOOST_AUTO_TEST_CASE(complete_without_the_plugin_name)
{
  Invocation inv = via_cli({"__complete", "run", "--fl"});
  BOOST_TEST(mode_name(inv.mode) == "complete");
  BOOST_TEST((inv.words == Args{"run", "--fl"}));
}

BOOST_AUTO_TEST_CASE(a_lone_word_being_completed_is_kept)
{
  // `sandbox` here is the partial word the user is completing, not the plugin name.
  Invocation inv = via_cli({"__complete", "sandbox"});
  BOOST_TEST(inv.words == Args{"sandbox"});
}

BOOST_AUTO_TEST_CASE(complete_no_desc_with_the_plugin_name)
{
  Invocation inv = via_cli({"__completeNoDesc", "sandbox", "run", ""});
  BOOST_TEST(mode_name(inv.mode) == "complete_bare");
  BOOST_TEST((inv.words == Args{"run", ""}));
}

BOOST_AUTO_TEST_CASE(complete_no_desc_from_the_legacy_bash_script)
{
  // The legacy contrib/completion/bash/docker script passes no plugin name and sets no variables.
  Invocation inv = sandbox::cli::classify({"__completeNoDesc", "run", "--r"}, true);
  BOOST_TEST(mode_name(inv.mode) == "complete_bare");
  BOOST_TEST((inv.words == Args{"run", "--r"}));
}

BOOST_AUTO_TEST_CASE(complete_words_are_not_parsed_as_global_flags)
{
  Invocation inv = via_cli({"__complete", "sandbox", "run", "-H", "--nope", ""});
  BOOST_TEST(mode_name(inv.mode) == "complete");
  BOOST_TEST((inv.words == Args{"run", "-H", "--nope", ""}));
  BOOST_TEST(sandbox::test::shown(inv.globals.host) == "<unset>");
}

BOOST_AUTO_TEST_CASE(standalone_complete_reads_the_global_flags_before_the_command)
{
  // docker-sandbox -H URL --context C rm <TAB>: the standalone scripts pass every word.
  Invocation inv = sandbox::cli::classify({"__complete", "-H", "unix:///x.sock", "rm", ""}, true);
  BOOST_TEST(sandbox::test::shown(inv.globals.host) == "unix:///x.sock");
  BOOST_TEST((inv.words == Args{"rm", ""}));
  inv = sandbox::cli::classify({"__complete", "--context=ctx", "volume", "ls", "--tenant", ""}, true);
  BOOST_TEST(sandbox::test::shown(inv.globals.context) == "ctx");
  BOOST_TEST((inv.words == Args{"volume", "ls", "--tenant", ""}));
}

BOOST_AUTO_TEST_CASE(standalone_complete_of_a_global_flag_is_left_alone)
{
  Invocation inv = sandbox::cli::classify({"__complete", "-H", ""}, true);
  BOOST_TEST((inv.words == Args{"-H", ""}));
  inv = sandbox::cli::classify({"__complete", "--ver"}, true);
  BOOST_TEST(inv.words == Args{"--ver"});
}

BOOST_AUTO_TEST_CASE(global_flags_the_cli_dropped_are_read_from_its_request)
{
  // The CLI ran `docker __complete -H URL sandbox run --network ''` as `__complete sandbox run --network ''`.
  Args words{"run", "--network", ""};
  BOOST_TEST((sandbox::cli::dropped_global_flags({"__complete", "-H", "tcp://h:2375", "sandbox", "run", "--network", ""}, words)
              == Args{"-H", "tcp://h:2375"}));
  BOOST_TEST((sandbox::cli::dropped_global_flags({"__completeNoDesc", "--context", "c", "sandbox", "run", "--network", ""}, words)
              == Args{"--context", "c"}));
  BOOST_TEST((sandbox::cli::dropped_global_flags({"-D", "__complete", "-H", "h", "sandbox", "run", "--network", ""}, words)
              == Args{"-D", "-H", "h"}));
  BOOST_TEST(sandbox::cli::dropped_global_flags({"__complete", "sandbox", "run", "--network", ""}, words).empty());
}

BOOST_AUTO_TEST_CASE(another_parent_gives_no_global_flags)
{
  Args words{"run", "--network", ""};
  BOOST_TEST(sandbox::cli::dropped_global_flags({"-c", "docker-sandbox __complete run"}, words).empty());
  BOOST_TEST(sandbox::cli::dropped_global_flags({"__complete", "-H", "x", "sandbox", "rm", ""}, words).empty());
  BOOST_TEST(sandbox::cli::dropped_global_flags({"__complete", "-H", "x", "other", "run", "--network", ""}, words).empty());
  BOOST_TEST(sandbox::cli::dropped_global_flags({}, words).empty());
}

BOOST_AUTO_TEST_CASE(sandbox_help_command)
{
  // docker sandbox help volume ls, and docker-sandbox help run.
  Invocation inv = via_cli({"sandbox", "help", "volume", "ls"});
  BOOST_TEST(inv.help);
  BOOST_TEST((inv.words == Args{"volume", "ls"}));
  inv = sandbox::cli::classify({"help", "run"}, true);
  BOOST_TEST(inv.help);
  BOOST_TEST(inv.words == Args{"run"});
}

BOOST_AUTO_TEST_CASE(help_sandbox_with_words)
{
  Invocation inv = via_cli({"help", "sandbox", "run"});
  BOOST_TEST(mode_name(inv.mode) == "command");
  BOOST_TEST(inv.help);
  BOOST_TEST(inv.words == Args{"run"});
}

BOOST_AUTO_TEST_CASE(help_sandbox_alone)
{
  Invocation inv = via_cli({"help", "sandbox"});
  BOOST_TEST(mode_name(inv.mode) == "command");
  BOOST_TEST(inv.help);
  BOOST_TEST(inv.words.empty());
}

BOOST_AUTO_TEST_CASE(help_after_global_flags)
{
  Invocation inv = via_cli({"-D", "help", "sandbox", "run", "x"});
  BOOST_TEST(inv.help);
  BOOST_TEST(inv.globals.debug);
  BOOST_TEST((inv.words == Args{"run", "x"}));
}

BOOST_AUTO_TEST_CASE(sandbox_dash_dash_help)
{
  Invocation inv = via_cli({"sandbox", "--help"});
  BOOST_TEST(mode_name(inv.mode) == "command");
  BOOST_TEST(inv.help);
  BOOST_TEST(inv.words.empty());
  BOOST_TEST(!inv.standalone);
}

BOOST_AUTO_TEST_CASE(sandbox_dash_h_before_a_command)
{
  Invocation inv = via_cli({"sandbox", "-h", "run"});
  BOOST_TEST(inv.help);
  BOOST_TEST(inv.words == Args{"run"});
}

BOOST_AUTO_TEST_CASE(help_flag_after_the_command_is_left_to_the_command)
{
  Invocation inv = via_cli({"sandbox", "run", "--help"});
  BOOST_TEST(!inv.help);
  BOOST_TEST((inv.words == Args{"run", "--help"}));
}

BOOST_AUTO_TEST_CASE(plain_command_without_global_flags)
{
  Invocation inv = via_cli({"sandbox", "run", "--rm", "busybox"});
  BOOST_TEST(mode_name(inv.mode) == "command");
  BOOST_TEST(!inv.help);
  BOOST_TEST(!inv.standalone);
  BOOST_TEST((inv.words == Args{"run", "--rm", "busybox"}));
  BOOST_TEST(inv.globals.verbatim.empty());
}

BOOST_AUTO_TEST_CASE(global_flags_before_sandbox_in_every_spelling)
{
  struct Row
  {
    Args flags;
    std::string host;
    std::string context;
    bool debug;
    std::string log_level;
  };
  const std::vector<Row> rows = {
    {{"-H", "tcp://x:1"}, "tcp://x:1", "<unset>", false, "<unset>"},
    {{"-H=tcp://x:1"}, "tcp://x:1", "<unset>", false, "<unset>"},
    {{"-Htcp://x:1"}, "tcp://x:1", "<unset>", false, "<unset>"},
    {{"--host=tcp://x:1"}, "tcp://x:1", "<unset>", false, "<unset>"},
    {{"--host", "tcp://x:1"}, "tcp://x:1", "<unset>", false, "<unset>"},
    {{"-c", "ctx"}, "<unset>", "ctx", false, "<unset>"},
    {{"--context", "ctx"}, "<unset>", "ctx", false, "<unset>"},
    {{"-D"}, "<unset>", "<unset>", true, "<unset>"},
    {{"--log-level", "warn"}, "<unset>", "<unset>", false, "warn"},
    {{"-l", "warn"}, "<unset>", "<unset>", false, "warn"},
    {{"-D", "--log-level", "warn", "-H", "unix:///var/run/docker.sock"}, "unix:///var/run/docker.sock", "<unset>",
     true, "warn"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT("flags " << row.flags.front() << " (" << row.flags.size() << " words)")
    {
      Args args = row.flags;
      args.insert(args.end(), {"sandbox", "version", "--format", "json"});
      Invocation inv = via_cli(args);
      BOOST_TEST(mode_name(inv.mode) == "command");
      BOOST_TEST(!inv.help);
      BOOST_TEST((inv.words == Args{"version", "--format", "json"}));
      BOOST_TEST(sandbox::test::shown(inv.globals.host) == row.host);
      BOOST_TEST(sandbox::test::shown(inv.globals.context) == row.context);
      BOOST_TEST(inv.globals.debug == row.debug);
      BOOST_TEST(sandbox::test::shown(inv.globals.log_level) == row.log_level);
      BOOST_TEST(inv.globals.verbatim == row.flags);
    }
  }
}

BOOST_AUTO_TEST_CASE(tls_flags_before_sandbox)
{
  Invocation inv = via_cli({"--tls", "--tlsverify", "--tlscacert", "/x/ca.pem", "sandbox", "e"});
  BOOST_TEST(sandbox::test::shown(inv.globals.tls) == "true");
  BOOST_TEST(sandbox::test::shown(inv.globals.tls_verify) == "true");
  BOOST_TEST(sandbox::test::shown(inv.globals.tls_ca_cert) == "/x/ca.pem");
  BOOST_TEST(inv.words == Args{"e"});
}

BOOST_AUTO_TEST_CASE(config_before_sandbox)
{
  Invocation inv = via_cli({"--config", "/tmp/dockercfg", "sandbox", "run"});
  BOOST_TEST(sandbox::test::shown(inv.globals.config_dir) == "/tmp/dockercfg");
  BOOST_TEST(inv.words == Args{"run"});
}

BOOST_AUTO_TEST_CASE(flags_after_sandbox_belong_to_the_plugin)
{
  Invocation inv = via_cli({"sandbox", "-H", "tcp://x:1", "run"});
  BOOST_TEST(sandbox::test::shown(inv.globals.host) == "<unset>");
  BOOST_TEST((inv.words == Args{"-H", "tcp://x:1", "run"}));
}

BOOST_AUTO_TEST_CASE(hook)
{
  const std::string payload = R"({"RootCmd":"sandbox run","Flags":{"rm":""},"CommandError":""})";
  Invocation inv = via_cli({"sandbox", "docker-cli-plugin-hooks", payload});
  BOOST_TEST(mode_name(inv.mode) == "hook");
  BOOST_TEST((inv.words == Args{"docker-cli-plugin-hooks", payload}));
}

BOOST_AUTO_TEST_CASE(hook_after_global_flags)
{
  Invocation inv = via_cli({"--context", "ctx", "sandbox", "docker-cli-plugin-hooks", "{}"});
  BOOST_TEST(mode_name(inv.mode) == "hook");
  BOOST_TEST(sandbox::test::shown(inv.globals.context) == "ctx");
}

BOOST_AUTO_TEST_CASE(hooks_word_as_an_argument_is_not_a_hook)
{
  Invocation inv = via_cli({"sandbox", "run", "docker-cli-plugin-hooks"});
  BOOST_TEST(mode_name(inv.mode) == "command");
}

BOOST_AUTO_TEST_CASE(standalone_run)
{
  Invocation inv = sandbox::cli::classify({"run", "--rm", "busybox"}, true);
  BOOST_TEST(mode_name(inv.mode) == "command");
  BOOST_TEST(inv.standalone);
  BOOST_TEST(!inv.help);
  BOOST_TEST((inv.words == Args{"run", "--rm", "busybox"}));
}

BOOST_AUTO_TEST_CASE(standalone_with_global_flags)
{
  Invocation inv = sandbox::cli::classify({"-H", "unix:///tmp/d.sock", "run", "x"}, true);
  BOOST_TEST(inv.standalone);
  BOOST_TEST(sandbox::test::shown(inv.globals.host) == "unix:///tmp/d.sock");
  BOOST_TEST((inv.words == Args{"run", "x"}));
}

BOOST_AUTO_TEST_CASE(standalone_help)
{
  Invocation root = sandbox::cli::classify({"--help"}, true);
  BOOST_TEST(root.help);
  BOOST_TEST(root.words.empty());

  Invocation help_run = sandbox::cli::classify({"help", "run"}, true);
  BOOST_TEST(help_run.help);
  BOOST_TEST(help_run.words == Args{"run"});
}

BOOST_AUTO_TEST_CASE(standalone_without_arguments)
{
  Invocation inv = sandbox::cli::classify({}, true);
  BOOST_TEST(mode_name(inv.mode) == "command");
  BOOST_TEST(inv.standalone);
  BOOST_TEST(inv.words.empty());
}

BOOST_AUTO_TEST_CASE(bad_global_flags_throw_usage_errors)
{
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([] { via_cli({"--nope", "sandbox", "run"}); })
             == "unknown flag: --nope");
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([] { via_cli({"-H", "a", "-c", "b", "sandbox"}); })
             == "conflicting options: cannot specify both --host and --context");
}

BOOST_AUTO_TEST_SUITE_END()
