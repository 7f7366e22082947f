// --user NAME[:GROUP]: which of the image's files a lookup reads, the ids it finds there as runc
// would, the refusals of what the image does not define, and the lookup's plan.

#include "plan/plan.h"
#include "run/run_options.h"
#include "run/user_lookup.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>

namespace {

using sandbox::run::user_ids_in;
using Ids = std::pair<std::int64_t, std::int64_t>;

const std::string k_passwd = "# comment:0:0\n"
                             "root:x:0:0:root:/root:/bin/sh\n"
                             "\n"
                             "builder:x:1000:1001:Builder:/home/builder:/bin/sh\n"
                             "builder:x:2000:2000:shadowed by the first:/:/bin/sh\n"
                             "broken:x:lots:1:::\n"
                             "short:x:1200";
const std::string k_group = "root:x:0:\nstaff:x:50:builder\nwheel:x:10:\n";

} // namespace

BOOST_AUTO_TEST_SUITE(user_lookup)

BOOST_AUTO_TEST_CASE(reads_only_the_files_the_names_need)
{
  auto files = [](const std::string& user) {
    sandbox::run::UserFiles f = sandbox::run::files_for_user(user);
    return std::make_pair(f.passwd, f.group);
  };
  BOOST_TEST((files("builder") == std::make_pair(true, true))); // the groups that list it
  BOOST_TEST((files("builder:50") == std::make_pair(true, false)));
  BOOST_TEST((files("builder:staff") == std::make_pair(true, true)));
  BOOST_TEST((files("1000:staff") == std::make_pair(false, true)));
}

Ids ids(const std::string& user, const std::optional<std::string>& passwd, const std::optional<std::string>& group)
{
  sandbox::run::ImageUser found = user_ids_in(user, passwd, group, "img");
  return {found.uid, found.gid};
}

BOOST_AUTO_TEST_CASE(finds_the_ids_as_the_engine_does)
{
  BOOST_TEST((ids("builder", k_passwd, std::nullopt) == Ids{1000, 1001})); // the first entry wins
  BOOST_TEST((ids("builder:staff", k_passwd, k_group) == Ids{1000, 50}));
  BOOST_TEST((ids("builder:7", k_passwd, std::nullopt) == Ids{1000, 7}));
  BOOST_TEST((ids("1000:wheel", std::nullopt, k_group) == Ids{1000, 10}));
  BOOST_TEST((ids("root:staff", k_passwd, k_group) == Ids{0, 50}));
  // runc trims each line and knows no comments: what it reads is what we read.
  BOOST_TEST((ids("spaced", "  spaced:x:0:0::/:/bin/sh\r\nspaced:x:1000:1000::/:/bin/sh\n", std::nullopt) == Ids{0, 0}));
  BOOST_TEST((ids("#hash", "#hash:x:7:7::/:/bin/sh\n", std::nullopt) == Ids{7, 7}));
  // The groups that list a user given without a group, which the engine adds.
  BOOST_TEST((user_ids_in("builder", k_passwd, k_group, "img").groups == std::vector<std::int64_t>{50}));
}

BOOST_AUTO_TEST_CASE(says_when_a_name_is_root)
{
  const std::string passwd = "root:x:0:0::/root:/bin/sh\nnobody:x:0:0::/:/bin/sh\nbuilder:x:1000:1000::/:/bin/sh\nwheelie:x:1001:0::/:/bin/sh\n";
  const std::string group = "root:x:0:builder\nstaff:x:50:\n";
  auto warning = [&](const std::string& user) {
    return sandbox::run::root_in_image(user, user_ids_in(user, passwd, group, "img:1"), "img:1");
  };
  BOOST_TEST(warning("nobody") == "--user nobody is uid 0 in the image img:1: the sandbox runs as root");
  BOOST_TEST(warning("wheelie") == "--user wheelie is in root's group (gid 0) in the image img:1: the sandbox runs in root's group");
  BOOST_TEST(warning("builder") == "--user builder is in root's group (gid 0) in the image img:1: the sandbox runs in root's group");
  BOOST_TEST(warning("builder:staff") == ""); // a group given: no others are added
  BOOST_TEST(warning("root:staff") == "");    // said as typed, by the relaxations
}

