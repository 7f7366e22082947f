// The relaxation classifier: every key of the shipped schema is known to it, each relaxing value
// of each key is found (and the dangerous capabilities forbidden), neutral and tightening values
// pass, a flag that overrides a key silences it, and every relaxing flag is named.

#include "run/profile.h"
#include "run/relaxations.h"
#include "util/json.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

namespace {

using sandbox::run::Relaxation;
using sandbox::run::RunFlags;

std::vector<Relaxation> classify(const std::string& text, const RunFlags& typed = {})
{
  return sandbox::run::profile_relaxations(sandbox::run::parse_profile(text, "test.json"), typed);
}

std::string keys_of(const std::vector<Relaxation>& relaxations)
{
  std::string out;
  for (const Relaxation& r : relaxations) {
    out += (out.empty() ? "" : ",") + r.key + (r.forbidden ? "!" : "");
  }
  return out;
}

// Leaf keys ("limits.memory") and groups ("limits") of the schema's object properties.
void schema_keys(const sandbox::json::Value& schema, const std::string& prefix, std::set<std::string>& leaves,
                 std::set<std::string>& groups)
{
  for (const sandbox::json::Member& property : schema["properties"].members()) {
    if (property.second["properties"].is_object()) {
      groups.insert(prefix + property.first);
      schema_keys(property.second, prefix + property.first + ".", leaves, groups);
    } else {
      leaves.insert(prefix + property.first);
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(relaxations)

BOOST_AUTO_TEST_CASE(every_schema_key_is_classified_and_nothing_else)
{
  std::set<std::string> leaves;
  std::set<std::string> groups;
  schema_keys(sandbox::json::parse(sandbox::run::profile_schema()), "", leaves, groups);
  std::vector<std::string> known = sandbox::run::classified_profile_keys();
  std::vector<std::string> known_groups = sandbox::run::classified_profile_groups();
  for (const std::string& key : leaves) {
    BOOST_TEST((std::find(known.begin(), known.end(), key) != known.end()),
               "schema key \"" << key << "\" is not classified in lib/run/relaxations.cpp: decide whether it relaxes the sandbox");
  }
  for (const std::string& group : groups) {
    BOOST_TEST((std::find(known_groups.begin(), known_groups.end(), group) != known_groups.end()), "schema group " << group);
  }
  BOOST_TEST(known.size() == leaves.size(), "the classifier knows keys the schema does not have");
  BOOST_TEST(known_groups.size() == groups.size());
}

BOOST_AUTO_TEST_CASE(neutral_and_tightening_keys_need_no_consent)
{
  BOOST_TEST(keys_of(classify(R"({"$schema": "x", "image": "img", "command": ["make"], "entrypoint": "/bin/sh",
    "workdir": "/w", "env": ["A=1"], "exclude": ["node_modules"], "mounts": {"workspace": "src", "output": "out",
    "workspace_rw": false}, "network": "none", "user": "1000", "cap_add": [], "tmpfs": ["/cache:size=64m,mode=700"],
    "limits": {"memory": "512m", "cpus": 0.5, "pids": 64, "timeout": "5m"}, "writable_root": false,
    "allow_new_privileges": false})")) == "");
  BOOST_TEST(keys_of(classify(R"({"user": "1000:1000", "limits": {"memory": "2g", "pids": 512},
                                  "tmpfs": ["/tmp:size=256m"]})")) == "");
}

BOOST_AUTO_TEST_CASE(each_relaxing_value_is_found)
{
  const std::vector<std::pair<std::string, std::string>> cases{
    {R"({"user": "0"})", "user"},
    {R"({"user": "0:0"})", "user"},
    {R"({"user": "00"})", "user"},
    {R"({"user": "root"})", "user"},
    {R"({"user": "admin"})", "user"},      // a name the image decides
    {R"({"user": "1000:0"})", "user"},     // root's group
    {R"({"network": "bridge"})", "network"},
    {R"({"network": "host"})", "network"},
    {R"({"cap_add": ["NET_BIND_SERVICE"]})", "cap_add"},
    {R"({"mounts": {"workspace_rw": true}})", "mounts.workspace_rw"},
    {R"({"tmpfs": ["/tmp:exec,size=64m"]})", "tmpfs"},
    {R"({"tmpfs": ["/tmp:size=64g"]})", "tmpfs"},
    {R"({"tmpfs": ["/cache"]})", "tmpfs"},  // no size: no cap
    {R"({"limits": {"memory": "999t"}})", "limits.memory"},
    {R"({"limits": {"memory": "0"}})", "limits.memory"},
    {R"({"limits": {"pids": 4000000}})", "limits.pids"},
    {R"({"limits": {"pids": 0}})", "limits.pids"},
    {R"({"limits": {"pids": -1}})", "limits.pids"},
    {R"({"writable_root": true})", "writable_root"},
    {R"({"allow_new_privileges": true})", "allow_new_privileges"},
    {R"({"seccomp_profile": "unconfined"})", "seccomp_profile"},
    {R"({"runtime": "runsc"})", "runtime"},
  };
  for (const auto& [profile, key] : cases) {
    BOOST_TEST(keys_of(classify(profile)) == key, profile);
  }
}

BOOST_AUTO_TEST_CASE(dangerous_capabilities_are_forbidden_in_any_spelling)
{
  for (const char* cap : {"SYS_ADMIN", "sys_admin", "CAP_SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO",
                          "DAC_READ_SEARCH", "NET_ADMIN", "BPF", "PERFMON", "SYS_BOOT", "SYS_TIME", "MAC_ADMIN",
                          "MAC_OVERRIDE", "SYSLOG", "ALL", "all"}) {
    BOOST_TEST(keys_of(classify(std::string(R"({"cap_add": [")") + cap + "\"]}")) == "cap_add!", cap);
  }
  BOOST_TEST(keys_of(classify(R"({"cap_add": ["CHOWN", "SYS_ADMIN"]})")) == "cap_add,cap_add!");
}

BOOST_AUTO_TEST_CASE(a_flag_that_overrides_a_key_silences_it)
{
  RunFlags typed;
  typed.user = "1000";
  typed.network = "none";
  typed.cap_add = {"CHOWN"};
  typed.memory = "1g";
  typed.pids_limit = "100";
  typed.tmpfs = {"/tmp:size=1m"};
  typed.seccomp_profile = "unconfined";
  typed.runtime = "runc";
  typed.writable_root = typed.allow_new_privileges = typed.workspace_rw = true;
  BOOST_TEST(keys_of(classify(R"({"user": "0", "network": "host", "cap_add": ["SYS_ADMIN"], "tmpfs": ["/tmp:exec"],
    "limits": {"memory": "0", "pids": 0}, "seccomp_profile": "unconfined", "runtime": "kata", "writable_root": true,
    "allow_new_privileges": true, "mounts": {"workspace_rw": true}})", typed)) == "");
}

BOOST_AUTO_TEST_CASE(a_key_the_classifier_does_not_know_counts_as_a_relaxation)
{
  // The schema refuses unknown keys first; this is the classifier's own fallback.
  sandbox::json::Value profile = sandbox::json::parse(R"({"privileged": true, "limits": {"swap": "1t"}})");
  BOOST_TEST(keys_of(sandbox::run::profile_relaxations(profile, {})) == "privileged,limits.swap");
}

BOOST_AUTO_TEST_CASE(every_relaxing_flag_says_so_once)
{
  BOOST_TEST(sandbox::run::flag_relaxations(RunFlags{}).empty());
  RunFlags quiet;
  quiet.user = "1000";
  quiet.network = "none";
  quiet.memory = "8g";
  quiet.pids_limit = "1000";
  quiet.seccomp_profile = "mine.json";
  BOOST_TEST(sandbox::run::flag_relaxations(quiet).empty());

  auto flag_keys = [](const RunFlags& flags) { return keys_of(sandbox::run::flag_relaxations(flags)); };
  RunFlags f;
  f.user = "0";
  BOOST_TEST(flag_keys(f) == "--user");
  f = {};
  f.user = "root:root";
  BOOST_TEST(flag_keys(f) == "--user");
  f = {};
  f.cap_add = {"CHOWN", "sys_admin"};
  std::vector<Relaxation> caps = sandbox::run::flag_relaxations(f);
  BOOST_REQUIRE(caps.size() == 2u);
  BOOST_TEST(caps[1].text().find("no longer holds") != std::string::npos, caps[1].text());
  f = {};
  f.seccomp_profile = "unconfined";
  BOOST_TEST(flag_keys(f) == "--seccomp-profile");
  f = {};
  f.allow_new_privileges = true;
  BOOST_TEST(flag_keys(f) == "--allow-new-privileges");
  f = {};
  f.writable_root = true;
  BOOST_TEST(flag_keys(f) == "--writable-root");
  f = {};
  f.workspace_rw = true;
  BOOST_TEST(flag_keys(f) == "--workspace-rw");
  f = {};
  f.network = "bridge";
  BOOST_TEST(flag_keys(f) == "--network");
  f = {};
  f.runtime = "runsc";
  BOOST_TEST(flag_keys(f) == "--runtime");
  f = {};
  f.memory = "0";
  BOOST_TEST(flag_keys(f) == "--memory");
  for (const char* none : {"0", "-1"}) {
    f = {};
    f.pids_limit = none;
    BOOST_TEST(flag_keys(f) == "--pids-limit");
  }
}

BOOST_AUTO_TEST_SUITE_END()
