// What `volume get VOL <TAB>` offers: the entries directly below the directory read, as each
// engine names them, without the hostile names, within the limits, and as far as a cut-short
// archive goes.

#include "archive/tar_listing.h"

#include "tar_fixtures.h"

using sandbox::archive::ListedEntry;
using sandbox::archive::MemberType;
using sandbox::archive::list_entries;

namespace {

std::string listed(const std::string& tar, const std::string& root = "v0", std::size_t max_entries = 100,
                   std::size_t max_members = 1000)
{
  std::string out;
  for (const ListedEntry& entry : list_entries(reader_of(tar), root, max_entries, max_members)) {
    out += (out.empty() ? "" : " ") + entry.name + (entry.type == MemberType::directory ? "/" : "");
  }
  return out;
}

std::string docker_style()
{
  TarBuilder tar;
  tar.directory("v0/").directory("v0/src/").file("v0/src/a", std::string(300 * 1024, 'a')).symlink("v0/link", "src")
    .file("v0/x", "x\n");
  return tar.bytes();
}

} // namespace

BOOST_AUTO_TEST_SUITE(tar_listing)

BOOST_AUTO_TEST_CASE(entries_below_the_root_in_archive_order)
{
  BOOST_TEST(listed(docker_style()) == "src/ link x");
}

BOOST_AUTO_TEST_CASE(every_engine_naming_lists_the_same)
{
  TarBuilder podman;
  podman.directory("/").directory("/src").file("/src/a", "a").symlink("/link", "src").file("/x", "x\n");
  BOOST_TEST(listed(podman.bytes()) == "src/ link x");
  TarBuilder dot;
  dot.directory("./").directory("./src").file("./src/a", "a").symlink("./link", "src").file("./x", "x\n");
  BOOST_TEST(listed(dot.bytes()) == "src/ link x");
}

BOOST_AUTO_TEST_CASE(names_with_control_characters_or_too_long_are_left_out)
{
  TarBuilder tar;
  tar.directory("v0/").file("v0/ok", "").file("v0/dir/new\nline", "").file("v0/new\nline", "").file("v0/esc\x1b[2J", "").file("v0/" + std::string(256, 'n'), "");
  BOOST_TEST(listed(tar.bytes()) == "ok");
}

BOOST_AUTO_TEST_CASE(members_outside_the_root_are_left_out)
{
  TarBuilder tar;
  tar.directory("v0/").file("v0/../../etc/x", "").file("/etc/passwd", "").file("other/y", "").file("v0/ok", "");
  BOOST_TEST(listed(tar.bytes()) == "ok");
}

BOOST_AUTO_TEST_CASE(limits_stop_the_listing)
{
  BOOST_TEST(listed(docker_style(), "v0", 2) == "src/ link");
  BOOST_TEST(listed(docker_style(), "v0", 100, 3) == "src/"); // v0/, v0/src/, v0/src/a
}

BOOST_AUTO_TEST_CASE(an_archive_cut_short_is_listed_as_far_as_it_goes)
{
  std::string tar = docker_style();
  BOOST_TEST(listed(tar.substr(0, 200 * 1024)) == "src/"); // ends inside v0/src/a
}

BOOST_AUTO_TEST_CASE(what_the_reader_throws_comes_back)
{
  auto failing = [](char*, std::size_t) -> std::size_t { throw sandbox::ConnectionError("gone"); };
  BOOST_TEST(message_of<sandbox::ConnectionError>([&] { list_entries(failing, "v0", 10, 10); }) == "gone");
}

BOOST_AUTO_TEST_SUITE_END()
