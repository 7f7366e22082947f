// The tar of `volume get VOL -`: the same copy named the Docker way (v0/...), the Podman 4.3 way
// (/, /src/a) and the ./ way must come out as the same archive, named as Docker names it; a
// hostile name is refused in one message; what the ends throw comes back out.

#include "archive/tar_renamer.h"

#include "tar_fixtures.h"

using sandbox::archive::copy_renamed;

namespace {

std::string renamed(const std::string& tar, const std::string& root = "v0")
{
  std::string out;
  copy_renamed(reader_of(tar), [&](const char* data, std::size_t size) { out.append(data, size); }, root);
  return out;
}

// The member names exactly as stored (a directory's trailing "/" included), as `tar -t` lists them.
std::string raw_names(const std::string& bytes)
{
  struct archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  archive_read_open_memory(reader, bytes.data(), bytes.size());
  std::string out;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    out += (out.empty() ? "" : " ") + std::string(archive_entry_pathname(entry));
  }
  archive_read_free(reader);
  return out;
}

// Everything read_members keeps of a member, on one line.
std::string described(const std::vector<Member>& members)
{
  std::string out;
  for (const Member& m : members) {
    out += m.name + " type=" + std::to_string(m.type) + " perm=" + octal(m.perm) + " owner=" + std::to_string(m.uid) + ":"
           + std::to_string(m.gid) + " mtime=" + std::to_string(m.mtime) + " symlink=" + m.symlink + " hardlink=" + m.hardlink
           + " size=" + std::to_string(m.content.size()) + "\n";
  }
  return out;
}

const std::string k_blob = binary_content(300 * 1024 + 7); // more than one read block

std::string docker_style()
{
  TarBuilder tar;
  tar.directory("v0/", 0755)
    .directory("v0/src/", 0700)
    .file("v0/src/a", k_blob, 0640)
    .symlink("v0/src/link", "a")
    .symlink("v0/abs", "/etc/passwd")
    .hardlink("v0/src/hard", "v0/src/a")
    .file("v0/x", "x\n", 0755);
  return tar.bytes();
}

std::string podman_style()
{
  TarBuilder tar;
  tar.directory("/", 0755)
    .directory("/src", 0700)
    .file("/src/a", k_blob, 0640)
    .symlink("/src/link", "a")
    .symlink("/abs", "/etc/passwd")
    .hardlink("/src/hard", "/src/a")
    .file("/x", "x\n", 0755);
  return tar.bytes();
}

std::string dot_style()
{
  TarBuilder tar;
  tar.directory("./", 0755)
    .directory("./src", 0700)
    .file("./src/a", k_blob, 0640)
    .symlink("src/link", "a")
    .symlink("./abs", "/etc/passwd")
    .hardlink("./src/hard", "./src/a")
    .file("./x", "x\n", 0755);
  return tar.bytes();
}

const std::string k_names = "v0/ v0/src/ v0/src/a v0/src/link v0/abs v0/src/hard v0/x";

} // namespace

BOOST_AUTO_TEST_SUITE(tar_renamer)

BOOST_AUTO_TEST_CASE(docker_names_are_kept)
{
  std::string out = renamed(docker_style());
  BOOST_TEST(raw_names(out) == k_names);
  BOOST_TEST(described(read_members(out)) == described(read_members(docker_style())));
}

BOOST_AUTO_TEST_CASE(podman_and_dot_names_become_docker_names)
{
  std::string docker = described(read_members(renamed(docker_style())));
  for (const std::string& tar : {podman_style(), dot_style()}) {
    std::string out = renamed(tar);
    BOOST_TEST(raw_names(out) == k_names);
    BOOST_TEST(described(read_members(out)) == docker);
    BOOST_TEST((member_named(read_members(out), "v0/src/a").content == k_blob));
    BOOST_TEST(member_named(read_members(out), "v0/x").content == "x\n");
  }
}

BOOST_AUTO_TEST_CASE(one_file_keeps_its_name)
{
  TarBuilder tar;
  tar.file("x", "one\n");
  std::string out = renamed(tar.bytes(), "x");
  BOOST_TEST(raw_names(out) == "x");
  BOOST_TEST(member_named(read_members(out), "x").content == "one\n");
}

BOOST_AUTO_TEST_CASE(hostile_names_are_refused_in_one_message)
{
  struct Case
  {
    std::string member;
    std::string rule;
    std::string tar;
  };
  std::vector<Case> cases;
  {
    TarBuilder tar;
    tar.directory("v0/").file("v0/../escape", "x");
    cases.push_back({"v0/../escape", "contains \"..\"", tar.bytes()});
  }
  {
    TarBuilder tar;
    tar.directory("/").file("/../escape", "x");
    cases.push_back({"/../escape", "contains \"..\"", tar.bytes()});
  }
  {
    TarBuilder tar;
    tar.directory("/").file("//etc/passwd", "x");
    cases.push_back({"//etc/passwd", "not a plain path below the root", tar.bytes()});
  }
  {
    TarBuilder tar;
    tar.directory("v0/").file("other/x", "x");
    cases.push_back({"other/x", "not below v0", tar.bytes()});
  }
  {
    TarBuilder tar;
    tar.directory("v0/").file("/etc/passwd", "x");
    cases.push_back({"/etc/passwd", "absolute", tar.bytes()});
  }
  {
    TarBuilder tar;
    tar.directory("v0/").hardlink("v0/h", "v0/../../etc/passwd");
    cases.push_back({"v0/h", "the target of its hard link: name contains \"..\"", tar.bytes()});
  }
  {
    TarBuilder tar;
    tar.directory("v0/").file("v0/a\nb", "x");
    cases.push_back({"", "control character", tar.bytes()});
  }
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("member " << c.member)
    {
      std::string message = message_of<sandbox::Error>([&] { renamed(c.tar); });
      BOOST_TEST(contains(message, "refusing archive member \"" + c.member));
      BOOST_TEST(contains(message, c.rule), message);
      BOOST_TEST(message.find('\n') == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(garbage_is_refused_in_one_message)
{
  std::string message = message_of<sandbox::Error>([&] { renamed(std::string(4096, 'z')); });
  BOOST_TEST(contains(message, "cannot read the archive from the engine"), message);
  BOOST_TEST(message.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(what_the_ends_throw_comes_back_out)
{
  std::string tar = podman_style();
  ArchiveReadFn cut = [&, served = std::size_t{0}](char* buffer, std::size_t size) mutable -> std::size_t {
    if (served > 8192) {
      throw sandbox::Cancelled();
    }
    std::size_t n = std::min<std::size_t>(size, 4096);
    std::memcpy(buffer, tar.data() + served, n);
    served += n;
    return n;
  };
  BOOST_CHECK_THROW(copy_renamed(cut, [](const char*, std::size_t) {}, "v0"), sandbox::Cancelled);
  int writes = 0;
  auto closed = [&](const char*, std::size_t) {
    ++writes;
    throw sandbox::Error("cannot write the archive: Broken pipe");
  };
  std::string message = message_of<sandbox::Error>([&] { copy_renamed(reader_of(tar), closed, "v0"); });
  BOOST_TEST(message == "cannot write the archive: Broken pipe");
  BOOST_TEST(writes == 1);
}

BOOST_AUTO_TEST_SUITE_END()
