// The safe extractor of `volume get` and `run --collect`: crafted archives built in memory with
// libarchive plant every kind of hostile member; each refusal must name the member and the rule,
// write nothing outside the destination and leave the destination as it was; and the on-disk
// link walk.

#include "tar_fixtures.h"

BOOST_AUTO_TEST_SUITE(safe_extractor)

// ---- what is extracted -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(valid_tree_is_extracted_byte_identically)
{
  Scratch scratch;
  std::string blob = binary_content(300 * 1024 + 7); // more than one read block
  TarBuilder tar;
  tar.directory("data/", 0755)
    .file("data/a.txt", "hello\n", 0644)
    .file("data/empty", "", 0600)
    .directory("data/sub/", 0750)
    .directory("data/sub/deep/", 0700)
    .file("data/sub/deep/blob.bin", blob, 0755)
    .symlink("data/sub/link", "../a.txt")
    .hardlink("data/hard", "data/a.txt");
  ExtractResult result = extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));

  std::string dest = scratch.dest();
  BOOST_TEST(sandbox::directory_entries(dest) == (std::vector<std::string>{"a.txt", "empty", "hard", "sub"}),
             boost::test_tools::per_element());
  BOOST_TEST(sandbox::directory_entries(dest + "/sub") == (std::vector<std::string>{"deep", "link"}), boost::test_tools::per_element());
  BOOST_TEST(sandbox::directory_entries(dest + "/sub/deep") == (std::vector<std::string>{"blob.bin"}),
             boost::test_tools::per_element());
  BOOST_TEST(read_file(dest + "/a.txt") == "hello\n");
  BOOST_TEST(read_file(dest + "/empty").empty());
  BOOST_TEST((read_file(dest + "/sub/deep/blob.bin") == blob));
  BOOST_TEST(read_link(dest + "/sub/link") == "../a.txt");
  BOOST_TEST(read_file(dest + "/sub/link") == "hello\n");
  struct stat a = lstat_of(dest + "/a.txt");
  struct stat hard = lstat_of(dest + "/hard");
  BOOST_TEST(a.st_ino == hard.st_ino);
  BOOST_TEST(a.st_nlink == 2u);
  BOOST_TEST(octal(mode_of(dest + "/a.txt")) == "0644");
  BOOST_TEST(octal(mode_of(dest + "/empty")) == "0600");
  BOOST_TEST(octal(mode_of(dest + "/sub")) == "0750");
  BOOST_TEST(octal(mode_of(dest + "/sub/deep")) == "0700");
  BOOST_TEST(octal(mode_of(dest + "/sub/deep/blob.bin")) == "0755");
  BOOST_TEST(a.st_mtime == k_mtime);
  BOOST_TEST(lstat_of(dest + "/sub").st_mtime == k_mtime); // directory times are applied at the end

  BOOST_TEST(result.files == 3u);
  BOOST_TEST(result.directories == 3u); // the root, sub, sub/deep
  BOOST_TEST(result.links == 2u);
  BOOST_TEST(result.bytes == 6u + blob.size());
  BOOST_TEST(sandbox::directory_entries(scratch.sentinel()).empty());
}

BOOST_AUTO_TEST_CASE(tiny_reads_give_the_same_tree)
{
  TarBuilder tar;
  tar.directory("data/").file("data/a", binary_content(5000)).symlink("data/l", "a").file("data/b", "bee");
  std::string bytes = tar.bytes();
  Scratch whole;
  Scratch tiny;
  extract_safely(reader_of(bytes), options_for(whole.dest()));
  extract_safely(reader_of(bytes, 7), options_for(tiny.dest()));
  BOOST_TEST(snapshot(tiny.dest()) == snapshot(whole.dest()));
  BOOST_TEST(contains(snapshot(tiny.dest()), "l -> a\n"));
}

BOOST_AUTO_TEST_CASE(names_are_normalised_and_the_root_entry_is_optional)
{
  Scratch scratch;
  TarBuilder tar;
  tar.file("./data//a", "A").directory("data/./sub").file("data/sub/b", "B");
  ExtractResult result = extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
  BOOST_TEST(read_file(scratch.dest() + "/a") == "A");
  BOOST_TEST(read_file(scratch.dest() + "/sub/b") == "B");
  BOOST_TEST(result.files == 2u);
  BOOST_TEST(result.directories == 1u);
}

