// --tmpfs PATH[:OPTIONS]: parsing, the option string of HostConfig.Tmpfs, and when the long
// Mounts form (API 1.46) can say everything.

#include "engine/api_version.h"
#include "run/tmpfs.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

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

BOOST_AUTO_TEST_SUITE_END()
