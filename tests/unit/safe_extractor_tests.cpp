// The archive I/O of `volume get` and `volume put`: the safe extractor (crafted archives built
// in memory with libarchive plant every kind of hostile member; each refusal must name the member
// and the rule, write nothing outside the destination and leave the destination as it was), the
// on-disk link walk, and the TarProducer (host trees and re-encoded tars, read back member by
// member) with its host scan.

#include "archive/member_rules.h"
#include "archive/safe_extractor.h"
#include "archive/tar_producer.h"
#include "util/error.h"
#include "util/file.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <ftw.h>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using sandbox::archive::ArchiveReadFn;
using sandbox::archive::ExtractOptions;
using sandbox::archive::ExtractResult;
using sandbox::archive::Ownership;
using sandbox::archive::TarProducer;
using sandbox::archive::extract_safely;
using sandbox::archive::stays_inside;
using sandbox::test::message_of;

constexpr std::int64_t k_mtime = 1700000000;

bool contains(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

// ---- files on the host -------------------------------------------------------------------

void fail_system(const std::string& what, const std::string& path)
{
  throw std::runtime_error("test setup: cannot " + what + " " + path + ": " + std::strerror(errno));
}

void make_directory(const std::string& path, unsigned mode = 0755)
{
  if (::mkdir(path.c_str(), 0700) != 0 || ::chmod(path.c_str(), mode) != 0) {
    fail_system("create directory", path);
  }
}

void write_file(const std::string& path, const std::string& content, unsigned mode = 0644)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    fail_system("create", path);
  }
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      fail_system("write", path);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::chmod(path.c_str(), mode) != 0) {
    fail_system("chmod", path);
  }
}

void make_symlink(const std::string& target, const std::string& path)
{
  if (::symlink(target.c_str(), path.c_str()) != 0) {
    fail_system("create symlink", path);
  }
}

void set_mtime(const std::string& path, std::int64_t seconds)
{
  struct timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    fail_system("set the time of", path);
  }
}

bool exists(const std::string& path)
{
  struct stat st{};
  return ::lstat(path.c_str(), &st) == 0;
}

struct stat lstat_of(const std::string& path)
{
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    fail_system("stat", path);
  }
  return st;
}

unsigned mode_of(const std::string& path)
{
  return lstat_of(path).st_mode & 07777;
}

std::string read_file(const std::string& path)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail_system("open", path);
  }
  std::string out;
  char buffer[65536];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string read_link(const std::string& path)
{
  char buffer[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
  if (n < 0) {
    fail_system("read link", path);
  }
  return std::string(buffer, static_cast<std::size_t>(n));
}

std::string octal(unsigned value)
{
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04o", value);
  return buffer;
}

// Everything below `root`, one line per entry: type, permission bits, content or link target.
// Two snapshots are equal when nothing was added, removed or changed.
void describe(const std::string& root, const std::string& relative, std::string& out)
{
  std::string directory = relative.empty() ? root : root + "/" + relative;
  for (const std::string& name : sandbox::directory_entries(directory)) {
    std::string path = relative.empty() ? name : relative + "/" + name;
    std::string full = root + "/" + path;
    struct stat st = lstat_of(full);
    if (S_ISDIR(st.st_mode)) {
      out += path + "/ " + octal(st.st_mode & 07777) + "\n";
      describe(root, path, out);
    } else if (S_ISLNK(st.st_mode)) {
      out += path + " -> " + read_link(full) + "\n";
    } else if (S_ISREG(st.st_mode)) {
      std::string content = read_file(full);
      std::uint64_t hash = 1469598103934665603ull; // FNV-1a, so that big files stay one line
      for (char c : content) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
      }
      out += path + " " + octal(st.st_mode & 07777) + " " + std::to_string(content.size()) + " bytes #"
             + std::to_string(hash) + "\n";
    } else {
      out += path + " (special)\n";
    }
  }
}

std::string snapshot(const std::string& root)
{
  std::string out;
  describe(root, "", out);
  return out;
}

int make_searchable(const char* path, const struct stat* st, int type, struct FTW*)
{
  if (type == FTW_D || type == FTW_DNR) {
    ::chmod(path, (st->st_mode & 0777) | 0700);
  }
  return 0;
}