BOOST_AUTO_TEST_CASE(a_root_named_slash_is_the_destination_itself)
{
  // Podman's GET of a volume's mount point: the root is "/", what is below it "/d", "/d/f".
  Scratch scratch;
  TarBuilder tar;
  tar.directory("/", 0755).directory("/d", 0750).file("/d/f", "F").file("/t", "T");
  ExtractResult result = extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
  BOOST_TEST(read_file(scratch.dest() + "/d/f") == "F");
  BOOST_TEST(read_file(scratch.dest() + "/t") == "T");
  BOOST_TEST(octal(mode_of(scratch.dest() + "/d")) == "0750");
  BOOST_TEST(result.files == 2u);
  BOOST_TEST(result.directories == 2u); // the root and d
  BOOST_TEST(sandbox::directory_entries(scratch.sentinel()).empty());
}

BOOST_AUTO_TEST_CASE(a_root_named_dot_is_the_destination_itself)
{
  Scratch scratch;
  TarBuilder tar;
  tar.directory("./", 0755).file("./a", "A").directory("sub").file("./sub/b", "B");
  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
  BOOST_TEST(read_file(scratch.dest() + "/a") == "A");
  BOOST_TEST(read_file(scratch.dest() + "/sub/b") == "B");
}

BOOST_AUTO_TEST_CASE(below_a_slash_root_only_plain_names_are_accepted)
{
  for (const char* hostile : {"/..", "/../x", "//etc", "/./../x", "/a/../../x", "/a//b", "/./x", "etc", "../x"}) {
    BOOST_TEST_CONTEXT("member " << hostile)
    {
      TarBuilder tar;
      tar.directory("/").file(hostile, "pwned");
      check_refused(tar.bytes(), hostile, "name");
    }
  }
  // Without the "/" root first, a name starting with "/" is absolute as ever.
  for (const char* hostile : {"/..", "//etc", "/./../x", "/etc/passwd"}) {
    BOOST_TEST_CONTEXT("first member " << hostile)
    {
      TarBuilder tar;
      tar.file(hostile, "pwned");
      check_refused(tar.bytes(), hostile, "name is absolute");
    }
  }
  // Below a "./" root, ".." is refused as everywhere.
  TarBuilder dot;
  dot.directory("./").file("./../x", "pwned");
  check_refused(dot.bytes(), "./../x", "\"..\"");
}

BOOST_AUTO_TEST_CASE(extracts_into_an_existing_empty_destination)
{
  Scratch scratch;
  make_directory(scratch.dest(), 0700);
  TarBuilder tar;
  tar.directory("data/", 0755).file("data/a", "A");
  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
  BOOST_TEST(read_file(scratch.dest() + "/a") == "A");
  BOOST_TEST(octal(mode_of(scratch.dest())) == "0700"); // the destination itself is left alone
}

BOOST_AUTO_TEST_CASE(missing_parents_of_the_destination_are_created)
{
  Scratch scratch;
  std::string dest = scratch.path("p/q/dest");
  TarBuilder tar;
  tar.directory("data/").file("data/a", "A");
  extract_safely(reader_of(tar.bytes()), options_for(dest));
  BOOST_TEST(read_file(dest + "/a") == "A");
}

BOOST_AUTO_TEST_CASE(file_root_lands_inside_the_destination)
{
  Scratch scratch;
  TarBuilder tar;
  tar.file("report.json", "{\"ok\": true}\n", 0640);
  ExtractResult result = extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "report.json"));
  BOOST_TEST(sandbox::directory_entries(scratch.dest()) == (std::vector<std::string>{"report.json"}), boost::test_tools::per_element());
  BOOST_TEST(read_file(scratch.dest() + "/report.json") == "{\"ok\": true}\n");
  BOOST_TEST(octal(mode_of(scratch.dest() + "/report.json")) == "0640");
  BOOST_TEST(result.files == 1u);
  BOOST_TEST(result.directories == 0u);
}

BOOST_AUTO_TEST_CASE(file_root_may_join_other_files)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.dest() + "/other.txt", "other");
  TarBuilder tar;
  tar.file("report.json", "{}");
  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "report.json"));
  BOOST_TEST(read_file(scratch.dest() + "/report.json") == "{}");
  BOOST_TEST(read_file(scratch.dest() + "/other.txt") == "other");
}

BOOST_AUTO_TEST_CASE(symlink_root_is_placed_inside_the_destination)
{
  Scratch scratch;
  TarBuilder tar;
  tar.symlink("current", "releases/7");
  ExtractResult result = extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "current"));
  BOOST_TEST(read_link(scratch.dest() + "/current") == "releases/7");
  BOOST_TEST(result.links == 1u);
}

