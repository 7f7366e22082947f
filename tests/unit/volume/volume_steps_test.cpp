// How data reaches volumes through the helper: one tar at / where the engine writes through mount
// points (Docker), one PUT per mount point and one for the roots elsewhere (Podman), and the checks
// of what each volume holds afterwards, whichever tar carried it.

#include "engine/http.h"
#include "plan/plan.h"
#include "util/error.h"
#include "util/json.h"
#include "volume/volume_steps.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace {

using sandbox::plan::Step;
using sandbox::plan::TarEntry;
using sandbox::volume::VolumeUpload;

TarEntry directory(const std::string& member)
{
  TarEntry entry;
  entry.source = TarEntry::Source::directory;
  entry.member = member;
  return entry;
}

TarEntry contents_of(const std::string& host_path)
{
  TarEntry entry;
  entry.source = TarEntry::Source::contents;
  entry.host_path = host_path;
  entry.member = ".";
  return entry;
}

// Two volumes: v0 gets a directory's contents, v1 only its root's owner; both roots at / too.
std::vector<VolumeUpload> two_volumes(const std::string& host_dir)
{
  return {{"in", "/v0", {{directory("."), contents_of(host_dir)}}}, {"out", "/v1", {{directory(".")}}}};
}

sandbox::plan::Upload roots()
{
  return {{directory("v0"), directory("v1")}};
}

std::vector<std::string> members(const Step& step)
{
  std::vector<std::string> out;
  for (const TarEntry& entry : step.upload->entries) {
    out.push_back(entry.member);
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(volume_steps)

BOOST_AUTO_TEST_CASE(where_a_put_at_the_root_reaches_the_mounts_one_tar_carries_every_volume)
{
  sandbox::test::TempDir dir;
  std::ofstream(dir.path + "/a.txt") << "a";
  sandbox::volume::FillSteps fill = sandbox::volume::fill_steps("{helper.Id}", two_volumes(dir.path), roots(), true);
  BOOST_REQUIRE(fill.uploads.size() == 1u);
  const Step& upload = fill.uploads[0];
  BOOST_TEST(upload.id == "upload");
  BOOST_TEST(sandbox::engine::encode_query(upload.query) == "?path=%2F&noOverwriteDirNonDir=1");
  // Each volume's "." becomes its mount point, which is also its root's owner: no second v0, v1.
  BOOST_TEST((members(upload) == std::vector<std::string>{"v0", "v0", "v1"}), boost::test_tools::per_element());
  BOOST_TEST((upload.upload->entries[1].source == TarEntry::Source::contents));
  BOOST_TEST((upload.overlap == Step::Overlap::none), "the caller decides what goes out with the last upload");
  BOOST_REQUIRE(fill.checks.size() == 1u);
  BOOST_TEST(sandbox::engine::encode_query(fill.checks[0].query) == "?path=%2Fv0%2Fa.txt");
  BOOST_TEST(fill.checks[0].only_if_sent == std::vector<std::string>{"upload"});
}

BOOST_AUTO_TEST_CASE(elsewhere_each_mount_point_gets_its_own_put_and_the_roots_one_at_the_root)
{
  sandbox::test::TempDir dir;
  std::ofstream(dir.path + "/a.txt") << "a";
  sandbox::volume::FillSteps fill = sandbox::volume::fill_steps("{helper.Id}", two_volumes(dir.path), roots(), false);
  BOOST_REQUIRE(fill.uploads.size() == 3u);
  BOOST_TEST(fill.uploads[0].id == "upload");
  BOOST_TEST(fill.uploads[1].id == "upload-1");
  BOOST_TEST(fill.uploads[2].id == "upload-root");
  BOOST_TEST(sandbox::engine::encode_query(fill.uploads[0].query) == "?path=%2Fv0&noOverwriteDirNonDir=1");
  BOOST_TEST(sandbox::engine::encode_query(fill.uploads[1].query) == "?path=%2Fv1&noOverwriteDirNonDir=1");
  BOOST_TEST(sandbox::engine::encode_query(fill.uploads[2].query) == "?path=%2F&noOverwriteDirNonDir=1");
  BOOST_TEST((members(fill.uploads[0]) == std::vector<std::string>{".", "."}), boost::test_tools::per_element());
  BOOST_TEST((members(fill.uploads[2]) == std::vector<std::string>{"v0", "v1"}), boost::test_tools::per_element());
  BOOST_TEST((fill.uploads[0].overlap == Step::Overlap::with_next), "they go out together");
  BOOST_TEST((fill.uploads[1].overlap == Step::Overlap::with_next));
  BOOST_TEST((fill.uploads[2].overlap == Step::Overlap::none));
  BOOST_REQUIRE(fill.checks.size() == 1u);
  BOOST_TEST(fill.checks[0].only_if_sent == std::vector<std::string>{"upload"});
}

BOOST_AUTO_TEST_CASE(a_check_finds_what_was_sent_under_the_name_its_tar_gave_it)
{
  sandbox::test::TempDir dir;
  std::ofstream(dir.path + "/a.txt") << "abc";
  for (bool put_reaches_mounts : {true, false}) {
    sandbox::volume::FillSteps fill = sandbox::volume::fill_steps("{helper.Id}", two_volumes(dir.path), roots(), put_reaches_mounts);
    const Step& check = fill.checks.at(0);
    BOOST_REQUIRE(check.check_recorded);
    sandbox::plan::Results results;
    results.record("upload", sandbox::json::parse(put_reaches_mounts ? R"({"Sent":{"v0/a.txt":{"Type":"file","Size":3}}})"
                                                                     : R"({"Sent":{"a.txt":{"Type":"file","Size":3}}})"));
    check.check_recorded(sandbox::test::reply_of(200, R"({"name":"a.txt","size":3,"mode":420})"), results);
    std::string lost = sandbox::test::message_of<sandbox::Error>([&] { check.check_recorded(sandbox::test::reply_of(404, ""), results); });
    BOOST_TEST(lost == "volume in: the engine accepted the upload, but the volume does not hold a.txt; the data did not reach it");
  }
}

BOOST_AUTO_TEST_CASE(checks_go_out_eight_at_a_time)
{
  sandbox::test::TempDir dir;
  for (int i = 0; i < 20; ++i) {
    std::ofstream(dir.path + "/f" + std::to_string(100 + i)) << i;
  }
  sandbox::volume::FillSteps fill = sandbox::volume::fill_steps("{helper.Id}", two_volumes(dir.path), roots(), true);
  BOOST_REQUIRE(fill.checks.size() == 20u);
  for (std::size_t i = 0; i < fill.checks.size(); ++i) {
    bool waits = (i + 1) % 8 == 0 || i + 1 == fill.checks.size();
    BOOST_TEST((fill.checks[i].overlap == (waits ? Step::Overlap::none : Step::Overlap::with_next)), "check " << i);
  }
}

BOOST_AUTO_TEST_SUITE_END()
