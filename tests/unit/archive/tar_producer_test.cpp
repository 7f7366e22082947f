// The TarProducer of `volume put` and `run --input` (host trees and re-encoded tars, read back
// member by member) with its host scan.

#include "tar_fixtures.h"

BOOST_AUTO_TEST_SUITE(tar_producer)

BOOST_AUTO_TEST_CASE(host_tree_round_trips_with_owner_modes_links_and_content)
{
  Scratch scratch;
  std::string top = make_host_tree(scratch);
  Ownership owner{1234, 5678, std::nullopt};
  TarProducer producer;
  producer.add_directory("data", owner);
  producer.add_host_path(top, "data/top", owner);
  std::vector<Member> members = read_members(produce(producer));

  BOOST_TEST(names_of(members) == "data data/top data/top/a.txt data/top/empty data/top/link data/top/sub data/top/sub/run.sh");
  for (const Member& m : members) {
    BOOST_TEST_CONTEXT(m.name)
    {
      BOOST_TEST(m.uid == 1234);
      BOOST_TEST(m.gid == 5678);
    }
  }
  auto perm = [&](const std::string& name) { return octal(member_named(members, name).perm); };
  BOOST_TEST(member_named(members, "data").type == unsigned(AE_IFDIR));
  BOOST_TEST(perm("data") == "0755");
  BOOST_TEST(member_named(members, "data/top").type == unsigned(AE_IFDIR));
  BOOST_TEST(perm("data/top") == "0755");
  BOOST_TEST(member_named(members, "data/top/a.txt").type == unsigned(AE_IFREG));
  BOOST_TEST(perm("data/top/a.txt") == "0644");
  BOOST_TEST(member_named(members, "data/top/a.txt").content == "hello\n");
  BOOST_TEST(member_named(members, "data/top/a.txt").mtime == k_mtime);
  BOOST_TEST(member_named(members, "data/top/empty").type == unsigned(AE_IFREG));
  BOOST_TEST(perm("data/top/empty") == "0600");
  BOOST_TEST(member_named(members, "data/top/empty").content.empty());
  BOOST_TEST(member_named(members, "data/top/link").type == unsigned(AE_IFLNK));
  BOOST_TEST(member_named(members, "data/top/link").symlink == "a.txt");
  BOOST_TEST(perm("data/top/link") == "0777");
  BOOST_TEST(member_named(members, "data/top/sub").type == unsigned(AE_IFDIR));
  BOOST_TEST(perm("data/top/sub") == "0700");
  BOOST_TEST(member_named(members, "data/top/sub/run.sh").content == "#!/bin/sh\n");
  BOOST_TEST(perm("data/top/sub/run.sh") == "0755"); // setuid on the host, never in the archive
  BOOST_TEST(producer.content_bytes() == 16u);
  BOOST_TEST(producer.changed_files().empty());
}

BOOST_AUTO_TEST_CASE(what_was_sent_is_recorded_for_queued_members_and_those_directly_below_them)
{
  // The checks after an upload look members up here: a tree queued below a mount point's name (one
  // tar at / for every volume: "v0" and "v0/top") must be found under the names the tar gave them.
  Scratch scratch;
  std::string top = make_host_tree(scratch);
  TarProducer producer;
  producer.add_directory("v0", Ownership{});
  producer.add_host_path(top, "v0/top", Ownership{});
  produce(producer);
  const std::map<std::string, TarProducer::SentMember>& sent = producer.sent();
  BOOST_TEST(sent.count("v0") == 1u);
  BOOST_TEST(sent.count("v0/top") == 1u);
  BOOST_TEST(sent.count("v0/top/a.txt") == 1u, "directly below a queued member");
  BOOST_TEST((sent.at("v0/top/a.txt").type == sandbox::archive::MemberType::file));
  BOOST_TEST(sent.at("v0/top/a.txt").size == 6);
  BOOST_TEST((sent.at("v0/top/sub").type == sandbox::archive::MemberType::directory));
  BOOST_TEST(sent.count("v0/top/sub/run.sh") == 0u, "deeper members are not recorded");
}