BOOST_AUTO_TEST_CASE(setuid_setgid_and_sticky_bits_are_never_kept)
{
  Scratch scratch;
  TarBuilder tar;
  tar.directory("data/", 01777)
    .file("data/suid", "x", 04755)
    .file("data/sgid", "x", 02755)
    .file("data/both", "x", 06777)
    .directory("data/shared/", 02775)
    .directory("data/tmp/", 01777);
  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
  BOOST_TEST(octal(mode_of(scratch.dest() + "/suid")) == "0755");
  BOOST_TEST(octal(mode_of(scratch.dest() + "/sgid")) == "0755");
  BOOST_TEST(octal(mode_of(scratch.dest() + "/both")) == "0777");
  BOOST_TEST(octal(mode_of(scratch.dest() + "/shared")) == "0775");
  BOOST_TEST(octal(mode_of(scratch.dest() + "/tmp")) == "0777");
}

BOOST_AUTO_TEST_CASE(overwrite_replaces_an_existing_file)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.dest() + "/report.json", "old", 0600);
  TarBuilder tar;
  tar.file("report.json", "new content", 0644);
  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "report.json", true));
  BOOST_TEST(read_file(scratch.dest() + "/report.json") == "new content");
  BOOST_TEST(octal(mode_of(scratch.dest() + "/report.json")) == "0644");
}

BOOST_AUTO_TEST_CASE(overwrite_merges_into_a_non_empty_destination)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.dest() + "/a.txt", "old");
  write_file(scratch.dest() + "/keep.txt", "keep");
  TarBuilder tar;
  tar.directory("data/").file("data/a.txt", "new").directory("data/b/").file("data/b/c", "c");
  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "data", true));
  BOOST_TEST(read_file(scratch.dest() + "/a.txt") == "new");
  BOOST_TEST(read_file(scratch.dest() + "/keep.txt") == "keep");
  BOOST_TEST(read_file(scratch.dest() + "/b/c") == "c");
}

// ---- names -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(parent_directory_names_are_refused)
{
  TarBuilder evil;
  evil.directory("data/").file("data/ok", "fine").file("../evil", "pwned");
  check_refused(evil.bytes(), "../evil", "name contains \"..\"");
  TarBuilder climbing;
  climbing.directory("data/").file("data/ok", "fine").file("data/../../x", "pwned");
  check_refused(climbing.bytes(), "data/../../x", "name contains \"..\"");
  TarBuilder sentinel;
  sentinel.directory("data/").file("data/../sentinel/pwned", "pwned");
  check_refused(sentinel.bytes(), "data/../sentinel/pwned", "name contains \"..\"");
}

BOOST_AUTO_TEST_CASE(absolute_names_are_refused)
{
  TarBuilder tar;
  tar.directory("data/").file("data/ok", "fine").file("/abs", "pwned");
  check_refused(tar.bytes(), "/abs", "name is absolute");
  TarBuilder root;
  root.file("/data/x", "pwned");
  check_refused(root.bytes(), "/data/x", "name is absolute");
}

BOOST_AUTO_TEST_CASE(names_with_control_characters_are_refused)
{
  TarBuilder tar;
  tar.directory("data/").file("data/ok", "fine").file("data/a\nb", "x");
  check_refused(tar.bytes(), "data/a\\nb", "name contains a control character"); // shown escaped
  TarBuilder escape;
  escape.directory("data/").file("data/\x1b[2Jclear", "x");
  check_refused(escape.bytes(), "data/\\x1b[2Jclear", "name contains a control character");
}

BOOST_AUTO_TEST_CASE(members_outside_the_root_are_refused)
{
  TarBuilder tar;
  tar.directory("data/").file("data/ok", "fine").file("other/x", "x");
  check_refused(tar.bytes(), "other/x", "name is not below data");
  TarBuilder prefix;
  prefix.directory("data/").file("database/x", "x"); // a longer name is not the root
  check_refused(prefix.bytes(), "database/x", "name is not below data");
}

BOOST_AUTO_TEST_CASE(a_member_replacing_the_root_directory_is_refused)
{
  TarBuilder tar;
  tar.file("data/a", "a").file("data", "i am a file now");
  check_refused(tar.bytes(), "data", "it replaces the destination directory");
}

// ---- types -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(character_devices_are_refused)
{
  TarBuilder tar;
  tar.directory("data/").file("data/ok", "fine").char_device("data/null");
  check_refused(tar.bytes(), "data/null", "it is a device, FIFO or socket");
}

BOOST_AUTO_TEST_CASE(fifos_are_refused)
{
  TarBuilder tar;
  tar.directory("data/").file("data/ok", "fine").fifo("data/pipe");
  check_refused(tar.bytes(), "data/pipe", "it is a device, FIFO or socket");
  TarBuilder first;
  first.fifo("data"); // even as the root
  check_refused(first.bytes(), "data", "it is a device, FIFO or socket");
}

