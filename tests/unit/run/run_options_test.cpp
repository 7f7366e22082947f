// Run option resolution: the locked-down defaults, each relaxing flag, and validation that
// collects every problem into one UsageError.

#include "run/run_options.h"
#include "run/tmpfs.h"
#include "util/error.h"
#include "util/identity.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using sandbox::run::HostFacts;
using sandbox::run::RunFlags;
using sandbox::run::RunIdentity;
using sandbox::run::RunOptions;
using sandbox::run::TmpfsSpec;

using sandbox::test::TempDir;

RunOptions resolve(const TempDir& dir, RunFlags flags, std::int64_t uid = 1000)
{
  if (flags.image.empty()) {
    flags.image = "img";
  }
  HostFacts host{dir.path, uid, uid, sandbox::engine::fixed_environment({{"HOME_VAR", "from-env"}}), ""};
  return sandbox::run::resolve_run_options(flags, host, RunIdentity{"abcdef012345", "2026-01-01T00:00:00Z", "h:1", ""});
}

const sandbox::run::TmpfsSpec* tmpfs_at(const RunOptions& options, const std::string& target)
{
  for (const auto& spec : options.tmpfs) {
    if (spec.target == target) {
      return &spec;
    }
  }
  return nullptr;
}

std::string label(const RunOptions& options, const std::string& key)
{
  for (const auto& [k, v] : options.labels) {
    if (k == key) {
      return v;
    }
  }
  return "<none>";
}

} // namespace

BOOST_AUTO_TEST_SUITE(run_options)

BOOST_AUTO_TEST_CASE(defaults_are_locked_down_for_a_non_root_invoker)
{
  TempDir dir;
  RunOptions options = resolve(dir, {});
  BOOST_TEST(options.user == "1000:1000");
  BOOST_TEST(options.network == "none");
  BOOST_TEST(options.read_only_root);
  BOOST_TEST(options.init);
  BOOST_TEST(options.no_new_privileges);
  BOOST_TEST(options.cap_add.empty());
  BOOST_TEST(!options.seccomp.has_value());
  BOOST_TEST(options.pids_limit == 512);
  BOOST_TEST(options.memory == 2LL * 1024 * 1024 * 1024);
  BOOST_TEST(options.workdir == "/workspace");
  BOOST_REQUIRE(options.binds.size() == 2u);
  BOOST_TEST(options.binds[0].source == dir.path);
  BOOST_TEST(options.binds[0].read_only);
  BOOST_TEST(options.binds[1].target == "/workspace/output");
  BOOST_TEST(!options.binds[1].read_only);
  BOOST_TEST(options.dirs_to_create == std::vector<std::string>{dir.path + "/output"});
  const auto* tmp = tmpfs_at(options, "/tmp");
  BOOST_REQUIRE(tmp);
  BOOST_TEST(!tmp->exec);
  BOOST_TEST(*tmp->size == 256LL * 1024 * 1024);
  BOOST_TEST(*tmp->mode == 01777u);
  BOOST_TEST(*tmp->uid == 1000);
  BOOST_TEST(*tmp->gid == 1000);
  BOOST_TEST(label(options, "docker-sandbox.managed") == "true");
  BOOST_TEST(label(options, "docker-sandbox.run") == "abcdef012345");
  BOOST_TEST(label(options, "docker-sandbox.owner") == "h:1");
  BOOST_TEST(*options.name == "docker-sandbox-abcdef012345");
}

BOOST_AUTO_TEST_CASE(root_invoker_gets_nobody)
{
  TempDir dir;
  RunOptions options = resolve(dir, {}, 0);
  BOOST_TEST(options.user == "65534:65534");
  BOOST_TEST(*options.sandbox_uid == 65534);
}

