// Which of our own images prune removes: the egress proxy images of other builds, by tag.

#include "managed/images.h"
#include "util/json.h"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(images)

BOOST_AUTO_TEST_CASE(stale_egress_images_are_other_builds_of_ours_only)
{
  sandbox::json::Value images = sandbox::json::parse(R"([
    {"RepoTags": ["docker-sandbox-egress-proxy:aaaaaaaaaaaa"], "Labels": {"docker-sandbox.managed": "true"}},
    {"RepoTags": ["docker-sandbox-egress-proxy:bbbbbbbbbbbb", "docker.io/library/docker-sandbox-egress-proxy:cccccccccccc"],
     "Labels": {"docker-sandbox.managed": "true"}},
    {"RepoTags": ["docker-sandbox-egress-proxy:dddddddddddd"], "Labels": {}},
    {"RepoTags": ["docker-sandbox-egress-proxy:latest", "docker-sandbox-egress-proxy:../../x",
                  "docker-sandbox-helper:1", "other:bbbbbbbbbbbb", 7], "Labels": {"docker-sandbox.managed": "true"}},
    {"RepoTags": null, "Labels": {"docker-sandbox.managed": "true"}},
    "not an image"
  ])");
  std::vector<std::string> stale = sandbox::managed::stale_egress_images(images, "docker-sandbox-egress-proxy:aaaaaaaaaaaa");
  // Podman names them in full. This build's is kept; an image without our label (the filter answered loosely), a tag that is
  // not a digest, the volume helper's and another repository's are never ours to remove.
  std::vector<std::string> expected{"docker-sandbox-egress-proxy:bbbbbbbbbbbb", "docker-sandbox-egress-proxy:cccccccccccc"};
  BOOST_TEST(stale == expected, boost::test_tools::per_element());
  BOOST_TEST(sandbox::managed::stale_egress_images(sandbox::json::parse("{}"), "").empty());

  std::vector<sandbox::plan::Step> steps = sandbox::managed::remove_image_steps(stale);
  BOOST_TEST(steps.size() == 2u);
  BOOST_TEST(steps[0].method == "DELETE");
  BOOST_TEST(steps[0].path == "/images/docker-sandbox-egress-proxy:bbbbbbbbbbbb");
  BOOST_TEST((steps[0].accepted == std::vector<int>{404, 409}));
}

BOOST_AUTO_TEST_SUITE_END()