// ---- symbolic links ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(symlink_to_an_absolute_path_is_refused_before_anything_goes_through_it)
{
  TarBuilder etc;
  etc.directory("data/").symlink("data/link", "/etc").file("data/link/passwd", "root::0:0::/:/bin/sh\n");
  check_refused(etc.bytes(), "data/link", "it is a symbolic link to an absolute path (/etc)");

  Scratch elsewhere; // a real directory we can watch
  TarBuilder sentinel;
  sentinel.directory("data/").symlink("data/link", elsewhere.sentinel()).file("data/link/pwned", "x");
  check_refused(sentinel.bytes(), "data/link", "it is a symbolic link to an absolute path");
  BOOST_TEST(sandbox::directory_entries(elsewhere.sentinel()).empty());
}

BOOST_AUTO_TEST_CASE(symlinks_climbing_out_are_refused)
{
  TarBuilder up;
  up.directory("data/").file("data/ok", "fine").symlink("data/up", "../..");
  check_refused(up.bytes(), "data/up", "it is a symbolic link that points outside the destination (../..)");
  TarBuilder sentinel;
  sentinel.directory("data/").directory("data/sub/").symlink("data/sub/s", "../../sentinel").file("data/sub/s/pwned", "x");
  check_refused(sentinel.bytes(), "data/sub/s", "points outside the destination (../../sentinel)");
  TarBuilder sneaky;
  sneaky.directory("data/").symlink("data/l", "sub/../../sentinel");
  check_refused(sneaky.bytes(), "data/l", "points outside the destination");
}

BOOST_AUTO_TEST_CASE(symlinks_with_bad_targets_are_refused)
{
  TarBuilder control;
  control.directory("data/").symlink("data/l", "a\nb");
  check_refused(control.bytes(), "data/l", "target contains a control character");
}

BOOST_AUTO_TEST_CASE(symlink_chain_that_escapes_is_refused)
{
  // Each link is inside when read on its own; together "e" is the parent of the destination.
  TarBuilder tar;
  tar.directory("data/").directory("data/sub/").symlink("data/sub/x", "..").symlink("data/e", "sub/x/..").file("data/ok", "fine");
  check_refused(tar.bytes(), "data/e", "leads outside the destination through other links");
}

BOOST_AUTO_TEST_CASE(a_refusal_by_a_non_root_user_undoes_a_locked_directory)
{
  // A mode 000 directory, then a refusal found only by the final link walk: the user who ran the
  // extraction (not root, who ignores modes) must still be able to remove everything it made.
  TarBuilder tar;
  tar.directory("data/").directory("data/locked/", 0).file("data/locked/inside", "x").directory("data/sub/")
    .symlink("data/sub/x", "..")
    .symlink("data/e", "sub/x/..");
  Scratch scratch;
  std::string before = snapshot(scratch.base());
  BOOST_REQUIRE(::chown(scratch.base().c_str(), 65534, 65534) == 0);
  pid_t child = ::fork();
  if (child == 0) {
    bool undone = false;
    if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
      try {
        extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
      } catch (const sandbox::Error&) {
        undone = !exists(scratch.dest());
      }
    }
    ::_exit(undone ? 0 : 1);
  }
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0), "the refused extraction left the destination behind");
  BOOST_REQUIRE(::chown(scratch.base().c_str(), 0, 0) == 0);
  BOOST_TEST(snapshot(scratch.base()) == before);
}

BOOST_AUTO_TEST_CASE(caps_on_bytes_and_members_refuse_and_undo)
{
  TarBuilder tar;
  tar.directory("data/").file("data/a", std::string(1000, 'a')).file("data/b", std::string(1000, 'b')).file("data/c", "c");
  for (bool bytes : {true, false}) {
    Scratch scratch;
    std::string before = snapshot(scratch.base());
    ExtractOptions options = options_for(scratch.dest());
    (bytes ? options.max_bytes : options.max_members) = bytes ? 1500 : 3;
    std::string message = message_of<sandbox::Error>([&] { extract_safely(reader_of(tar.bytes()), options); });
    BOOST_TEST(contains(message, bytes ? "more than 1.5 KiB (--max-bytes)" : "more than 3 files, directories and links"), message);
    BOOST_TEST(contains(message, bytes ? "\"data/b\"" : "\"data/c\""), message);
    BOOST_TEST(snapshot(scratch.base()) == before);
  }
  Scratch fits;
  ExtractOptions options = options_for(fits.dest());
  options.max_bytes = 2001;
  options.max_members = 4;
  BOOST_TEST(extract_safely(reader_of(tar.bytes()), options).bytes == 2001u);
}