BOOST_AUTO_TEST_CASE(explicit_root_user_needs_no_tmpfs_owner)
{
  TempDir dir;
  RunFlags flags;
  flags.user = "0";
  RunOptions options = resolve(dir, flags);
  BOOST_TEST(options.user == "0:0");
  BOOST_TEST(!tmpfs_at(options, "/tmp")->uid.has_value());
}

BOOST_AUTO_TEST_CASE(a_bare_uid_never_runs_in_root_s_group)
{
  TempDir dir;
  RunFlags flags;
  flags.user = "1234";
  RunOptions options = resolve(dir, flags, 0);
  BOOST_TEST(options.user == "1234:1234");
  BOOST_TEST(*options.sandbox_gid == 1234);
  BOOST_TEST(*tmpfs_at(options, "/tmp")->gid == 1234);
}

BOOST_AUTO_TEST_CASE(paths_inside_the_workspace_never_follow_symlinks)
{
  TempDir dir;
  TempDir elsewhere;
  BOOST_REQUIRE(::symlink(elsewhere.path.c_str(), (dir.path + "/out").c_str()) == 0);
  RunFlags flags;
  flags.exclude = {"out/deps"};
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, flags); }).find("symbolic link")
             != std::string::npos);
  RunFlags via_output;
  BOOST_REQUIRE(::symlink(elsewhere.path.c_str(), (dir.path + "/output").c_str()) == 0);
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, via_output); }).find("symbolic link")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_default_workspace_that_exposes_secrets_is_refused)
{
  TempDir dir;
  auto resolve_from = [](const std::string& cwd, RunFlags flags, const std::string& home, const std::string& config) {
    flags.image = "img";
    HostFacts host{cwd, 1000, 1000, sandbox::engine::fixed_environment({{"HOME", home}}), config};
    return sandbox::run::resolve_run_options(flags, host, RunIdentity{"abcdef012345", "2026-01-01T00:00:00Z", "h:1", ""});
  };
  RunFlags quiet;
  quiet.output = "none";
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve_from("/", quiet, "/nonexistent", ""); })
               .find("the workspace would be /, the root of the filesystem") != std::string::npos);
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve_from(dir.path, quiet, dir.path + "/", ""); })
               .find("your home directory: refusing to expose it by default; name it with --workspace " + dir.path)
             != std::string::npos);
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve_from(dir.path, quiet, "/x", dir.path + "/cfg"); })
               .find("your Docker config") != std::string::npos);
  for (const char* secret : {".ssh", ".gnupg", ".aws", ".docker"}) {
    TempDir project;
    ::mkdir((project.path + "/" + secret).c_str(), 0700);
    BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve_from(project.path, quiet, "/x", ""); })
                 .find(std::string("holds ") + secret) != std::string::npos);
    RunFlags named = quiet;
    named.workspace = project.path;
    named.workspace_named = true;
    BOOST_TEST(*resolve_from(project.path, named, "/x", "").workspace == project.path, "named on purpose");
  }
  BOOST_TEST(*resolve_from(dir.path, quiet, "/x", "/elsewhere").workspace == dir.path);
}