int remove_entry(const char* path, const struct stat*, int, struct FTW*)
{
  ::remove(path);
  return 0;
}

// A fresh directory under /tmp, removed with everything in it at the end of the test:
//   <base>/sentinel   an empty directory next to the destination; it must stay empty
//   <base>/dest       the destination (not created here)
class Scratch
{
public:
  Scratch()
  {
    char pattern[] = "/tmp/sandbox-archive-test-XXXXXX";
    if (!::mkdtemp(pattern)) {
      fail_system("create", pattern);
    }
    m_base = pattern;
    make_directory(sentinel());
  }
  ~Scratch()
  {
    ::nftw(m_base.c_str(), make_searchable, 16, FTW_PHYS);
    ::nftw(m_base.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  const std::string& base() const { return m_base; }
  std::string sentinel() const { return m_base + "/sentinel"; }
  std::string dest() const { return m_base + "/dest"; }
  std::string path(const std::string& relative) const { return m_base + "/" + relative; }

private:
  std::string m_base;
};

// ---- crafted archives --------------------------------------------------------------------

// A pax archive built in memory, member by member, with no check on what the members are.
class TarBuilder
{
public:
  TarBuilder()
  {
    m_writer = archive_write_new();
    archive_write_set_format_pax(m_writer);
    archive_write_add_filter_none(m_writer);
    if (archive_write_open(m_writer, this, nullptr, &TarBuilder::on_write, nullptr) != ARCHIVE_OK) {
      throw std::runtime_error(std::string("test setup: ") + archive_error_string(m_writer));
    }
  }
  ~TarBuilder() { archive_write_free(m_writer); }
  TarBuilder(const TarBuilder&) = delete;
  TarBuilder& operator=(const TarBuilder&) = delete;

  TarBuilder& file(const std::string& name, const std::string& content, unsigned mode = 0644)
  {
    add(name, AE_IFREG, mode, content, "", "");
    return *this;
  }
  TarBuilder& directory(const std::string& name, unsigned mode = 0755)
  {
    add(name, AE_IFDIR, mode, "", "", "");
    return *this;
  }
  TarBuilder& symlink(const std::string& name, const std::string& target)
  {
    add(name, AE_IFLNK, 0777, "", target, "");
    return *this;
  }
  TarBuilder& hardlink(const std::string& name, const std::string& target)
  {
    add(name, AE_IFREG, 0644, "", "", target);
    return *this;
  }
  TarBuilder& char_device(const std::string& name)
  {
    add(name, AE_IFCHR, 0666, "", "", "");
    return *this;
  }
  TarBuilder& fifo(const std::string& name)
  {
    add(name, AE_IFIFO, 0644, "", "", "");
    return *this;
  }

  // The complete archive; nothing may be added afterwards.
  std::string bytes()
  {
    if (!m_closed) {
      m_closed = true;
      archive_write_close(m_writer);
    }
    return m_out;
  }

private:
  static la_ssize_t on_write(struct archive*, void* self, const void* buffer, std::size_t size)
  {
    static_cast<TarBuilder*>(self)->m_out.append(static_cast<const char*>(buffer), size);
    return static_cast<la_ssize_t>(size);
  }

  void add(const std::string& name, unsigned type, unsigned mode, const std::string& content,
           const std::string& symlink_target, const std::string& hardlink_target)
  {
    archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, type);
    archive_entry_set_perm(entry, mode);
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_entry_set_mtime(entry, k_mtime, 0);
    archive_entry_set_uid(entry, 4321);
    archive_entry_set_gid(entry, 8765);
    if (type == AE_IFCHR) {
      archive_entry_set_rdevmajor(entry, 1);
      archive_entry_set_rdevminor(entry, 3);
    }
    if (!symlink_target.empty()) {
      archive_entry_copy_symlink(entry, symlink_target.c_str());
    }
    if (!hardlink_target.empty()) {
      archive_entry_copy_hardlink(entry, hardlink_target.c_str());
    }
    int status = archive_write_header(m_writer, entry);
    archive_entry_free(entry);
    if (status != ARCHIVE_OK) {
      throw std::runtime_error("test setup: cannot add " + name + ": " + archive_error_string(m_writer));
    }
    if (!content.empty()
        && archive_write_data(m_writer, content.data(), content.size()) != static_cast<la_ssize_t>(content.size())) {
      throw std::runtime_error("test setup: cannot write " + name + ": " + archive_error_string(m_writer));
    }
    archive_write_finish_entry(m_writer);
  }

  struct archive* m_writer = nullptr;
  std::string m_out;
  bool m_closed = false;
};

// Serves `bytes` at most `chunk` bytes per call, the way the engine connection does.
ArchiveReadFn reader_of(const std::string& bytes, std::size_t chunk = 4096)
{
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(bytes, 0);
  return [state, chunk](char* buffer, std::size_t size) {
    std::size_t n = std::min({chunk, size, state->first.size() - state->second});
    std::memcpy(buffer, state->first.data() + state->second, n);
    state->second += n;
    return n;
  };
}

ExtractOptions options_for(const std::string& destination, const std::string& root = "data", bool overwrite = false)
{
  ExtractOptions options;
  options.destination = destination;
  options.root_name = root;
  options.overwrite = overwrite;
  return options;
}

// Deterministic bytes of every value, NULs included, longer than one read block.
std::string binary_content(std::size_t size)
{
  std::string out(size, '\0');
  std::uint32_t x = 12345;
  for (char& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 16);
  }
  return out;
}