BOOST_AUTO_TEST_CASE(runs_of_zeros_are_written_as_holes)
{
  TarBuilder tar;
  tar.directory("data/").file("data/zeros", std::string(8 << 20, '\0'));
  Scratch scratch;
  extract_safely(reader_of(tar.bytes(), 65536), options_for(scratch.dest()));
  struct stat st = lstat_of(scratch.dest() + "/zeros");
  BOOST_TEST(st.st_size == 8 << 20);
  BOOST_TEST(st.st_blocks * 512 < (1 << 20), "8 MiB of zeros take " << st.st_blocks * 512 << " bytes on disk");
}

BOOST_AUTO_TEST_CASE(holes_between_and_after_data_keep_every_byte_in_place)
{
  // Data, a hole, data that ends mid-piece and zeros that end mid-piece, then a trailing hole:
  // whatever the reads' sizes, the file reads back byte for byte.
  std::string content = std::string(70000, 'a') + std::string(3 << 20, '\0') + std::string(100, 'b') + std::string(5000, '\0')
                        + std::string(1, 'c') + std::string(1 << 20, '\0');
  for (std::size_t read_size : {std::size_t(512), std::size_t(65536), std::size_t(1 << 20)}) {
    TarBuilder tar;
    tar.directory("data/").file("data/mixed", content);
    Scratch scratch;
    extract_safely(reader_of(tar.bytes(), read_size), options_for(scratch.dest()));
    BOOST_TEST(sandbox::read_file(scratch.dest() + "/mixed") == content, "read size " << read_size);
    BOOST_TEST(lstat_of(scratch.dest() + "/mixed").st_blocks * 512 < (2 << 20), "the holes stay holes");
  }
}

BOOST_AUTO_TEST_CASE(nothing_is_written_through_a_symlink_chain)
{
  // data/e resolves to the scratch directory that holds the sentinel: the file must not land
  // in the sentinel whatever the reason of the refusal.
  TarBuilder tar;
  tar.directory("data/")
    .directory("data/sub/")
    .symlink("data/sub/x", "..")
    .symlink("data/e", "sub/x/..")
    .file("data/e/sentinel/pwned", "pwned");
  check_refused(tar.bytes(), "data/e/sentinel/pwned", "symlink");
}

BOOST_AUTO_TEST_CASE(nothing_is_written_through_a_symlink_even_inside)
{
  TarBuilder tar;
  tar.directory("data/").directory("data/sub/").symlink("data/link", "sub").file("data/link/file", "x");
  check_refused(tar.bytes(), "data/link/file", "symlink");
}

BOOST_AUTO_TEST_CASE(symlinks_that_stay_inside_are_kept)
{
  Scratch scratch;
  TarBuilder tar;
  tar.directory("data/")
    .directory("data/sub/")
    .symlink("data/sub/x", "..")
    .symlink("data/e", "sub/x/sub")
    .symlink("data/dangling", "not/there")
    .symlink("data/self", ".");
  ExtractResult result = extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
  BOOST_TEST(result.links == 4u);
  BOOST_TEST(read_link(scratch.dest() + "/e") == "sub/x/sub");
  BOOST_TEST(read_link(scratch.dest() + "/dangling") == "not/there");
  check_links_stay_inside(scratch.dest());
}

// ---- hard links --------------------------------------------------------------------------

// Regression: the message once named the hard link's target as if it were the member
// ("refusing archive member \"/etc/passwd\": name is absolute"); the member is "data/h".
BOOST_AUTO_TEST_CASE(hard_link_to_an_absolute_path_is_refused_naming_the_member)
{
  TarBuilder tar;
  tar.directory("data/").file("data/ok", "fine").hardlink("data/h", "/etc/passwd");
  check_refused(tar.bytes(), "data/h", "absolute");
}

// Regression: as above, the message must name the member "data/h", not the target.
BOOST_AUTO_TEST_CASE(hard_link_outside_the_root_is_refused_naming_the_member)
{
  TarBuilder tar;
  tar.directory("data/").file("data/ok", "fine").hardlink("data/h", "data/../../etc/passwd");
  check_refused(tar.bytes(), "data/h", "\"..\"");
  TarBuilder other;
  other.directory("data/").file("data/ok", "fine").hardlink("data/h", "other/x");
  check_refused(other.bytes(), "data/h", "not below data");
}

BOOST_AUTO_TEST_CASE(hard_link_to_a_later_member_is_refused)
{
  TarBuilder tar;
  tar.directory("data/").hardlink("data/h", "data/later").file("data/later", "x");
  check_refused(tar.bytes(), "data/h", "it is a hard link to something that is not a file extracted before it");
}