BOOST_AUTO_TEST_CASE(relaxing_flags)
{
  TempDir dir;
  RunFlags flags;
  flags.network = "host";
  flags.writable_root = true;
  flags.no_init = true;
  flags.allow_new_privileges = true;
  flags.cap_add = {"net_admin", "CAP_CHOWN", "ALL"};
  flags.memory = "0";
  flags.pids_limit = "0";
  flags.cpus = "1.5";
  flags.workspace = "none";
  flags.output = "none";
  flags.tmpfs = {"/tmp:exec,size=1g"};
  RunOptions options = resolve(dir, flags);
  BOOST_TEST(options.network == "host");
  BOOST_TEST(options.warnings.empty()); // relaxing flags are named by run/relaxations.h
  BOOST_TEST(!options.read_only_root);
  BOOST_TEST(!options.init);
  BOOST_TEST(!options.no_new_privileges);
  BOOST_TEST((options.cap_add == std::vector<std::string>{"CAP_NET_ADMIN", "CAP_CHOWN", "ALL"}));
  BOOST_TEST(options.memory == 0);
  BOOST_TEST(options.pids_limit == -1);
  BOOST_TEST(*options.nano_cpus == 1500000000);
  BOOST_TEST(options.binds.empty());
  BOOST_TEST(options.workdir.empty());
  BOOST_TEST(options.tmpfs.size() == 2u); // the flag's /tmp and the HOME
  BOOST_TEST(options.tmpfs[0].exec);
  BOOST_TEST(*options.tmpfs[0].size == 1024LL * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(exclude_is_an_executable_tmpfs_owned_by_the_sandbox_user)
{
  TempDir dir;
  RunFlags flags;
  flags.exclude = {"node_modules/"};
  RunOptions options = resolve(dir, flags);
  const auto* spec = tmpfs_at(options, "/workspace/node_modules");
  BOOST_REQUIRE(spec);
  BOOST_TEST(spec->exec);
  BOOST_TEST(*spec->uid == 1000);
  BOOST_TEST(*spec->mode == 01777u);
  BOOST_TEST((options.dirs_to_create == std::vector<std::string>{dir.path + "/output", dir.path + "/node_modules"}));
}

BOOST_AUTO_TEST_CASE(exclude_refuses_escapes_and_symlinks)
{
  TempDir dir;
  BOOST_REQUIRE(::symlink("/etc", (dir.path + "/link").c_str()) == 0);
  for (const std::string bad : {"../x", "/abs", "a/../../b", "..", "link"}) {
    RunFlags flags;
    flags.exclude = {bad};
    std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, flags); });
    BOOST_TEST(message.find("--exclude") != std::string::npos, bad << ": " << message);
  }
}

BOOST_AUTO_TEST_CASE(validation_collects_every_problem)
{
  TempDir dir;
  RunFlags flags;
  flags.memory = "1x";
  flags.cpus = "-1";
  flags.pids_limit = "many";
  flags.timeout = "5";
  flags.name = "bad name";
  flags.labels = {"docker-sandbox.managed=false"};
  flags.tenant = "no/slash";
  std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, flags); });
  for (const char* part : {"--memory", "--cpus", "--pids-limit", "--timeout", "--name", "reserved", "--tenant"}) {
    BOOST_TEST(message.find(part) != std::string::npos, part << " missing from: " << message);
  }
}

BOOST_AUTO_TEST_CASE(memory_below_the_engine_minimum_is_refused)
{
  TempDir dir;
  RunFlags flags;
  flags.memory = "4m";
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, flags); }).find("minimum is 6m")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(env_from_flags_files_and_environment)
{
  TempDir dir;
  std::ofstream(dir.path + "/env") << "# comment\n\nFILE_A=1\r\n  HOME_VAR\nMISSING\n";
  RunFlags flags;
  flags.env_files = {"env"};
  flags.env = {"X=1=2", "HOME_VAR", "NOT_SET"};
  RunOptions options = resolve(dir, flags);
  BOOST_TEST((options.env
              == std::vector<std::string>{"FILE_A=1", "HOME_VAR=from-env", "X=1=2", "HOME_VAR=from-env", "HOME=/home/sandbox"}));
}

