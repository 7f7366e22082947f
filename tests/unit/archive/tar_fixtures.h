#pragma once

// Fixtures of the archive tests: a scratch directory, crafted tars built in memory with
// libarchive, a reader over them, snapshots of a tree on disk, and the members of a produced tar.

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

namespace tar_fixtures {


using sandbox::archive::ArchiveReadFn;
using sandbox::archive::ExtractOptions;
using sandbox::archive::ExtractResult;
using sandbox::archive::Ownership;
using sandbox::archive::TarProducer;
using sandbox::archive::extract_safely;
using sandbox::archive::stays_inside;
using sandbox::test::message_of;

constexpr std::int64_t k_mtime = 1700000000;

inline bool contains(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

// ---- files on the host -------------------------------------------------------------------

inline void fail_system(const std::string& what, const std::string& path)
{
  throw std::runtime_error("test setup: cannot " + what + " " + path + ": " + std::strerror(errno));
}

inline void make_directory(const std::string& path, unsigned mode = 0755)
{
  if (::mkdir(path.c_str(), 0700) != 0 || ::chmod(path.c_str(), mode) != 0) {
    fail_system("create directory", path);
  }
}

inline void write_file(const std::string& path, const std::string& content, unsigned mode = 0644)
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

inline void make_symlink(const std::string& target, const std::string& path)
{
  if (::symlink(target.c_str(), path.c_str()) != 0) {
    fail_system("create symlink", path);
  }
}

inline void set_mtime(const std::string& path, std::int64_t seconds)
{
  struct timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    fail_system("set the time of", path);
  }
}

inline bool exists(const std::string& path)
{
  struct stat st{};
  return ::lstat(path.c_str(), &st) == 0;
}

inline struct stat lstat_of(const std::string& path)
{
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    fail_system("stat", path);
  }
  return st;
}

inline unsigned mode_of(const std::string& path)
{
  return lstat_of(path).st_mode & 07777;
}

inline std::string read_file(const std::string& path)
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

inline std::string read_link(const std::string& path)
{
  char buffer[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
  if (n < 0) {
    fail_system("read link", path);
  }
  return std::string(buffer, static_cast<std::size_t>(n));
}

inline std::string octal(unsigned value)
{
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04o", value);
  return buffer;
}

// Everything below `root`, one line per entry: type, permission bits, content or link target.
// Two snapshots are equal when nothing was added, removed or changed.
inline void describe(const std::string& root, const std::string& relative, std::string& out)
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

inline std::string snapshot(const std::string& root)
{
  std::string out;
  describe(root, "", out);
  return out;
}

inline int make_searchable(const char* path, const struct stat* st, int type, struct FTW*)
{
  if (type == FTW_D || type == FTW_DNR) {
    ::chmod(path, (st->st_mode & 0777) | 0700);
  }
  return 0;
}

inline int remove_entry(const char* path, const struct stat*, int, struct FTW*)
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
inline ArchiveReadFn reader_of(const std::string& bytes, std::size_t chunk = 4096)
{
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(bytes, 0);
  return [state, chunk](char* buffer, std::size_t size) {
    std::size_t n = std::min({chunk, size, state->first.size() - state->second});
    std::memcpy(buffer, state->first.data() + state->second, n);
    state->second += n;
    return n;
  };
}

inline ExtractOptions options_for(const std::string& destination, const std::string& root = "data", bool overwrite = false)
{
  ExtractOptions options;
  options.destination = destination;
  options.root_name = root;
  options.overwrite = overwrite;
  return options;
}

// Deterministic bytes of every value, NULs included, longer than one read block.
inline std::string binary_content(std::size_t size)
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
inline std::vector<std::string> check_refused(const std::string& tar, const std::string& member, const std::string& rule,
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
inline void check_links_stay_inside(const std::string& root)
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

inline std::vector<Member> read_members(const std::string& bytes)
{
  struct archive* reader = archive_read_new();
  archive_read_support_format_tar(reader); // what we produce; a static build has no xar reader
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

inline std::string produce(TarProducer& producer)
{
  std::string all;
  std::string chunk;
  while (producer.next(chunk)) {
    all += chunk;
  }
  return all;
}

inline std::string names_of(const std::vector<Member>& members)
{
  std::string out;
  for (const Member& m : members) {
    out += (out.empty() ? "" : " ") + m.name;
  }
  return out;
}

inline const Member& member_named(const std::vector<Member>& members, const std::string& name)
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
inline std::string make_host_tree(const Scratch& scratch)
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
inline int open_bytes(const Scratch& scratch, const std::string& bytes)
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
inline std::string add_tar_error(const std::string& tar)
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

} // namespace tar_fixtures

using namespace tar_fixtures;