BOOST_AUTO_TEST_CASE(hard_link_to_a_directory_or_a_symlink_member_is_refused)
{
  TarBuilder directory;
  directory.directory("data/").directory("data/sub/").hardlink("data/h", "data/sub");
  check_refused(directory.bytes(), "data/h", "not a file extracted before it");
  TarBuilder symlink;
  symlink.directory("data/").symlink("data/l", "..").hardlink("data/h", "data/l");
  check_refused(symlink.bytes(), "data/l", "points outside the destination");
  TarBuilder inside;
  inside.directory("data/").file("data/f", "f").symlink("data/l", "f").hardlink("data/h", "data/l");
  check_refused(inside.bytes(), "data/h", "not a file extracted before it");
}

// Regression (found by this suite): with overwrite, a file member can be replaced by a symbolic
// link of the same name; the name stays in the set of extracted files, so a later hard link to
// it is accepted, and link(2) then copies the symbolic link (target "..") into another directory
// where it points outside the destination. The final link walk only looks at symlink members,
// so the escaping link "h" is left behind.
BOOST_AUTO_TEST_CASE(hard_link_to_a_file_replaced_by_a_symlink_does_not_escape)
{
  Scratch scratch;
  TarBuilder tar;
  tar.directory("data/")
    .directory("data/a/")
    .file("data/a/f", "plain file")
    .symlink("data/a/f", "..") // inside: data/a/.. is the destination
    .hardlink("data/h", "data/a/f");
  std::string message;
  try {
    extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "data", true));
  } catch (const sandbox::Error& e) {
    message = e.what();
  }
  BOOST_TEST_MESSAGE("extraction " << (message.empty() ? "succeeded" : "failed: " + message));
  if (message.empty()) {
    check_links_stay_inside(scratch.dest());
  } else {
    BOOST_TEST(!exists(scratch.dest()));
  }
  BOOST_TEST(sandbox::directory_entries(scratch.sentinel()).empty());
}

// Regression: the same hole, deeper: "data/a/b/c/f" replaced by a link to
// "../../.." (the destination, seen from a/b/c) and hard-linked at the top as "h", which then
// climbs three levels above the destination.
BOOST_AUTO_TEST_CASE(hard_link_to_a_deep_replaced_symlink_does_not_climb)
{
  Scratch scratch;
  TarBuilder tar;
  tar.directory("data/")
    .directory("data/a/b/c/")
    .file("data/a/b/c/f", "plain file")
    .symlink("data/a/b/c/f", "../../..")
    .hardlink("data/h", "data/a/b/c/f");
  try {
    extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "data", true));
    check_links_stay_inside(scratch.dest());
  } catch (const sandbox::Error& e) {
    BOOST_TEST_MESSAGE("refused: " << e.what());
    BOOST_TEST(!exists(scratch.dest()));
  }
}

// Whatever happens to the link above, nothing may be written through it.
BOOST_AUTO_TEST_CASE(nothing_is_written_through_a_hard_linked_symlink)
{
  TarBuilder tar;
  tar.directory("data/")
    .directory("data/a/")
    .file("data/a/f", "plain file")
    .symlink("data/a/f", "..")
    .hardlink("data/h", "data/a/f")
    .file("data/h/sentinel/pwned", "pwned");
  Scratch scratch;
  std::string before = snapshot(scratch.base());
  std::string message = message_of<sandbox::Error>(
    [&] { extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "data", true)); });
  BOOST_TEST(contains(message, "\"data/h"), message); // the link itself, or the write through it
  BOOST_TEST(sandbox::directory_entries(scratch.sentinel()).empty());
  BOOST_TEST(snapshot(scratch.base()) == before);
}

// ---- existing files ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(duplicate_file_without_overwrite_is_refused)
{
  TarBuilder tar;
  tar.directory("data/").file("data/a", "first").file("data/a", "second");
  for (const std::string& message : check_refused(tar.bytes(), "", "refusing to overwrite ")) {
    BOOST_TEST(contains(message, "/dest/a"), message);
  }
}

BOOST_AUTO_TEST_CASE(existing_file_is_not_replaced_without_overwrite)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.dest() + "/report.json", "old", 0600);
  std::string before = snapshot(scratch.base());
  TarBuilder tar;
  tar.file("report.json", "new");
  sandbox::Error error("none");
  std::string message = message_of<sandbox::Error>([&] {
    try {
      extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "report.json"));
    } catch (const sandbox::Error& e) {
      error = e;
      throw;
    }
  });
  BOOST_TEST(contains(message, "refusing to overwrite " + scratch.dest() + "/report.json"), message);
  BOOST_TEST(error.hint() == "pass --overwrite to replace existing files");
  BOOST_TEST(read_file(scratch.dest() + "/report.json") == "old");
  BOOST_TEST(snapshot(scratch.base()) == before);
}