BOOST_AUTO_TEST_CASE(refuses_what_the_image_does_not_define)
{
  auto message = [](const std::string& user, const std::optional<std::string>& passwd, const std::optional<std::string>& group) {
    return sandbox::test::message_of<sandbox::Error>([&] { user_ids_in(user, passwd, group, "img:1"); });
  };
  BOOST_TEST(message("nobody2", k_passwd, std::nullopt) == "--user nobody2: the image img:1 has no user \"nobody2\" in /etc/passwd");
  BOOST_TEST(message("builder:admins", k_passwd, k_group) == "--user builder:admins: the image img:1 has no group \"admins\" in /etc/group");
  // An id the engine would read as 0 is refused, rather than run as root or guessed.
  BOOST_TEST(message("broken", k_passwd, std::nullopt)
             == "the user \"broken\" in the image's /etc/passwd has no valid numeric id (the engine would run it as root)");
  BOOST_TEST(message("short", k_passwd, std::nullopt).find("has no valid numeric id") != std::string::npos);
  BOOST_TEST(message("big", "big:x:4294967295:1::/:/bin/sh", std::nullopt).find("has no valid numeric id") != std::string::npos);
  BOOST_TEST(message("neg", "neg:x:-1:1::/:/bin/sh", std::nullopt).find("has no valid numeric id") != std::string::npos);
  // A name with a control character in it is shown escaped, never raw on the user's terminal.
  BOOST_TEST(message("a\x1b[2Jb", k_passwd, std::nullopt).find('\x1b') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(named_user_is_resolved_again_with_the_ids_found)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.image = "img:1";
  flags.command = {"true"};
  flags.workspace = "none";
  flags.output = "none";
  flags.user = "builder";
  sandbox::run::HostFacts host{dir.path, 1000, 1000, {}, dir.path + "/config"};
  sandbox::run::RunIdentity identity{"0123456789ab", "2026-11-30T00:00:00Z", "host:1", "nonce"};
  sandbox::run::RunOptions before = sandbox::run::resolve_run_options(flags, host, identity);
  BOOST_TEST(before.user_named);
  BOOST_TEST(!before.sandbox_uid.has_value());
  flags.user_ids = Ids{1000, 1001};
  sandbox::run::RunOptions after = sandbox::run::resolve_run_options(flags, host, identity);
  BOOST_TEST(after.user == "builder"); // the engine gets the name: the image's home and groups apply
  BOOST_TEST(*after.sandbox_uid == 1000);
  BOOST_TEST(*after.sandbox_gid == 1001);
  // The scratch belongs to the user the name stands for (the bug: root-owned 755 scratch).
  BOOST_TEST_REQUIRE(!after.tmpfs.empty());
  BOOST_TEST(*after.tmpfs.front().uid == 1000);
  BOOST_TEST(*after.tmpfs.front().gid == 1001);
}

BOOST_AUTO_TEST_CASE(plan_reads_the_files_through_a_container_that_never_starts)
{
  sandbox::run::RunOptions options;
  options.image = "img:1";
  options.user = "builder:staff";
  options.run_id = "0123456789ab";
  sandbox::plan::Plan plan = sandbox::run::user_lookup_plan(options, {true, true}, "/tmp/lookup");
  std::vector<std::string> step_ids;
  for (const sandbox::plan::Step& step : plan.steps) {
    step_ids.push_back(step.id);
  }
  BOOST_TEST((step_ids == std::vector<std::string>{"user-lookup", "user-passwd-stat1", "user-passwd-stat2", "user-passwd",
                                              "user-group-stat1", "user-group-stat2", "user-group"}));
  const sandbox::json::Value& create = *plan.steps.front().body;
  BOOST_TEST(create["Image"].as_string() == "img:1");
  BOOST_TEST(create["HostConfig"]["NetworkMode"].as_string() == "none");
  BOOST_TEST(create["Labels"]["docker-sandbox.role"].as_string() == "user-lookup");
  BOOST_TEST(plan.steps[3].download->max_files == 2u); // a passwd that is a tree fills no disk
  BOOST_TEST_REQUIRE(plan.cleanup.size() == 1u);
  BOOST_TEST(plan.cleanup.front().method == "DELETE");
  // With the anonymous volumes the image declares.
  BOOST_TEST((plan.cleanup.front().query == sandbox::engine::Query{{"force", "1"}, {"v", "1"}}));
  // The file is refused unless it is a regular one: a tree or a FIFO would be taken as it is.
  BOOST_TEST_REQUIRE(static_cast<bool>(plan.steps[2].check));
  std::string message = sandbox::test::message_of<sandbox::Error>(
    [&] { plan.steps[2].check({200, sandbox::json::parse(R"({"name":"passwd","mode":2147484141})")}); });
  BOOST_TEST(message == "the image img:1 has a /etc/passwd that is not a regular file; refusing to read it");
  plan.steps[2].check({200, sandbox::json::parse(R"({"name":"passwd","mode":420})")});
}

BOOST_AUTO_TEST_SUITE_END()
