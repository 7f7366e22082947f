// Consent: the store records real path and digest, refuses to be read when others could write
// it; a relaxing project profile applies only with consent to its exact bytes (or when named on
// the command line), never with a forbidden capability, and a refused profile changes nothing.

#include "run/consent_store.h"
#include "run/profile.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using sandbox::run::ConsentStore;
using sandbox::run::RunFlags;

struct Project
{
  std::string root;
  std::string dir;    // the project (the workspace)
  std::string config; // the Docker config dir, outside it
  Project()
  {
    char pattern[] = "/tmp/sbx-consent.XXXXXX";
    root = ::mkdtemp(pattern);
    dir = root + "/project";
    config = root + "/docker-config";
    ::mkdir(dir.c_str(), 0755);
  }
  ~Project() { std::system(("rm -rf '" + root + "'").c_str()); }
  std::string profile() const { return dir + "/.docker-sandbox.json"; }
  void write(const std::string& text) const { std::ofstream(profile()) << text; }
  std::optional<sandbox::run::AppliedProfile> use(RunFlags& flags) const
  {
    return sandbox::run::use_project_profile(flags, dir, ConsentStore(config), "docker sandbox");
  }
};

std::string refusal(const Project& project, RunFlags flags = {})
{
  std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { project.use(flags); });
  BOOST_TEST(!flags.user.has_value(), "a refused profile applied nothing");
  return message;
}

} // namespace

BOOST_AUTO_TEST_SUITE(consent_store)

