// Who the engine is, from the ping version negotiation sends: Podman adds a Libpod-Api-Version
// header, Docker does not; the name `version` gives the server and what Podman cannot do follow.

#include "engine/engine_features.h"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(engine_features)

BOOST_AUTO_TEST_CASE(docker_without_the_libpod_header)
{
  sandbox::engine::EngineFeatures docker = sandbox::engine::features_of({});
  BOOST_TEST(!docker.podman);
  BOOST_TEST(docker.engine == "Docker");
  BOOST_TEST(docker.server == "Docker Engine");
  BOOST_TEST(docker.tmpfs_owner_options);
  BOOST_TEST(docker.runtime_choice);
  BOOST_TEST(docker.inhibit_host_address);
  BOOST_TEST(sandbox::engine::missing_features(docker).empty());
}

BOOST_AUTO_TEST_CASE(podman_from_its_libpod_header)
{
  sandbox::engine::PingInfo ping;
  ping.libpod_version = "4.3.1";
  sandbox::engine::EngineFeatures podman = sandbox::engine::features_of(ping);
  BOOST_TEST(podman.podman);
  BOOST_TEST(podman.engine == "Podman 4.3.1");
  BOOST_TEST(podman.server == "Podman Engine");
  BOOST_TEST(!podman.tmpfs_owner_options);
  BOOST_TEST(!podman.runtime_choice); // its Docker API ignores HostConfig.Runtime
  BOOST_TEST(!podman.inhibit_host_address); // its internal networks have no gateway at all
  BOOST_TEST(sandbox::engine::missing_features(podman).size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
