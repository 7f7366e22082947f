// --tmpfs PATH[:OPTIONS]: parsing, the option string of HostConfig.Tmpfs, and when the long
// Mounts form (API 1.46) can say everything.

#include "engine/api_version.h"
#include "run/tmpfs.h"
#include "run/command_lookup.h"
#include "util/error.h"
#include "util/json.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

BOOST_AUTO_TEST_SUITE(tmpfs)

BOOST_AUTO_TEST_CASE(parses_every_option)
{
  sandbox::run::TmpfsSpec spec = sandbox::run::parse_tmpfs("/cache/:size=64m,mode=0700,uid=1,gid=2,exec,nr_inodes=1k,ro");
  BOOST_TEST(spec.target == "/cache");
  BOOST_TEST(*spec.size == 64LL * 1024 * 1024);
  BOOST_TEST(*spec.mode == 0700u);
  BOOST_TEST(*spec.uid == 1);
  BOOST_TEST(*spec.gid == 2);
  BOOST_TEST(spec.exec);
  BOOST_TEST(sandbox::run::tmpfs_option_string(spec) == "exec,nr_inodes=1k,ro,size=64m,mode=700,uid=1,gid=2");
}

BOOST_AUTO_TEST_CASE(rejects_bad_options)
{
  for (const char* bad : {"relative", "/", "/a/../b", "/x:bogus=1", "/x:size=lots", "/x:mode=999", "/x:uid=-1",
                          "/x:uid=abc", "/x:suid", "/x:nr_inodes="}) {
    BOOST_CHECK_THROW(sandbox::run::parse_tmpfs(bad), sandbox::UsageError);
  }
}

BOOST_AUTO_TEST_CASE(the_long_form_only_when_it_can_say_everything)
{
  using sandbox::engine::ApiVersion;
  sandbox::run::TmpfsSpec plain = sandbox::run::parse_tmpfs("/x:size=1m,exec");
  BOOST_TEST(!sandbox::run::use_mounts_form(plain, ApiVersion{1, 45}));
  BOOST_TEST(sandbox::run::use_mounts_form(plain, ApiVersion{1, 46}));
  BOOST_TEST(!sandbox::run::use_mounts_form(sandbox::run::parse_tmpfs("/x:uid=1"), ApiVersion{1, 47}));
  BOOST_TEST(!sandbox::run::use_mounts_form(sandbox::run::parse_tmpfs("/x:nr_inodes=5"), ApiVersion{1, 47}));
}