// Extracts `tar` into a destination that does not exist, then into one that exists and is
// empty. Each time the extraction must throw Error whose message names `member` (quoted; not
// checked when empty) and holds `rule`, and everything next to and in the destination must be
// exactly as before: the missing destination is removed again, the empty one is empty, the
// sentinel stays empty. Returns the two messages.
std::vector<std::string> check_refused(const std::string& tar, const std::string& member, const std::string& rule,
                                       const std::string& root = "data")
{
  std::vector<std::string> messages;
  for (bool existing : {false, true}) {
    BOOST_TEST_CONTEXT((existing ? "destination exists and is empty" : "destination does not exist"))
    {
      Scratch scratch;
      if (existing) {
        make_directory(scratch.dest());
      }
      std::string before = snapshot(scratch.base());
      std::string message = message_of<sandbox::Error>([&] { extract_safely(reader_of(tar), options_for(scratch.dest(), root)); });
      BOOST_TEST_CONTEXT("message: " << message)
      {
        BOOST_TEST((member.empty() || contains(message, "\"" + member + "\"")));
        BOOST_TEST(contains(message, rule));
      }
      BOOST_TEST(snapshot(scratch.base()) == before);
      BOOST_TEST(exists(scratch.dest()) == existing);
      BOOST_TEST(sandbox::directory_entries(scratch.sentinel()).empty());
      messages.push_back(message);
    }
  }
  return messages;
}

// Every symbolic link below `root` resolves (on disk) to `root` or a place below it.
void check_links_stay_inside(const std::string& root)
{
  char resolved_root[PATH_MAX];
  BOOST_TEST_REQUIRE(::realpath(root.c_str(), resolved_root) != nullptr);
  std::vector<std::string> pending{""};
  while (!pending.empty()) {
    std::string relative = pending.back();
    pending.pop_back();
    for (const std::string& name : sandbox::directory_entries(relative.empty() ? root : root + "/" + relative)) {
      std::string path = relative.empty() ? name : relative + "/" + name;
      struct stat st = lstat_of(root + "/" + path);
      if (S_ISDIR(st.st_mode)) {
        pending.push_back(path);
      } else if (S_ISLNK(st.st_mode)) {
        char resolved[PATH_MAX];
        if (::realpath((root + "/" + path).c_str(), resolved)) {
          std::string target = resolved;
          std::string inside = resolved_root;
          BOOST_TEST((target == inside || target.rfind(inside + "/", 0) == 0),
                     path << " -> " << read_link(root + "/" + path) << " resolves to " << target);
        }
      }
    }
  }
}

// ---- TarProducer output ------------------------------------------------------------------