BOOST_AUTO_TEST_CASE(docker_spellings_of_a_default_contradict_its_relaxation)
{
  TempDir dir;
  RunFlags root;
  root.read_only_root_asked = true;
  root.writable_root = true; // from the flag or a trusted profile
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, root); }).find("--read-only contradicts --writable-root")
             != std::string::npos);
  RunFlags nnp;
  nnp.no_new_privileges_asked = true;
  nnp.allow_new_privileges = true;
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, nnp); }).find("contradicts --allow-new-privileges")
             != std::string::npos);
  for (auto [drop, add] : {std::pair{"net_raw", "NET_RAW"}, std::pair{"SYS_ADMIN", "ALL"}, std::pair{"ALL", "ALL"}}) {
    RunFlags caps;
    caps.cap_drop = {drop};
    caps.cap_add = {add};
    BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, caps); }).find("--cap-drop " + std::string(drop) + " contradicts")
               != std::string::npos);
  }
  RunFlags fine;
  fine.cap_drop = {"NET_RAW", "ALL"}; // --cap-drop ALL --cap-add CHOWN: docker's spelling of what we do
  fine.cap_add = {"CHOWN"};
  fine.read_only_root_asked = fine.no_new_privileges_asked = true;
  RunOptions options = resolve(dir, fine);
  BOOST_TEST((options.cap_add == std::vector<std::string>{"CAP_CHOWN"}));
  BOOST_TEST(options.read_only_root);
  BOOST_TEST(options.no_new_privileges);
}

BOOST_AUTO_TEST_CASE(home_is_a_tmpfs_of_the_sandbox_user_unless_set_or_the_image_gives_it)
{
  TempDir dir;
  RunOptions plain = resolve(dir, {});
  BOOST_TEST(plain.env.back() == "HOME=/home/sandbox");
  const TmpfsSpec& home = plain.tmpfs.back();
  BOOST_TEST(home.target == "/home/sandbox");
  BOOST_TEST(*home.mode == 0700u);
  BOOST_TEST(*home.uid == 1000);
  BOOST_TEST(*home.gid == 1000);
  BOOST_TEST(!home.exec);
  BOOST_TEST(*home.size == 512LL * 1024 * 1024);

  RunFlags set;
  set.env = {"HOME=/workspace/output"};
  RunOptions given = resolve(dir, set);
  BOOST_TEST((given.env == std::vector<std::string>{"HOME=/workspace/output"}));
  BOOST_TEST(given.tmpfs.size() == 1u); // /tmp only

  RunFlags own;
  own.tmpfs = {"/home/sandbox:size=2g,exec"};
  RunOptions replaced = resolve(dir, own);
  BOOST_TEST(replaced.tmpfs.size() == 2u);
  BOOST_TEST(replaced.tmpfs.back().exec);
  BOOST_TEST(replaced.env.back() == "HOME=/home/sandbox");

  ::mkdir((dir.path + "/home").c_str(), 0755);
  RunFlags bound;
  bound.volumes = {"./home:/home/sandbox:rw"};
  RunOptions bound_home = resolve(dir, bound);
  BOOST_TEST(bound_home.tmpfs.size() == 1u); // the bind is the home
  BOOST_TEST(bound_home.env.back() == "HOME=/home/sandbox");
}