BOOST_AUTO_TEST_CASE(a_given_mode_is_checked_against_the_image_directory)
{
  std::vector<sandbox::run::TmpfsSpec> specs{sandbox::run::parse_tmpfs("/cache:mode=1777"), sandbox::run::parse_tmpfs("/scratch"),
                                             sandbox::run::parse_tmpfs("/sticky:mode=1777")};
  std::vector<sandbox::plan::Step> steps = sandbox::run::tmpfs_mode_checks(specs, "{lookup.Id}", {});
  BOOST_TEST_REQUIRE(steps.size() == 2u); // only where mode= was given
  BOOST_TEST(steps[0].method == "HEAD");
  BOOST_TEST(steps[0].path == "/containers/{lookup.Id}/archive");
  sandbox::plan::Results results;
  results.record("command", sandbox::json::parse(R"({"Mounts":[{"Destination":"/workspace"}],"HostConfig":{"Tmpfs":{"/sticky":""}}})"));
  sandbox::plan::Reply missing;
  missing.status = 404;
  steps[0].check_recorded(missing, results);
  sandbox::plan::Reply sticky;
  sticky.status = 200;
  sticky.body = sandbox::json::parse(R"({"mode":)" + std::to_string((1u << 31) | (1u << 20) | 0777) + "}");
  steps[0].check_recorded(sticky, results);
  sandbox::plan::Reply plain;
  plain.status = 200;
  plain.body = sandbox::json::parse(R"({"mode":)" + std::to_string((1u << 31) | 0755) + "}");
  std::string message = sandbox::test::message_of<sandbox::Error>([&] { steps[1].check_recorded(plain, results); });
  BOOST_TEST(message == "--tmpfs /sticky:mode=1777 cannot be honoured: the image has /sticky with mode 755, which runc gives the "
                        "tmpfs; mount it elsewhere, or drop mode=");
  // Under another of the sandbox's mounts, the image's directory is not what runc will see.
  std::vector<sandbox::plan::Step> inside =
    sandbox::run::tmpfs_mode_checks({sandbox::run::parse_tmpfs("/workspace/cache:mode=1777")}, "{lookup.Id}", {});
  BOOST_TEST_REQUIRE(inside.size() == 1u);
  inside[0].check_recorded(plain, results);
  // Under a host bind, the host's directory is what runc will find.
  sandbox::test::TempDir dir;
  BOOST_REQUIRE(::mkdir((dir.path + "/cache").c_str(), 0755) == 0);
  BOOST_REQUIRE(::mkdir((dir.path + "/sticky").c_str(), 0755) == 0);
  ::chmod((dir.path + "/sticky").c_str(), 01777);
  std::vector<sandbox::run::HostBind> binds{{"/workspace", dir.path}};
  std::vector<sandbox::plan::Step> bound = sandbox::run::tmpfs_mode_checks(
    {sandbox::run::parse_tmpfs("/workspace/cache:mode=1777"), sandbox::run::parse_tmpfs("/workspace/sticky:mode=1777"),
     sandbox::run::parse_tmpfs("/workspace/new:mode=1777")}, "{lookup.Id}", binds);
  BOOST_REQUIRE(bound.size() == 3u);
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] { bound[0].check_recorded(missing, results); })
             == "--tmpfs /workspace/cache:mode=1777 cannot be honoured: the host directory bound at /workspace has "
                "/workspace/cache with mode 755, which runc gives the tmpfs; mount it elsewhere, or drop mode=");
  bound[1].check_recorded(missing, results);
  bound[2].check_recorded(missing, results);
}

BOOST_AUTO_TEST_CASE(podman_gets_its_U_option_instead_of_uid_and_gid)
{
  sandbox::engine::PingInfo ping;
  ping.libpod_version = "4.3.1";
  sandbox::engine::EngineFeatures podman = sandbox::engine::features_of(ping);
  BOOST_TEST(!podman.tmpfs_owner_options);
  std::vector<sandbox::run::TmpfsSpec> specs{sandbox::run::parse_tmpfs("/tmp:mode=1777"), sandbox::run::parse_tmpfs("/cache")};
  for (sandbox::run::TmpfsSpec& spec : specs) {
    spec.uid = 1000; // what resolve_run_options gives a non-root sandbox
    spec.gid = 1000;
  }
  BOOST_TEST(!sandbox::run::fit_tmpfs_owners(specs, 1000, 1000, podman), "our own default owner changes silently");
  BOOST_TEST(sandbox::run::tmpfs_option_string(specs[0]) == "noexec,notmpcopyup,U,mode=1777");
  BOOST_TEST(sandbox::run::tmpfs_option_string(specs[1]) == "noexec,notmpcopyup,U");

  std::vector<sandbox::run::TmpfsSpec> written{sandbox::run::parse_tmpfs("/w:uid=1000,gid=1000")};
  std::optional<std::string> line = sandbox::run::fit_tmpfs_owners(written, 1000, 1000, podman);
  BOOST_REQUIRE(line);
  BOOST_TEST(*line == "Podman 4.3.1 refuses tmpfs uid=/gid=: /w given to the sandbox user with Podman's U option instead");

  std::vector<sandbox::run::TmpfsSpec> other{sandbox::run::parse_tmpfs("/x:uid=1234")};
  std::string message = sandbox::test::message_of<sandbox::Error>([&] { sandbox::run::fit_tmpfs_owners(other, 1000, 1000, podman); });
  BOOST_TEST(message.find("only to the sandbox's own user") != std::string::npos, message);

  std::vector<sandbox::run::TmpfsSpec> docker = specs;
  docker[0].uid = 1000;
  BOOST_TEST(!sandbox::run::fit_tmpfs_owners(docker, 1000, 1000, sandbox::engine::features_of({})), "Docker keeps uid=/gid=");
  BOOST_TEST((docker[0].uid == 1000));
}

BOOST_AUTO_TEST_SUITE_END()