struct Member
{
  std::string name; // without a trailing "/"
  unsigned type = 0;
  unsigned perm = 0;
  long uid = -1;
  long gid = -1;
  std::int64_t mtime = 0;
  std::string symlink;
  std::string hardlink;
  std::string content;
};

std::vector<Member> read_members(const std::string& bytes)
{
  struct archive* reader = archive_read_new();
  archive_read_support_format_all(reader);
  archive_read_support_filter_all(reader);
  std::vector<Member> members;
  if (archive_read_open_memory(reader, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    std::string why = archive_error_string(reader);
    archive_read_free(reader);
    throw std::runtime_error("cannot read the produced archive: " + why);
  }
  archive_entry* entry = nullptr;
  int status;
  while ((status = archive_read_next_header(reader, &entry)) == ARCHIVE_OK) {
    Member m;
    m.name = archive_entry_pathname(entry);
    if (m.name.size() > 1 && m.name.back() == '/') {
      m.name.pop_back();
    }
    m.type = archive_entry_filetype(entry);
    m.perm = archive_entry_perm(entry);
    m.uid = static_cast<long>(archive_entry_uid(entry));
    m.gid = static_cast<long>(archive_entry_gid(entry));
    m.mtime = archive_entry_mtime(entry);
    m.symlink = archive_entry_symlink(entry) ? archive_entry_symlink(entry) : "";
    m.hardlink = archive_entry_hardlink(entry) ? archive_entry_hardlink(entry) : "";
    char buffer[65536];
    la_ssize_t n;
    while ((n = archive_read_data(reader, buffer, sizeof buffer)) > 0) {
      m.content.append(buffer, static_cast<std::size_t>(n));
    }
    members.push_back(m);
  }
  std::string why = status == ARCHIVE_EOF ? "" : archive_error_string(reader);
  archive_read_free(reader);
  if (!why.empty()) {
    throw std::runtime_error("cannot read the produced archive: " + why);
  }
  return members;
}

std::string produce(TarProducer& producer)
{
  std::string all;
  std::string chunk;
  while (producer.next(chunk)) {
    all += chunk;
  }
  return all;
}

std::string names_of(const std::vector<Member>& members)
{
  std::string out;
  for (const Member& m : members) {
    out += (out.empty() ? "" : " ") + m.name;
  }
  return out;
}

const Member& member_named(const std::vector<Member>& members, const std::string& name)
{
  for (const Member& m : members) {
    if (m.name == name) {
      return m;
    }
  }
  throw std::runtime_error("no member " + name + " in: " + names_of(members));
}

// A small host tree:
//   top/            0755
//   top/a.txt       0644  "hello\n"   (mtime k_mtime)
//   top/empty       0600  ""
//   top/link     -> a.txt
//   top/sub/        0700
//   top/sub/run.sh  04755 "#!/bin/sh\n" (setuid on the host)
std::string make_host_tree(const Scratch& scratch)
{
  make_directory(scratch.path("host"));
  std::string top = scratch.path("host/top");
  make_directory(top, 0755);
  write_file(top + "/a.txt", "hello\n", 0644);
  set_mtime(top + "/a.txt", k_mtime);
  write_file(top + "/empty", "", 0600);
  make_symlink("a.txt", top + "/link");
  make_directory(top + "/sub", 0700);
  write_file(top + "/sub/run.sh", "#!/bin/sh\n", 04755);
  return top;
}

// Writes `bytes` to a file in the scratch directory and opens it for reading.
int open_bytes(const Scratch& scratch, const std::string& bytes)
{
  std::string path = scratch.path("input.tar");
  write_file(path, bytes, 0600);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail_system("open", path);
  }
  return fd;
}

// The message of the Error thrown while producing the whole archive from `tar` re-encoded
// below "data".
std::string add_tar_error(const std::string& tar)
{
  Scratch scratch;
  int fd = open_bytes(scratch, tar);
  std::string message = message_of<sandbox::Error>([&] {
    TarProducer producer;
    producer.add_tar(fd, "data", Ownership{1000, 1000, std::nullopt});
    produce(producer);
  });
  ::close(fd);
  return message;
}

} // namespace

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

BOOST_AUTO_TEST_SUITE_END()