BOOST_AUTO_TEST_CASE(env_file_errors_name_file_and_line)
{
  std::string message = sandbox::test::message_of<sandbox::UsageError>([] {
    sandbox::run::parse_env_file("vars.env", "OK=1\nBAD KEY=1\n", sandbox::engine::fixed_environment({}));
  });
  BOOST_TEST(message.find("vars.env:2") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(seccomp_profile_is_loaded_validated_and_compacted)
{
  TempDir dir;
  std::ofstream(dir.path + "/good.json") << "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": []\n}\n";
  std::ofstream(dir.path + "/bad.json") << "{\"syscalls\": []}";
  std::ofstream(dir.path + "/broken.json") << "{";
  RunFlags flags;
  flags.seccomp_profile = "good.json";
  BOOST_TEST(*resolve(dir, flags).seccomp == R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]})");
  flags.seccomp_profile = "unconfined";
  BOOST_TEST(*resolve(dir, flags).seccomp == "unconfined");
  for (const char* bad : {"bad.json", "broken.json", "missing.json"}) {
    flags.seccomp_profile = bad;
    std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { resolve(dir, flags); });
    BOOST_TEST(message.find("--seccomp-profile") != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_CASE(ids_are_validated)
{
  sandbox::validate_id("tenant_1-a", "--tenant");
  for (const std::string& bad : std::vector<std::string>{"", "a b", "a/b", "ä", std::string(64, 'a'), "a\nb"}) {
    BOOST_CHECK_THROW(sandbox::validate_id(bad, "--tenant"), sandbox::UsageError);
  }
}

BOOST_AUTO_TEST_CASE(host_binds_are_read_only_unless_rw_and_refuse_secrets)
{
  TempDir dir;
  ::mkdir((dir.path + "/src").c_str(), 0755);
  ::mkdir((dir.path + "/creds").c_str(), 0755);
  ::mkdir((dir.path + "/creds/.aws").c_str(), 0755);
  RunFlags flags;
  flags.workspace = "none";
  flags.output = "none";
  flags.volumes = {"./src:/app/src", dir.path + "/src:/rw:rw", "cache:/cache"};
  RunOptions options = resolve(dir, flags);
  BOOST_REQUIRE(options.binds.size() == 2u);
  BOOST_TEST(options.binds[0].target == "/app/src");
  BOOST_TEST(options.binds[0].read_only);
  BOOST_TEST((options.binds[0].role == sandbox::run::BindRole::host));
  BOOST_TEST(!options.binds[1].read_only);
  BOOST_REQUIRE(options.volumes.size() == 1u);
  BOOST_TEST(options.volumes[0].volume == "cache");
  BOOST_TEST(sandbox::run::binds_host_paths(options));

  for (const std::string& refused : {std::string("./missing:/m"), dir.path + "/creds:/c", std::string("/:/r")}) {
    flags.volumes = {refused};
    BOOST_CHECK_THROW(resolve(dir, flags), sandbox::UsageError);
  }
  flags.volumes = {};
  flags.mounts = {"type=bind,src=creds/.aws,dst=/aws"};
  BOOST_CHECK_NO_THROW(resolve(dir, flags)); // not the user's own ~/.aws
  flags.mounts = {"type=bind,src=src,dst=/tmp"};
  BOOST_CHECK_THROW(resolve(dir, flags), sandbox::UsageError); // over the /tmp tmpfs
}

BOOST_AUTO_TEST_CASE(a_planted_link_in_the_project_is_never_followed_by_a_bind)
{
  TempDir dir;
  TempDir elsewhere;
  BOOST_REQUIRE(::symlink(elsewhere.path.c_str(), (dir.path + "/src").c_str()) == 0);
  RunFlags flags;
  flags.volumes = {"./src:/app/src"};
  BOOST_CHECK_THROW(resolve(dir, flags), sandbox::UsageError);
}

BOOST_AUTO_TEST_CASE(targets_move_the_workspace_and_the_output)
{
  TempDir dir;
  RunFlags flags;
  flags.workspace_target = "/usr/app/data";
  RunOptions options = resolve(dir, flags);
  BOOST_TEST(options.workdir == "/usr/app/data");
  BOOST_REQUIRE(options.binds.size() == 2u);
  BOOST_TEST(options.binds[0].target == "/usr/app/data");
  BOOST_TEST(options.binds[1].target == "/usr/app/data/output");

  flags.output_target = "/results";
  options = resolve(dir, flags);
  BOOST_TEST(options.binds[1].target == "/results");
  // The output is the workspace's output/ still; no mount point is needed in the workspace.
  BOOST_TEST(options.dirs_to_create == std::vector<std::string>{dir.path + "/output"});

  flags.output_target = "/usr/app/data";
  BOOST_CHECK_THROW(resolve(dir, flags), sandbox::UsageError);
  flags.output_target = "relative";
  BOOST_CHECK_THROW(resolve(dir, flags), sandbox::UsageError);
  flags.output_target.reset();
  flags.workspace = "none";
  BOOST_CHECK_THROW(resolve(dir, flags), sandbox::UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