BOOST_AUTO_TEST_CASE(forced_mode_gives_files_0640_and_directories_0750)
{
  Scratch scratch;
  std::string top = make_host_tree(scratch);
  Ownership owner{1000, 1000, 0640u};
  TarProducer producer;
  producer.add_directory("data", owner);
  producer.add_host_path(top, "data/top", owner);
  std::vector<Member> members = read_members(produce(producer));
  BOOST_TEST_REQUIRE(members.size() == 7u);
  for (const Member& m : members) {
    BOOST_TEST_CONTEXT(m.name)
    {
      std::string expected = m.type == AE_IFDIR ? "0750" : m.type == AE_IFLNK ? "0777" : "0640";
      BOOST_TEST(octal(m.perm) == expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(single_host_file_is_one_member)
{
  Scratch scratch;
  std::string top = make_host_tree(scratch);
  TarProducer producer;
  producer.add_host_path(top + "/a.txt", "data/renamed.txt", Ownership{});
  std::vector<Member> members = read_members(produce(producer));
  BOOST_TEST(names_of(members) == "data/renamed.txt");
  BOOST_TEST(members.at(0).uid == 65534);
  BOOST_TEST(members.at(0).gid == 65534);
  BOOST_TEST(members.at(0).content == "hello\n");
}

BOOST_AUTO_TEST_CASE(produced_archive_extracts_to_the_same_tree)
{
  Scratch scratch;
  std::string top = scratch.path("host/top");
  make_directory(scratch.path("host"));
  make_directory(top, 0755);
  write_file(top + "/a.txt", "hello\n", 0644);
  write_file(top + "/empty", "", 0600);
  write_file(top + "/blob", binary_content(600 * 1024), 0750);
  make_symlink("a.txt", top + "/link");
  make_symlink("../top/sub/deep", top + "/sub-link");
  make_directory(top + "/sub", 0700);
  make_directory(top + "/sub/deep", 0755);
  write_file(top + "/sub/deep/z", "zzz", 0444);
  Ownership owner{static_cast<long>(::getuid()), static_cast<long>(::getgid()), std::nullopt};
  TarProducer producer;
  producer.add_directory("data", owner);
  producer.add_host_path(top, "data/top", owner);
  std::string bytes = produce(producer);
  ExtractResult result = extract_safely(reader_of(bytes), options_for(scratch.dest()));
  BOOST_TEST(snapshot(scratch.dest() + "/top") == snapshot(top));
  BOOST_TEST(result.bytes == 6u + 600u * 1024u + 3u);
  BOOST_TEST(result.links == 2u);
}

BOOST_AUTO_TEST_CASE(add_tar_re_encodes_members_below_the_prefix)
{
  Scratch scratch;
  TarBuilder input;
  input.directory("./")
    .file("./a", "A", 04755)
    .directory("b/", 0700)
    .hardlink("b/h", "./a")
    .symlink("b/l", "../a")
    .symlink("b/abs", "/usr/bin/env"); // a link inside the volume, resolved inside the sandbox
  int fd = open_bytes(scratch, input.bytes());
  TarProducer producer;
  producer.add_directory("data", Ownership{1, 2, std::nullopt});
  producer.add_tar(fd, "data", Ownership{1234, 5678, std::nullopt});
  std::vector<Member> members = read_members(produce(producer));
  ::close(fd);
  BOOST_TEST(names_of(members) == "data data/a data/b data/b/h data/b/l data/b/abs");
  BOOST_TEST(member_named(members, "data").uid == 1);
  BOOST_TEST(member_named(members, "data/a").uid == 1234);
  BOOST_TEST(member_named(members, "data/a").gid == 5678);
  BOOST_TEST(member_named(members, "data/a").content == "A");
  BOOST_TEST(octal(member_named(members, "data/a").perm) == "0755");
  BOOST_TEST(octal(member_named(members, "data/b").perm) == "0700");
  BOOST_TEST(member_named(members, "data/b/h").hardlink == "data/a");
  BOOST_TEST(member_named(members, "data/b/l").symlink == "../a");
  BOOST_TEST(member_named(members, "data/b/abs").symlink == "/usr/bin/env");
  BOOST_TEST(producer.content_bytes() == 1u);
}

BOOST_AUTO_TEST_CASE(add_tar_forces_the_mode)
{
  Scratch scratch;
  TarBuilder input;
  input.directory("d/", 0700).file("d/f", "F", 0600).symlink("d/l", "f");
  int fd = open_bytes(scratch, input.bytes());
  TarProducer producer;
  producer.add_tar(fd, "data", Ownership{1, 1, 0640u});
  std::vector<Member> members = read_members(produce(producer));
  ::close(fd);
  BOOST_TEST(octal(member_named(members, "data/d").perm) == "0750");
  BOOST_TEST(octal(member_named(members, "data/d/f").perm) == "0640");
  BOOST_TEST(octal(member_named(members, "data/d/l").perm) == "0777");
}

BOOST_AUTO_TEST_CASE(add_tar_refuses_a_parent_directory_member)
{
  TarBuilder tar;
  tar.file("ok", "fine").file("../x", "x");
  std::string message = add_tar_error(tar.bytes());
  BOOST_TEST(message == "refusing tar member \"../x\": name contains \"..\"");
}

BOOST_AUTO_TEST_CASE(add_tar_refuses_absolute_and_control_character_members)
{
  TarBuilder absolute;
  absolute.file("/etc/passwd", "x");
  BOOST_TEST(add_tar_error(absolute.bytes()) == "refusing tar member \"/etc/passwd\": name is absolute");
  TarBuilder control;
  control.file("a\nb", "x");
  BOOST_TEST(add_tar_error(control.bytes()) == "refusing tar member \"a\\nb\": name contains a control character");
}

BOOST_AUTO_TEST_CASE(add_tar_refuses_devices_and_fifos)
{
  TarBuilder device;
  device.char_device("null");
  BOOST_TEST(add_tar_error(device.bytes()) == "refusing tar member \"null\": it is a device, FIFO or socket");
  TarBuilder fifo;
  fifo.fifo("pipe");
  BOOST_TEST(add_tar_error(fifo.bytes()) == "refusing tar member \"pipe\": it is a device, FIFO or socket");
}

BOOST_AUTO_TEST_CASE(add_tar_refuses_hard_links_to_anything_not_earlier)
{
  TarBuilder later;
  later.hardlink("h", "later").file("later", "x");
  BOOST_TEST(add_tar_error(later.bytes())
             == "refusing tar member \"h\": it is a hard link to something not earlier in the archive");
  TarBuilder absolute;
  absolute.hardlink("h", "/etc/passwd");
  BOOST_TEST(add_tar_error(absolute.bytes())
             == "refusing tar member \"h\": it is a hard link to something not earlier in the archive");
  TarBuilder climbing;
  climbing.file("a", "a").hardlink("h", "../a");
  BOOST_TEST(add_tar_error(climbing.bytes())
             == "refusing tar member \"h\": it is a hard link to something not earlier in the archive");
}

BOOST_AUTO_TEST_CASE(scan_counts_files_directories_and_bytes)
{
  Scratch scratch;
  std::string top = scratch.path("top");
  make_directory(top);
  write_file(top + "/a", "12345");
  write_file(top + "/b", "");
  make_directory(top + "/sub");
  write_file(top + "/sub/c", "abc");
  make_symlink("a", top + "/l");
  sandbox::archive::TreeTotals totals = sandbox::archive::scan_host_path(top);
  BOOST_TEST(totals.directories == 2u);
  BOOST_TEST(totals.files == 4u); // the symbolic link counts as a file
  BOOST_TEST(totals.bytes == 8u);
  sandbox::archive::TreeTotals single = sandbox::archive::scan_host_path(top + "/a");
  BOOST_TEST(single.files == 1u);
  BOOST_TEST(single.directories == 0u);
  BOOST_TEST(single.bytes == 5u);
}

BOOST_AUTO_TEST_CASE(scan_refuses_a_fifo)
{
  Scratch scratch;
  std::string top = scratch.path("top");
  make_directory(top);
  write_file(top + "/a", "a");
  BOOST_TEST_REQUIRE(::mkfifo((top + "/pipe").c_str(), 0644) == 0);
  std::string message = message_of<sandbox::Error>([&] { sandbox::archive::scan_host_path(top); });
  BOOST_TEST(message == "cannot put " + top + "/pipe: it is a device, FIFO or socket");
  // The producer refuses it as well, without opening it (which would block).
  std::string produced = message_of<sandbox::Error>([&] {
    TarProducer producer;
    producer.add_host_path(top, "data", Ownership{});
    produce(producer);
  });
  BOOST_TEST(produced == "cannot put " + top + "/pipe: it is a device, FIFO or socket");
}

BOOST_AUTO_TEST_CASE(scan_refuses_control_characters_in_names)
{
  Scratch scratch;
  std::string top = scratch.path("top");
  make_directory(top);
  write_file(top + "/bad\nname", "x");
  std::string message = message_of<sandbox::Error>([&] { sandbox::archive::scan_host_path(top); });
  BOOST_TEST(message == "cannot put " + top + "/bad\\nname: its name contains a control character");
}

BOOST_AUTO_TEST_CASE(scan_refuses_a_missing_path)
{
  Scratch scratch;
  std::string message = message_of<sandbox::Error>([&] { sandbox::archive::scan_host_path(scratch.path("nope")); });
  BOOST_TEST(contains(message, scratch.path("nope")), message);
}

BOOST_AUTO_TEST_CASE(hollow_members_are_empty_directories_whatever_the_host_holds)
{
  Scratch scratch;
  std::string top = make_host_tree(scratch);
  Ownership owner{1000, 1000, std::nullopt};
  TarProducer producer;
  producer.add_host_path(top, "w", owner);
  producer.add_hollow("w/sub", owner);          // a directory with a file
  producer.add_hollow("w/link", owner);         // a symbolic link
  producer.add_hollow("w/missing/deep", owner); // nothing
  std::vector<Member> members = read_members(produce(producer));
  BOOST_TEST(names_of(members) == "w w/a.txt w/empty w/link w/sub w/missing/deep");
  for (const char* name : {"w/sub", "w/link", "w/missing/deep"}) {
    BOOST_TEST_CONTEXT(name)
    {
      BOOST_TEST(member_named(members, name).type == unsigned(AE_IFDIR));
      BOOST_TEST(octal(member_named(members, name).perm) == "0755");
      BOOST_TEST(member_named(members, name).uid == 1000);
    }
  }
}

// Another user renames a directory of the project for a link to elsewhere while the walk is in
// it: what follows is read from the directory that was opened, never through the link.
BOOST_AUTO_TEST_CASE(a_directory_swapped_for_a_link_mid_walk_is_not_followed)
{
  Scratch scratch;
  make_directory(scratch.path("top"));
  make_directory(scratch.path("top/a"));
  write_file(scratch.path("top/a/0big"), std::string(64 * 1024, 'x'));
  write_file(scratch.path("top/a/f"), "inside\n");
  make_directory(scratch.path("elsewhere"));
  write_file(scratch.path("elsewhere/f"), "SECRET\n");
  TarProducer producer;
  producer.add_host_path(scratch.path("top"), "w", Ownership{});
  std::string all;
  std::string chunk;
  BOOST_TEST_REQUIRE(producer.next(chunk)); // in the middle of top/a/0big
  all += chunk;
  BOOST_TEST_REQUIRE(::rename(scratch.path("top/a").c_str(), scratch.path("top/a.old").c_str()) == 0);
  BOOST_TEST_REQUIRE(::symlink(scratch.path("elsewhere").c_str(), scratch.path("top/a").c_str()) == 0);
  while (producer.next(chunk)) {
    all += chunk;
  }
  std::vector<Member> members = read_members(all);
  BOOST_TEST(names_of(members) == "w w/a w/a/0big w/a/f");
  BOOST_TEST(member_named(members, "w/a/f").content == "inside\n");
}

BOOST_AUTO_TEST_CASE(scan_skips_the_paths_it_is_told_to)
{
  Scratch scratch;
  std::string top = make_host_tree(scratch);
  BOOST_TEST_REQUIRE(::mkfifo((top + "/sub/fifo").c_str(), 0600) == 0);
  BOOST_CHECK_THROW(sandbox::archive::scan_host_path(top), sandbox::Error);
  sandbox::archive::TreeTotals totals = sandbox::archive::scan_host_path(top, {top + "/sub"});
  BOOST_TEST(totals.directories == 1u);
}

// A copied workspace: each file keeps its owner, and the tree must still be the directory that
// was checked (someone renaming a parent for a link to elsewhere gets nothing sent).
BOOST_AUTO_TEST_CASE(host_owners_kept_and_a_replaced_root_refused)
{
  Scratch scratch;
  std::string top = make_host_tree(scratch);
  BOOST_TEST_REQUIRE(::lchown((top + "/a.txt").c_str(), 4321, 1234) == 0);
  struct stat st{};
  BOOST_TEST_REQUIRE(::stat(top.c_str(), &st) == 0);
  std::pair<std::uint64_t, std::uint64_t> identity{st.st_dev, st.st_ino};
  TarProducer producer;
  producer.add_host_path(top, "w", Ownership{-1, -1, std::nullopt}, identity);
  producer.add_hollow("w/output", Ownership{-1, -1, std::nullopt});
  std::vector<Member> members = read_members(produce(producer));
  BOOST_TEST(member_named(members, "w/a.txt").uid == 4321);
  BOOST_TEST(member_named(members, "w/a.txt").gid == 1234);
  BOOST_TEST(member_named(members, "w").uid == static_cast<long>(st.st_uid));
  BOOST_TEST(member_named(members, "w/output").uid == 0);

  BOOST_TEST_REQUIRE(::rename(top.c_str(), (top + ".old").c_str()) == 0);
  make_directory(top);
  TarProducer replaced;
  replaced.add_host_path(top, "w", Ownership{-1, -1, std::nullopt}, identity);
  std::string message = message_of<sandbox::Error>([&] { produce(replaced); });
  BOOST_TEST(contains(message, "it is not what was checked"), message);
}

BOOST_AUTO_TEST_SUITE_END()
