// Project profiles: schema validation names the file, the key and what was expected; flags
// given on the command line win over the profile.

#include "run/profile.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct ProfileFile
{
  std::string dir;
  std::string path;
  explicit ProfileFile(const std::string& text)
  {
    char pattern[] = "/tmp/sbx-profile.XXXXXX";
    dir = ::mkdtemp(pattern);
    path = dir + "/.docker-sandbox.json";
    std::ofstream(path) << text;
  }
  ~ProfileFile() { std::system(("rm -rf '" + dir + "'").c_str()); }
};

std::string error_for(const std::string& text)
{
  ProfileFile file(text);
  std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { sandbox::run::load_profile(file.path, false); });
  BOOST_TEST(message.find(file.path) != std::string::npos, "the file is named: " << message);
  return message;
}

} // namespace

BOOST_AUTO_TEST_SUITE(profile)

BOOST_AUTO_TEST_CASE(the_shipped_schema_is_json)
{
  BOOST_TEST(sandbox::json::parse(sandbox::run::profile_schema()).is_object());
}

BOOST_AUTO_TEST_CASE(errors_name_the_key_and_what_was_expected)
{
  BOOST_TEST(error_for(R"({"image": 5})").find("/image: expected a string, not a number") != std::string::npos);
  BOOST_TEST(error_for(R"({"bogus": 1})").find("unknown key \"bogus\"") != std::string::npos);
  BOOST_TEST(error_for(R"({"mounts": {"extra": "x"}})").find("/mounts: unknown key \"extra\"") != std::string::npos);
  BOOST_TEST(error_for(R"({"limits": {"memory": "lots"}})").find("/limits/memory: expected a size") != std::string::npos);
  BOOST_TEST(error_for(R"({"limits": {"pids": 1.5}})").find("/limits/pids") != std::string::npos);
  BOOST_TEST(error_for(R"({"env": ["A B=1"]})").find("/env/0") != std::string::npos);
  BOOST_TEST(error_for(R"({"env": ["SECRET_TOKEN"]})").find("/env/0") != std::string::npos); // no pass-through
  BOOST_TEST(error_for(R"({"tmpfs": ["relative"]})").find("/tmpfs/0") != std::string::npos);
  BOOST_TEST(error_for(R"([1])").find("expected a object") != std::string::npos);
  BOOST_TEST(error_for("{").find("invalid JSON") != std::string::npos);
  BOOST_TEST(error_for("{\"env\": " + std::string(300000, '[')).find("nested deeper than 256 levels") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(command_line_flags_win)
{
  ProfileFile file(R"({"image": "from-profile", "command": ["p"], "network": "bridge", "env": ["P=1"],
                       "limits": {"memory": "1g", "cpus": 2, "pids": 64, "timeout": "5m"},
                       "mounts": {"workspace_rw": true, "output": "out", "workspace_target": "/usr/app/data",
                                  "output_target": "/results"},
                       "exclude": ["node_modules"]})");
  sandbox::json::Value profile = sandbox::run::load_profile(file.path, false).settings;

  sandbox::run::RunFlags flags;
  flags.network = "none";
  flags.memory = "2g";
  flags.output_target = "/typed";
  sandbox::run::apply_profile(profile, "/project", flags);
  BOOST_TEST(*flags.workspace_target == "/usr/app/data");
  BOOST_TEST(*flags.output_target == "/typed");
  BOOST_TEST(flags.image == "from-profile");
  BOOST_TEST((flags.command == std::vector<std::string>{"p"}));
  BOOST_TEST(*flags.network == "none");
  BOOST_TEST(*flags.memory == "2g");
  BOOST_TEST(*flags.cpus == "2");
  BOOST_TEST(*flags.pids_limit == "64");
  BOOST_TEST(*flags.timeout == "5m");
  BOOST_TEST(flags.workspace_rw);
  BOOST_TEST(*flags.output == "/project/out");
  BOOST_TEST((flags.env == std::vector<std::string>{"P=1"}));

  sandbox::run::RunFlags own_image;
  own_image.image = "mine";
  sandbox::run::apply_profile(profile, "/project", own_image);
  BOOST_TEST(own_image.image == "mine");
  BOOST_TEST(own_image.command.empty()); // the profile's command belongs to the profile's image
}

BOOST_AUTO_TEST_CASE(paths_stay_inside_the_project)
{
  for (const char* bad : {R"({"mounts": {"output": "/etc"}})", R"({"mounts": {"output": "../up"}})",
                          R"({"mounts": {"workspace": "a/../../b"}})", R"({"mounts": {"output": "link/."}})",
                          R"({"mounts": {"output": "link/deeper"}})", R"({"mounts": {"output": "."}})",
                          R"({"mounts": {"output": ".git/hooks"}})", R"({"mounts": {"output": ".GIT/hooks"}})",
                          R"({"mounts": {"output": "submodule"}})"}) {
    ProfileFile file(bad);
    BOOST_REQUIRE(::symlink("/etc", (file.dir + "/link").c_str()) == 0);
    ::mkdir((file.dir + "/submodule").c_str(), 0755);
    std::ofstream(file.dir + "/submodule/.git") << "gitdir: ../.git/modules/submodule\n";
    sandbox::run::RunFlags flags;
    BOOST_CHECK_THROW(sandbox::run::apply_profile(sandbox::run::load_profile(file.path, false).settings, file.dir, flags),
                      sandbox::UsageError);
  }
}

BOOST_AUTO_TEST_CASE(new_relaxing_keys_apply_when_the_command_line_is_silent)
{
  ProfileFile file(R"({"writable_root": true, "allow_new_privileges": true, "runtime": "runsc",
                       "seccomp_profile": "unconfined"})");
  sandbox::run::RunFlags flags;
  sandbox::run::apply_profile(sandbox::run::load_profile(file.path, false).settings, file.dir, flags);
  BOOST_TEST(flags.writable_root);
  BOOST_TEST(flags.allow_new_privileges);
  BOOST_TEST(sandbox::test::shown(flags.runtime) == "runsc");
  BOOST_TEST(sandbox::test::shown(flags.seccomp_profile) == "unconfined");
  // A filter file could change after consent without changing the profile's bytes.
  BOOST_TEST(error_for(R"({"seccomp_profile": "filters/seccomp.json"})").find("/seccomp_profile: expected only unconfined")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(isolation_may_only_tighten)
{
  // gvisor (or auto) needs no consent; runc would take gVisor away from a user whose engine
  // defaults to it, and the schema refuses it.
  ProfileFile file(R"({"isolation": "gvisor"})");
  sandbox::run::RunFlags flags;
  sandbox::run::apply_profile(sandbox::run::load_profile(file.path, false).settings, file.dir, flags);
  BOOST_TEST(sandbox::test::shown(flags.isolation) == "gvisor");
  BOOST_TEST(sandbox::run::profile_relaxations(sandbox::json::parse(R"({"isolation": "gvisor"})"), {}).empty());
  BOOST_TEST(error_for(R"({"isolation": "runc"})").find("/isolation") != std::string::npos);
  sandbox::run::RunFlags typed;
  typed.isolation = "runc"; // the user's own flag wins, as with every key
  sandbox::run::apply_profile(sandbox::run::load_profile(file.path, false).settings, file.dir, typed);
  BOOST_TEST(sandbox::test::shown(typed.isolation) == "runc");
}

BOOST_AUTO_TEST_CASE(loading_keeps_the_real_path_and_the_digest_of_what_was_parsed)
{
  ProfileFile file("{}\n");
  sandbox::run::ProfileFile loaded = sandbox::run::load_profile(file.path, false);
  BOOST_TEST(loaded.path == file.path);
  BOOST_TEST(loaded.dir == file.dir);
  // sha256("{}\n")
  BOOST_TEST(loaded.sha256 == "ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356");

  std::string link = file.dir + "/link.json";
  BOOST_REQUIRE(::symlink(file.path.c_str(), link.c_str()) == 0);
  BOOST_CHECK_THROW(sandbox::run::load_profile(link, false), sandbox::UsageError);
  BOOST_TEST(sandbox::run::load_profile(link, true).path == file.path);
}

BOOST_AUTO_TEST_SUITE_END()
