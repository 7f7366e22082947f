// What prune selects among the managed containers.

#include "managed/containers.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(containers)

BOOST_AUTO_TEST_CASE(prune_selects_finished_and_orphaned_only)
{
  using sandbox::managed::ManagedContainer;
  std::vector<ManagedContainer> all{
    {"a", "exited-old", "img", "exited", "", "", "", "h:1", 1000, "", {}, "", {}},
    {"b", "running-live", "img", "running", "", "", "", "h:2", 1000, "", {}, "", {}},
    {"c", "running-orphan", "img", "running", "", "", "", "h:3", 1000, "", {}, "", {}},
    {"d", "exited-young", "img", "exited", "", "", "", "h:1", 1990, "", {}, "", {}},
    {"e", "created-live", "img", "created", "", "", "", "h:1", 1000, "", {}, "", {}}, // a transfer helper in use
    {"f", "created-orphan", "img", "created", "", "", "", "h:3", 1000, "", {}, "", {}},
  };
  auto alive = [](const std::string& owner) { return owner != "h:3"; };
  std::vector<std::string> names;
  for (const auto& c : sandbox::managed::select_prunable(all, 2000, std::chrono::milliseconds(60'000), alive)) {
    names.push_back(c.name);
  }
  BOOST_TEST((names == std::vector<std::string>{"exited-old", "running-orphan", "created-orphan"}));
  BOOST_TEST(sandbox::managed::select_prunable(all, 2000, std::nullopt, alive).size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