BOOST_AUTO_TEST_CASE(the_store_keeps_path_and_digest)
{
  Project project;
  ConsentStore store(project.config);
  BOOST_TEST(store.records().empty());
  BOOST_TEST(!store.trusts("/p/.docker-sandbox.json", "aa"));
  store.add({"/p/.docker-sandbox.json", "aa", "2026-11-30T00:00:00Z", {"user \"0\": root"}});
  store.add({"/q/.docker-sandbox.json", "bb", "2026-11-30T00:00:00Z", {}});
  BOOST_TEST(store.trusts("/p/.docker-sandbox.json", "aa"));
  BOOST_TEST(!store.trusts("/p/.docker-sandbox.json", "ab"));
  store.add({"/p/.docker-sandbox.json", "ac", "2026-11-30T00:00:01Z", {}}); // replaces
  BOOST_TEST(!store.trusts("/p/.docker-sandbox.json", "aa"));
  BOOST_TEST(ConsentStore(project.config).records().size() == 2u);
  BOOST_TEST(store.remove("/p/.docker-sandbox.json"));
  BOOST_TEST(!store.remove("/p/.docker-sandbox.json"));
  BOOST_TEST(store.records().size() == 1u);

  struct stat st;
  BOOST_REQUIRE(::stat(store.path().c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  BOOST_REQUIRE(::stat((project.config + "/sandbox").c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0700u);
}

BOOST_AUTO_TEST_CASE(a_path_that_is_not_utf8_is_refused_in_one_line)
{
  // JSON holds text: stored, the path would come back as another one, which no run matches.
  Project project;
  ConsentStore store(project.config);
  store.add({"/p/caf\xc3\xa9 \"q\"\n/.docker-sandbox.json", "aa", "2026-11-30T00:00:00Z", {}}); // UTF-8, any character
  BOOST_TEST(store.trusts("/p/caf\xc3\xa9 \"q\"\n/.docker-sandbox.json", "aa"));
  BOOST_CHECK_EXCEPTION(store.add({"/p/caf\xe9/.docker-sandbox.json", "aa", "2026-11-30T00:00:00Z", {}}), sandbox::UsageError,
                        [](const sandbox::UsageError& e) {
                          return std::string(e.what()) == "cannot trust /p/caf\\xe9/.docker-sandbox.json: its path is not valid UTF-8, "
                                                          "which the consent store cannot hold";
                        });
  BOOST_TEST(store.records().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_store_others_can_write_or_a_damaged_one_is_refused)
{
  Project project;
  ConsentStore store(project.config);
  store.add({"/p/.docker-sandbox.json", "aa", "", {}});
  ::chmod(store.path().c_str(), 0666);
  BOOST_CHECK_THROW(store.records(), sandbox::Error);
  ::chmod(store.path().c_str(), 0600);
  ::chmod((project.config + "/sandbox").c_str(), 0777);
  BOOST_CHECK_THROW(store.trusts("/p/.docker-sandbox.json", "aa"), sandbox::Error);
  ::chmod((project.config + "/sandbox").c_str(), 0700);
  std::ofstream(store.path()) << "{\"trusted\": [";
  BOOST_CHECK_THROW(store.records(), sandbox::Error);
}

BOOST_AUTO_TEST_CASE(no_profile_or_none)
{
  Project project;
  RunFlags flags;
  BOOST_TEST(!project.use(flags).has_value());
  project.write(R"({"user": "0"})");
  flags.profile = "none";
  BOOST_TEST(!project.use(flags).has_value());
  BOOST_TEST(!flags.user.has_value());
}

BOOST_AUTO_TEST_CASE(a_neutral_profile_applies_without_consent)
{
  Project project;
  project.write(R"({"image": "img", "env": ["A=1"], "limits": {"memory": "1g"}})");
  RunFlags flags;
  std::optional<sandbox::run::AppliedProfile> applied = project.use(flags);
  BOOST_REQUIRE(applied.has_value());
  BOOST_TEST(applied->relaxations.empty());
  BOOST_TEST(flags.image == "img");
  BOOST_TEST(sandbox::test::shown(flags.memory) == "1g");
}

BOOST_AUTO_TEST_CASE(a_relaxing_profile_needs_consent_to_its_exact_bytes)
{
  Project project;
  project.write(R"({"user": "0", "cap_add": ["NET_BIND_SERVICE"], "limits": {"memory": "999t"}})");
  std::string message = refusal(project);
  BOOST_TEST(message.find("user, cap_add, limits.memory") != std::string::npos, message);
  BOOST_TEST(message.find("docker sandbox trust " + project.profile()) != std::string::npos, message);

  sandbox::run::ProfileFile loaded = sandbox::run::load_profile(project.profile(), false);
  ConsentStore(project.config).add({loaded.path, loaded.sha256, "", {}});
  RunFlags flags;
  std::optional<sandbox::run::AppliedProfile> applied = project.use(flags);
  BOOST_REQUIRE(applied.has_value());
  BOOST_TEST(applied->relaxations.size() == 3u);
  BOOST_TEST(sandbox::test::shown(flags.user) == "0");

  project.write(R"({"user": "0", "cap_add": ["NET_BIND_SERVICE"], "limits": {"memory": "998t"}})"); // one byte
  refusal(project);
}

BOOST_AUTO_TEST_CASE(a_consent_store_inside_the_project_is_not_read)
{
  // DOCKER_CONFIG=.cfg in a project that ships .cfg/sandbox/trusted-profiles.json with its own record.
  Project project;
  project.write(R"({"user": "0"})");
  sandbox::run::ProfileFile loaded = sandbox::run::load_profile(project.profile(), false);
  std::string inside = project.dir + "/.cfg";
  ConsentStore(inside).add({loaded.path, loaded.sha256, "", {}});
  RunFlags flags;
  std::string message = sandbox::test::message_of<sandbox::UsageError>(
    [&] { sandbox::run::use_project_profile(flags, project.dir, ConsentStore(inside), "docker sandbox"); });
  BOOST_TEST(message.find("lies inside the project") != std::string::npos, message);
  BOOST_TEST(!flags.user.has_value());
}

BOOST_AUTO_TEST_CASE(a_profile_named_on_the_command_line_is_consent_for_that_run)
{
  Project project;
  project.write(R"({"user": "0"})");
  RunFlags flags;
  flags.profile = project.profile();
  std::optional<sandbox::run::AppliedProfile> applied = project.use(flags);
  BOOST_REQUIRE(applied.has_value());
  BOOST_TEST(applied->named);
  BOOST_TEST(sandbox::test::shown(flags.user) == "0");
}

BOOST_AUTO_TEST_CASE(dangerous_capabilities_are_refused_even_with_consent)
{
  Project project;
  project.write(R"({"cap_add": ["SYS_ADMIN"]})");
  sandbox::run::ProfileFile loaded = sandbox::run::load_profile(project.profile(), false);
  ConsentStore(project.config).add({loaded.path, loaded.sha256, "", {}});
  RunFlags flags;
  BOOST_TEST(sandbox::test::message_of<sandbox::UsageError>([&] { project.use(flags); }).find("CAP_SYS_ADMIN") != std::string::npos);
  flags.profile = project.profile();
  BOOST_CHECK_THROW(project.use(flags), sandbox::UsageError);
  BOOST_TEST(flags.cap_add.empty());
}

BOOST_AUTO_TEST_CASE(a_linked_project_profile_is_refused)
{
  // A project could point its profile at another project's trusted one.
  Project project;
  Project other;
  other.write(R"({"user": "0"})");
  sandbox::run::ProfileFile loaded = sandbox::run::load_profile(other.profile(), false);
  ConsentStore(project.config).add({loaded.path, loaded.sha256, "", {}});
  BOOST_REQUIRE(::symlink(other.profile().c_str(), project.profile().c_str()) == 0);
  BOOST_TEST(refusal(project).find("symbolic link") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
