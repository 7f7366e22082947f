// Volume names and labels, and which volumes prune may remove.

#include "util/error.h"
#include "managed/volumes.h"

#include <boost/test/unit_test.hpp>

namespace {

std::string label(const sandbox::managed::NewVolume& v, const std::string& key)
{
  for (const auto& [k, value] : v.labels) {
    if (k == key) {
      return value;
    }
  }
  return "<none>";
}

} // namespace

BOOST_AUTO_TEST_SUITE(volumes)

BOOST_AUTO_TEST_CASE(generated_names_carry_tenant_run_and_a_unique_part)
{
  sandbox::managed::CreateRequest request;
  request.tenant = "acme";
  request.run = "r-7";
  request.labels = {"purpose=inputs"};
  sandbox::managed::NewVolume v = sandbox::managed::new_volume(request, "0123456789ab", "2026-11-23T10:00:00Z", "me");
  BOOST_TEST(v.name == "tenant-acme-run-r-7-0123456789ab");
  BOOST_TEST(label(v, "docker-sandbox.managed") == "true");
  BOOST_TEST(label(v, "docker-sandbox.tenant") == "acme");
  BOOST_TEST(label(v, "docker-sandbox.run") == "r-7");
  BOOST_TEST(label(v, "docker-sandbox.created") == "2026-11-23T10:00:00Z");
  BOOST_TEST(label(v, "docker-sandbox.creator") == "me");
  BOOST_TEST(label(v, "purpose") == "inputs");
}

BOOST_AUTO_TEST_CASE(bad_requests_are_refused)
{
  using sandbox::managed::CreateRequest;
  auto refused = [](CreateRequest request) {
    BOOST_CHECK_THROW(sandbox::managed::new_volume(request, "u", "t", "c"), sandbox::UsageError);
  };
  refused(CreateRequest{});                                         // no NAME and no tenant
  refused(CreateRequest{std::nullopt, std::string("a b"), std::nullopt, {}});
  refused(CreateRequest{std::nullopt, std::string("t"), std::string("../x"), {}});
  refused(CreateRequest{std::string("-leading"), std::nullopt, std::nullopt, {}});
  refused(CreateRequest{std::string("has/slash"), std::nullopt, std::nullopt, {}});
  refused(CreateRequest{std::string("ok"), std::nullopt, std::nullopt, {"docker-sandbox.managed=false"}});
  refused(CreateRequest{std::string("ok"), std::nullopt, std::nullopt, {"=novalue"}});
}

BOOST_AUTO_TEST_CASE(prune_takes_only_unused_and_old_enough)
{
  using sandbox::managed::ManagedVolume;
  std::vector<ManagedVolume> all(5);
  all[3].name = "live-run-unused"; // a run still filling it: its plugin is alive
  all[3].created_at = 1000;
  all[3].owner = "h:1";
  all[4].name = "dead-run-unused";
  all[4].created_at = 1000;
  all[4].owner = "h:2";
  all[0].name = "old-unused";
  all[0].created_at = 1000;
  all[1].name = "old-in-use";
  all[1].created_at = 1000;
  all[2].name = "young-unused";
  all[2].created_at = 1990;
  std::vector<std::string> unused{"old-unused", "young-unused", "live-run-unused", "dead-run-unused"};
  auto alive = [](const std::string& owner) { return owner == "h:1"; };
  auto names = [](const std::vector<ManagedVolume>& volumes) {
    std::vector<std::string> out;
    for (const auto& v : volumes) {
      out.push_back(v.name);
    }
    return out;
  };
  BOOST_TEST((names(sandbox::managed::select_prunable(all, unused, 2000, std::chrono::minutes(1), alive))
              == std::vector<std::string>{"old-unused", "dead-run-unused"}));
  BOOST_TEST((names(sandbox::managed::select_prunable(all, unused, 2000, std::nullopt, alive))
              == std::vector<std::string>{"old-unused", "young-unused", "dead-run-unused"}));
}

BOOST_AUTO_TEST_CASE(times)
{
  BOOST_TEST(sandbox::managed::parse_rfc3339("1970-01-01T00:01:40Z") == 100);
  BOOST_TEST(sandbox::managed::parse_rfc3339("1970-01-01T01:01:40+01:00") == 100);
  BOOST_TEST(sandbox::managed::parse_rfc3339("garbage") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