BOOST_AUTO_TEST_CASE(existing_symlink_is_replaced_not_followed)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.path("outside.txt"), "precious");
  make_symlink("../outside.txt", scratch.dest() + "/report.json");
  TarBuilder tar;
  tar.file("report.json", "new");
  std::string message = message_of<sandbox::Error>(
    [&] { extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "report.json")); });
  BOOST_TEST(contains(message, "refusing to overwrite"), message);
  BOOST_TEST(read_link(scratch.dest() + "/report.json") == "../outside.txt");

  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "report.json", true));
  BOOST_TEST(read_file(scratch.path("outside.txt")) == "precious");
  BOOST_TEST(S_ISREG(lstat_of(scratch.dest() + "/report.json").st_mode));
  BOOST_TEST(read_file(scratch.dest() + "/report.json") == "new");
}

BOOST_AUTO_TEST_CASE(existing_hard_link_is_replaced_not_written_through)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.path("outside.txt"), "precious");
  BOOST_TEST_REQUIRE(::link(scratch.path("outside.txt").c_str(), (scratch.dest() + "/report.json").c_str()) == 0);
  TarBuilder tar;
  tar.file("report.json", "new");
  extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "report.json", true));
  BOOST_TEST(read_file(scratch.path("outside.txt")) == "precious");
  BOOST_TEST(read_file(scratch.dest() + "/report.json") == "new");
}

BOOST_AUTO_TEST_CASE(existing_symlinked_directory_is_not_written_through_with_overwrite)
{
  Scratch scratch;
  make_directory(scratch.dest());
  make_symlink("../sentinel", scratch.dest() + "/sub");
  std::string before = snapshot(scratch.base());
  TarBuilder tar;
  tar.directory("data/").file("data/new.txt", "new").file("data/sub/pwned", "x");
  std::string message = message_of<sandbox::Error>(
    [&] { extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "data", true)); });
  BOOST_TEST(contains(message, "\"data/sub/pwned\""), message);
  BOOST_TEST(sandbox::directory_entries(scratch.sentinel()).empty());
  BOOST_TEST(snapshot(scratch.base()) == before);
}

BOOST_AUTO_TEST_CASE(non_empty_destination_is_refused_without_overwrite)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.dest() + "/keep.txt", "keep");
  std::string before = snapshot(scratch.base());
  TarBuilder tar;
  tar.directory("data/").file("data/a", "a");
  sandbox::Error error("none");
  try {
    extract_safely(reader_of(tar.bytes()), options_for(scratch.dest()));
  } catch (const sandbox::Error& e) {
    error = e;
  }
  BOOST_TEST(std::string(error.what()) == "destination " + scratch.dest() + " is not empty");
  BOOST_TEST(error.hint() == "pass --overwrite to merge into it");
  BOOST_TEST(snapshot(scratch.base()) == before);
}

BOOST_AUTO_TEST_CASE(destination_that_is_a_file_is_refused)
{
  Scratch scratch;
  write_file(scratch.dest(), "i am a file");
  TarBuilder tar;
  tar.directory("data/").file("data/a", "a");
  std::string message = message_of<sandbox::Error>([&] { extract_safely(reader_of(tar.bytes()), options_for(scratch.dest())); });
  BOOST_TEST(message == "destination " + scratch.dest() + " exists and is not a directory");
  BOOST_TEST(read_file(scratch.dest()) == "i am a file");
}

// ---- rollback ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cancellation_mid_archive_removes_everything)
{
  TarBuilder tar;
  tar.directory("data/")
    .file("data/one", binary_content(100000))
    .directory("data/sub/")
    .file("data/sub/two", binary_content(100000))
    .file("data/three", binary_content(100000));
  std::string bytes = tar.bytes();
  for (bool existing : {false, true}) {
    BOOST_TEST_CONTEXT((existing ? "destination exists and is empty" : "destination does not exist"))
    {
      Scratch scratch;
      if (existing) {
        make_directory(scratch.dest());
      }
      std::string before = snapshot(scratch.base());
      std::size_t served = 0;
      bool partial_tree_seen = false;
      ArchiveReadFn read = [&](char* buffer, std::size_t size) -> std::size_t {
        if (served >= bytes.size() * 2 / 3) {
          partial_tree_seen = exists(scratch.dest() + "/one") && exists(scratch.dest() + "/sub/two");
          throw sandbox::Cancelled();
        }
        std::size_t n = std::min<std::size_t>({4096, size, bytes.size() - served});
        std::memcpy(buffer, bytes.data() + served, n);
        served += n;
        return n;
      };
      BOOST_CHECK_THROW(extract_safely(read, options_for(scratch.dest())), sandbox::Cancelled);
      BOOST_TEST(partial_tree_seen); // the cancellation did come in the middle
      BOOST_TEST(snapshot(scratch.base()) == before);
      BOOST_TEST(exists(scratch.dest()) == existing);
    }
  }
}

