// A detached sandbox's lifetime: the labels its create carries, read back by ls and prune.

#include "managed/containers.h"
#include "managed/lifetime.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {

using sandbox::managed::Lifetime;
using sandbox::managed::ManagedContainer;

ManagedContainer with_labels(std::string name, std::string state, std::string owner,
                             std::vector<std::pair<std::string, std::string>> labels)
{
  ManagedContainer c;
  c.id = name + "-id";
  c.name = std::move(name);
  c.state = std::move(state);
  c.owner = std::move(owner);
  c.created = 1000;
  c.labels = std::move(labels);
  return c;
}

ManagedContainer detached(std::string name, std::string state, std::optional<std::int64_t> deadline)
{
  return with_labels(std::move(name), std::move(state), "h:9", sandbox::managed::lifetime_labels(Lifetime{deadline, 0}));
}

} // namespace

BOOST_AUTO_TEST_SUITE(lifetime)

BOOST_AUTO_TEST_CASE(every_create_says_its_lifetime)
{
  using Labels = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST((sandbox::managed::lifetime_labels(std::nullopt) == Labels{{"docker-sandbox.lifetime", "run"}}));
  BOOST_TEST((sandbox::managed::lifetime_labels(Lifetime{5000, 600})
              == Labels{{"docker-sandbox.lifetime", "detached"}, {"docker-sandbox.expires", "5000"}, {"docker-sandbox.idle-timeout", "600"}}));
  BOOST_TEST((sandbox::managed::lifetime_labels(Lifetime{std::nullopt, 0})
              == Labels{{"docker-sandbox.lifetime", "detached"}, {"docker-sandbox.expires", "never"}, {"docker-sandbox.idle-timeout", "0"}}));
}

BOOST_AUTO_TEST_CASE(time_left_and_expiry)
{
  BOOST_TEST(sandbox::managed::time_left(detached("a", "running", 2000 + 7 * 3600), 2000) == "7 hours");
  BOOST_TEST(sandbox::managed::time_left(detached("a", "exited", 2000), 2000) == "expired");
  BOOST_TEST(sandbox::managed::time_left(detached("a", "running", std::nullopt), 2000) == "never");
  BOOST_TEST(sandbox::managed::time_left(with_labels("r", "running", "h:1", {{"docker-sandbox.lifetime", "run"}}), 2000).empty());
  BOOST_TEST(sandbox::managed::expired(detached("a", "running", 1999), 2000));
  BOOST_TEST(!sandbox::managed::expired(detached("a", "running", 2001), 2000));
  BOOST_TEST(!sandbox::managed::expired(detached("a", "running", std::nullopt), 2000));
  // A deadline that is not a number ends it: a create of ours always writes one.
  BOOST_TEST(sandbox::managed::expired(
    with_labels("x", "running", "h:9", {{"docker-sandbox.lifetime", "detached"}, {"docker-sandbox.expires", "soon"}}), 2000));
  // Only a detached sandbox expires, whatever else its labels say (an image's expires label on a run).
  BOOST_TEST(!sandbox::managed::expired(
    with_labels("r", "running", "h:9", {{"docker-sandbox.lifetime", "run"}, {"docker-sandbox.expires", "1"}}), 2000));
}

BOOST_AUTO_TEST_CASE(prune_leaves_a_detached_sandbox_until_its_deadline)
{
  // Its owner (the plugin of run -d) is long gone, and it may be stopped: it stays until its --ttl
  // has passed, then goes in any state.
  std::vector<ManagedContainer> all{
    detached("live", "running", 5000),
    detached("stopped", "exited", 5000),
    detached("forever", "running", std::nullopt),
    detached("over", "running", 1500),
    detached("over-stopped", "exited", 1500),
  };
  auto alive = [](const std::string&) { return false; };
  std::vector<std::string> names;
  for (const ManagedContainer& c : sandbox::managed::select_prunable(all, 2000, std::nullopt, alive)) {
    names.push_back(c.name);
  }
  BOOST_TEST((names == std::vector<std::string>{"over", "over-stopped"}));
  // Created, never started, its plugin gone (killed between create and start): an orphan now.
  std::vector<ManagedContainer> unstarted{detached("orphan", "created", std::nullopt), detached("starting", "created", 5000)};
  unstarted[1].owner = "h:live";
  auto live = [](const std::string& owner) { return owner == "h:live"; };
  names.clear();
  for (const ManagedContainer& c : sandbox::managed::select_prunable(unstarted, 2000, std::nullopt, live)) {
    names.push_back(c.name);
  }
  BOOST_TEST((names == std::vector<std::string>{"orphan"}));
}

BOOST_AUTO_TEST_SUITE_END()
