// What a run learns from the engine's /info: rootless or not, the limits it cannot enforce (one
// line), and a reply that leaves fields out or garbles them counting as the features missing.

#include "run/engine_facts.h"
#include "util/json.h"

#include <boost/test/unit_test.hpp>

namespace {

sandbox::run::EngineFacts facts_of(const std::string& info)
{
  return sandbox::run::engine_facts(sandbox::json::parse(info));
}

} // namespace

BOOST_AUTO_TEST_SUITE(engine_facts)

BOOST_AUTO_TEST_CASE(reads_rootless_and_the_limits)
{
  // Debian 12's rootless dockerd on a cgroup v1 host, as its /info says it.
  sandbox::run::EngineFacts rootless = facts_of(R"({"SecurityOptions":["name=seccomp,profile=default","name=rootless"],
    "CgroupDriver":"none","CgroupVersion":"1","MemoryLimit":false,"PidsLimit":false,"CpuCfsQuota":false})");
  BOOST_TEST(rootless.rootless);
  BOOST_TEST(rootless.seccomp);
  BOOST_TEST(!rootless.userns_remap);
  BOOST_TEST(!rootless.memory_limit);
  BOOST_TEST(!rootless.pids_limit);

  sandbox::run::EngineFacts rootful = facts_of(R"({"SecurityOptions":["name=seccomp,profile=default","name=userns"],
    "CgroupVersion":"2","MemoryLimit":true,"PidsLimit":true,"CpuCfsQuota":true,"SwapLimit":true})");
  BOOST_TEST(!rootful.rootless);
  BOOST_TEST(rootful.userns_remap);
  BOOST_TEST(rootful.cgroup_version == "2");
  BOOST_TEST(rootful.memory_limit);
}

BOOST_AUTO_TEST_CASE(a_garbled_reply_counts_as_missing)
{
  sandbox::run::EngineFacts facts = facts_of(R"({"SecurityOptions":"name=rootless","MemoryLimit":"yes",
    "CgroupVersion":"2\u001b[2J"})");
  BOOST_TEST(!facts.rootless); // not an array: nothing is claimed
  BOOST_TEST(!facts.memory_limit);
  BOOST_TEST(facts.cgroup_version == "1"); // never the engine's text on the user's terminal
  // A prefix is not the option: name=rootlessish is not rootless.
  BOOST_TEST(!facts_of(R"({"SecurityOptions":["name=rootlessish"]})").rootless);
}

BOOST_AUTO_TEST_CASE(names_each_limit_that_would_not_hold)
{
  sandbox::run::RunOptions options;
  options.memory = 2LL * 1024 * 1024 * 1024;
  options.pids_limit = 512;
  sandbox::run::EngineFacts facts;
  BOOST_TEST(sandbox::run::unenforced_limits_line(options, facts) == "");
  facts.rootless = true;
  facts.memory_limit = false;
  facts.pids_limit = false;
  BOOST_TEST(sandbox::run::unenforced_limits_line(options, facts)
             == "this engine (rootless, cgroup v1) cannot enforce --memory 2g and --pids-limit 512: they are not applied");
  options.memory = 0; // lifted by the user: nothing is lost
  BOOST_TEST(sandbox::run::unenforced_limits_line(options, facts)
             == "this engine (rootless, cgroup v1) cannot enforce --pids-limit 512: it is not applied");
}

BOOST_AUTO_TEST_SUITE_END()
