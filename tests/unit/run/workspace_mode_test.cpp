// --workspace-mode: parsing, and what copy makes of the resolved options (run volumes instead of
// binds, the upload's hollow paths, nothing created in the project, the refusals).

#include "run/run_options.h"
#include "run/workspace_mode.h"
#include "util/error.h"
#include "util/file.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <sys/stat.h>

namespace {

using sandbox::run::RunOptions;
using sandbox::run::WorkspaceMode;

RunOptions resolve(const sandbox::test::TempDir& dir, sandbox::run::RunFlags flags)
{
  flags.image = "img";
  flags.workspace_mode = flags.workspace_mode.value_or("copy");
  sandbox::run::HostFacts host{dir.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  return sandbox::run::resolve_run_options(flags, host, {"0123456789ab", "2026-01-01T00:00:00Z", "h:7", "n0nce"});
}

} // namespace

BOOST_AUTO_TEST_SUITE(workspace_mode)

BOOST_AUTO_TEST_CASE(parses_the_three_modes)
{
  BOOST_TEST((sandbox::run::parse_workspace_mode(std::nullopt) == WorkspaceMode::detect));
  BOOST_TEST((sandbox::run::parse_workspace_mode(std::string("auto")) == WorkspaceMode::detect));
  BOOST_TEST((sandbox::run::parse_workspace_mode(std::string("bind")) == WorkspaceMode::bind));
  BOOST_TEST((sandbox::run::parse_workspace_mode(std::string("copy")) == WorkspaceMode::copy));
  std::string message = sandbox::test::message_of<sandbox::UsageError>([] { sandbox::run::parse_workspace_mode(std::string("nfs")); });
  BOOST_TEST(message == "invalid --workspace-mode \"nfs\": expected bind, copy or auto");
}

BOOST_AUTO_TEST_CASE(copy_uses_run_volumes_and_creates_nothing_in_the_project)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.exclude = {"node_modules", "build/cache"};
  RunOptions options = resolve(dir, flags);
  BOOST_TEST(options.binds.empty());
  BOOST_TEST(options.pins.empty());
  BOOST_TEST_REQUIRE(options.workspace_copy.has_value());
  BOOST_TEST(options.workspace_copy->workspace->volume == "run-0123456789ab-workspace");
  BOOST_TEST(options.workspace_copy->workspace->read_only);
  BOOST_TEST(options.workspace_copy->output->volume == "run-0123456789ab-output");
  BOOST_TEST(options.workspace_copy->output->target == "/workspace/output");
  BOOST_TEST((options.workspace_copy->hollow == std::vector<std::string>{"node_modules", "build/cache", "output"}));
  BOOST_TEST(options.staged_output.has_value()); // the download's destination, delivered as ever
  // Only the output directory itself is made on the host; not the excluded paths.
  BOOST_TEST((options.dirs_to_create == std::vector<std::string>{dir.path + "/output"}));
}

BOOST_AUTO_TEST_CASE(copy_refuses_what_it_cannot_keep)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags rw;
  rw.workspace_rw = true;
  std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, rw); });
  BOOST_TEST(message.find("--workspace-rw needs the workspace bound") != std::string::npos, message);

  // What cannot travel in a tar is refused before anything is created, unless it is excluded.
  sandbox::make_directories(dir.path + "/run");
  BOOST_TEST_REQUIRE(::mkfifo((dir.path + "/run/fifo").c_str(), 0600) == 0);
  message = sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, {}); });
  BOOST_TEST(message.find("the workspace cannot be copied: cannot put " + dir.path + "/run/fifo") != std::string::npos, message);
  sandbox::run::RunFlags excluded;
  excluded.exclude = {"run"};
  BOOST_TEST(resolve(dir, excluded).workspace_copy->hollow.front() == "run");
}

BOOST_AUTO_TEST_CASE(bind_and_auto_keep_the_binds)
{
  sandbox::test::TempDir dir;
  for (const char* mode : {"bind", "auto"}) {
    sandbox::run::RunFlags flags;
    flags.workspace_mode = std::string(mode);
    RunOptions options = resolve(dir, flags);
    BOOST_TEST(options.binds.size() == 2u);
    BOOST_TEST(!options.workspace_copy.has_value());
  }
}

BOOST_AUTO_TEST_SUITE_END()
