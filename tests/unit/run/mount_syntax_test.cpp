// docker's -v and --mount spellings, sorted into host binds (read-only unless rw), named volumes
// and tmpfs mounts; every spelling a sandbox does not take is refused, never dropped.

#include "run/mount_syntax.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

namespace {

using sandbox::UsageError;
using sandbox::run::SortedMounts;
using sandbox::run::sort_mount_flag;
using sandbox::run::sort_volume_flag;

SortedMounts volume(const std::string& text)
{
  SortedMounts out;
  sort_volume_flag(text, out);
  return out;
}

SortedMounts mount(const std::string& text)
{
  SortedMounts out;
  sort_mount_flag(text, out);
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(mount_syntax)

BOOST_AUTO_TEST_CASE(a_host_path_is_bound_read_only_unless_rw)
{
  SortedMounts plain = volume("./src:/app/src");
  BOOST_REQUIRE(plain.binds.size() == 1u);
  BOOST_TEST(plain.binds[0].source == "./src");
  BOOST_TEST(plain.binds[0].target == "/app/src");
  BOOST_TEST(plain.binds[0].read_only);
  BOOST_TEST(plain.binds[0].typed == "-v ./src:/app/src");
  BOOST_TEST(!volume("/data:/data:rw").binds.at(0).read_only);
  BOOST_TEST(volume("/data:/data:ro").binds.at(0).read_only);
  BOOST_TEST(volume("../up:/up").binds.size() == 1u);
  BOOST_TEST(plain.volumes.empty());
}

BOOST_AUTO_TEST_CASE(a_name_is_a_volume_writable_unless_ro)
{
  BOOST_TEST(volume("cache:/cache").volumes == std::vector<std::string>{"cache:/cache"});
  BOOST_TEST(volume("cache:/cache:ro").volumes == std::vector<std::string>{"cache:/cache:ro"});
  BOOST_TEST(volume("cache:/cache").binds.empty());
}

BOOST_AUTO_TEST_CASE(what_a_sandbox_does_not_take_is_refused)
{
  BOOST_CHECK_THROW(volume("/anonymous"), UsageError);
  BOOST_CHECK_THROW(volume("./src:/x:z"), UsageError);
  BOOST_CHECK_THROW(volume("./src:/x:ro,rw"), UsageError);
  BOOST_CHECK_THROW(volume("./src:/x:shared"), UsageError);
  BOOST_CHECK_THROW(volume(":/x"), UsageError);
  BOOST_CHECK_THROW(volume("a:b:c:d"), UsageError);
}

BOOST_AUTO_TEST_CASE(mount_binds_read_only_unless_readonly_false)
{
  SortedMounts bind = mount("type=bind,source=src,target=/app/src");
  BOOST_REQUIRE(bind.binds.size() == 1u);
  BOOST_TEST(bind.binds[0].source == "src");
  BOOST_TEST(bind.binds[0].read_only);
  BOOST_TEST(!mount("type=bind,src=/d,dst=/d,readonly=false").binds.at(0).read_only);
  BOOST_TEST(mount("type=bind,src=/d,destination=/d,ro").binds.at(0).read_only);
  BOOST_TEST(mount("type=bind,src=/d,dst=/d,readonly=1").binds.at(0).read_only);
}

BOOST_AUTO_TEST_CASE(mount_volumes_and_tmpfs_take_the_flags_own_syntax)
{
  BOOST_TEST(mount("src=cache,dst=/cache").volumes == std::vector<std::string>{"cache:/cache"});
  BOOST_TEST(mount("type=volume,src=cache,dst=/cache,readonly").volumes == std::vector<std::string>{"cache:/cache:ro"});
  BOOST_TEST(mount("type=tmpfs,dst=/scratch,tmpfs-size=1m,tmpfs-mode=1770").tmpfs
             == std::vector<std::string>{"/scratch:size=1m,mode=1770"});
  BOOST_TEST(mount("type=tmpfs,target=/t").tmpfs == std::vector<std::string>{"/t"});
}

BOOST_AUTO_TEST_CASE(mount_refuses_what_it_cannot_honour)
{
  BOOST_CHECK_THROW(mount("type=bind,src=/d,dst=/d,bind-propagation=shared"), UsageError);
  BOOST_CHECK_THROW(mount("type=volume,src=v,dst=/d,volume-driver=x"), UsageError);
  BOOST_CHECK_THROW(mount("type=npipe,src=/d,dst=/d"), UsageError);
  BOOST_CHECK_THROW(mount("type=bind,src=/d"), UsageError);
  BOOST_CHECK_THROW(mount("type=volume,dst=/d"), UsageError);
  BOOST_CHECK_THROW(mount("type=volume,src=/host,dst=/d"), UsageError);
  BOOST_CHECK_THROW(mount("type=tmpfs,src=x,dst=/d"), UsageError);
  BOOST_CHECK_THROW(mount("type=tmpfs,dst=/d,readonly"), UsageError);
  BOOST_CHECK_THROW(mount("type=bind,src=/d,dst=/d,tmpfs-size=1m"), UsageError);
  BOOST_CHECK_THROW(mount("type=bind,src=/d,dst=/d,readonly=maybe"), UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