BOOST_AUTO_TEST_CASE(truncated_archive_is_rolled_back)
{
  TarBuilder tar;
  tar.directory("data/").file("data/one", "1").file("data/big", binary_content(50000));
  std::string bytes = tar.bytes();
  Scratch scratch;
  std::string before = snapshot(scratch.base());
  std::string message = message_of<sandbox::Error>(
    [&] { extract_safely(reader_of(bytes.substr(0, 20000)), options_for(scratch.dest())); });
  BOOST_TEST(contains(message, "cannot read the archive"), message);
  BOOST_TEST(snapshot(scratch.base()) == before);
}

BOOST_AUTO_TEST_CASE(created_parents_of_the_destination_are_removed_on_failure)
{
  Scratch scratch;
  std::string before = snapshot(scratch.base());
  TarBuilder tar;
  tar.directory("data/").file("data/a", "a").file("../evil", "x");
  std::string message = message_of<sandbox::Error>([&] { extract_safely(reader_of(tar.bytes()), options_for(scratch.path("p/q/dest"))); });
  BOOST_TEST(contains(message, "\"../evil\""), message);
  BOOST_TEST(snapshot(scratch.base()) == before);
  BOOST_TEST(!exists(scratch.path("p")));
}

// Regression: merging into a non-empty destination, the rollback once forgot the parent
// directories libarchive creates on its own for "data/x/y/z" (no member names them).
BOOST_AUTO_TEST_CASE(rollback_of_a_merge_removes_only_what_it_created)
{
  Scratch scratch;
  make_directory(scratch.dest());
  write_file(scratch.dest() + "/keep.txt", "keep");
  make_directory(scratch.dest() + "/existing");
  std::string before = snapshot(scratch.base());
  TarBuilder tar;
  tar.directory("data/")
    .file("data/new.txt", "new")
    .directory("data/existing/")
    .file("data/existing/inner", "x")
    .file("data/x/y/z", "deep, no directory members")
    .file("../evil", "x");
  std::string message = message_of<sandbox::Error>(
    [&] { extract_safely(reader_of(tar.bytes()), options_for(scratch.dest(), "data", true)); });
  BOOST_TEST(contains(message, "\"../evil\""), message);
  BOOST_TEST(snapshot(scratch.base()) == before);
  BOOST_TEST(read_file(scratch.dest() + "/keep.txt") == "keep");
}

// ---- the link walk on disk ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(stays_inside_follows_the_links_on_disk)
{
  Scratch scratch;
  std::string root = scratch.path("root");
  make_directory(root);
  make_directory(root + "/sub");
  make_symlink("..", root + "/sub/x");
  make_symlink("sub/x/..", root + "/e");
  make_symlink("sub", root + "/ok");
  make_symlink("/etc", root + "/abs");
  make_symlink(".", root + "/self");
  make_symlink("../sentinel", root + "/sub/out");

  BOOST_TEST(stays_inside(root, ""));
  BOOST_TEST(stays_inside(root, "sub"));
  BOOST_TEST(stays_inside(root, "sub/x"));
  BOOST_TEST(stays_inside(root, "sub/x/sub/x/sub"));
  BOOST_TEST(stays_inside(root, "ok/x"));
  BOOST_TEST(stays_inside(root, "self/self/ok"));
  BOOST_TEST(stays_inside(root, "missing/file"));
  BOOST_TEST(stays_inside(root, "missing/.."));
  BOOST_TEST(stays_inside(root, "sub/out/.."));

  BOOST_TEST(!stays_inside(root, ".."));
  BOOST_TEST(!stays_inside(root, "e"));
  BOOST_TEST(!stays_inside(root, "e/sentinel"));
  BOOST_TEST(!stays_inside(root, "abs"));
  BOOST_TEST(!stays_inside(root, "abs/passwd"));
  BOOST_TEST(!stays_inside(root, "sub/x/.."));
  BOOST_TEST(!stays_inside(root, "missing/../.."));
  BOOST_TEST(!stays_inside(root, "ok/../.."));
}

BOOST_AUTO_TEST_CASE(stays_inside_gives_up_on_link_loops)
{
  Scratch scratch;
  std::string root = scratch.path("root");
  make_directory(root);
  make_symlink("b", root + "/a");
  make_symlink("a", root + "/b");
  make_symlink("c/c", root + "/c");
  BOOST_TEST(!stays_inside(root, "a"));
  BOOST_TEST(!stays_inside(root, "c"));
}

BOOST_AUTO_TEST_SUITE_END()
