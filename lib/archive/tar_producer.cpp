#include "archive/tar_producer.h"

#include "archive/archive_error.h"
#include "archive/member_rules.h"
#include "util/dir_fd.h"
#include "util/error.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/printable.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::archive {

namespace {

constexpr std::size_t k_read_size = 256 * 1024;

std::string system_error(const std::string& what, const std::string& path)
{
  return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

struct stat lstat_or_throw(const std::string& path)
{
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    throw Error(system_error("read", path));
  }
  return st;
}

void check_archivable(const std::string& path, const struct stat& st)
{
  if (has_control_character(path.substr(path.rfind('/') + 1))) {
    throw Error("cannot put " + printable(path) + ": its name contains a control character");
  }
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
    throw Error("cannot put " + path + ": it is a device, FIFO or socket");
  }
}

MemberType member_type(const struct stat& st)
{
  if (S_ISREG(st.st_mode)) {
    return MemberType::file;
  }
  if (S_ISDIR(st.st_mode)) {
    return MemberType::directory;
  }
  return S_ISLNK(st.st_mode) ? MemberType::symlink : MemberType::other;
}

std::string read_link_at(int dir_fd, const std::string& entry, const std::string& path)
{
  std::vector<char> buffer(4096);
  ssize_t n = ::readlinkat(dir_fd, entry.c_str(), buffer.data(), buffer.size());
  if (n < 0) {
    throw Error(system_error("read link", path));
  }
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

} // namespace

TreeTotals scan_host_path(const std::string& path, const std::vector<std::string>& skipped)
{
  TreeTotals totals;
  std::vector<std::string> pending{path};
  while (!pending.empty()) {
    std::string current = pending.back();
    pending.pop_back();
    if (std::find(skipped.begin(), skipped.end(), current) != skipped.end()) {
      continue;
    }
    struct stat st = lstat_or_throw(current);
    check_archivable(current, st);
    if (S_ISDIR(st.st_mode)) {
      ++totals.directories;
      for (const std::string& child : directory_entries(current)) {
        pending.push_back(current + "/" + child);
      }
    } else if (S_ISREG(st.st_mode)) {
      if (::access(current.c_str(), R_OK) != 0) {
        throw Error(system_error("read", current));
      }
      ++totals.files;
      totals.bytes += static_cast<std::uint64_t>(st.st_size);
    } else {
      ++totals.files;
    }
  }
  return totals;
}

TarProducer::TarProducer() : m_buffer(k_read_size)
{
  m_writer = archive_write_new();
  archive_write_set_format_pax_restricted(m_writer);
  archive_write_add_filter_none(m_writer);
  archive_write_set_bytes_in_last_block(m_writer, 1);
  check(archive_write_open(m_writer, this, nullptr, &TarProducer::on_write, nullptr), "start the archive");
}

TarProducer::~TarProducer()
{
  if (m_reader) {
    archive_read_free(m_reader);
  }
  archive_write_free(m_writer);
}

long TarProducer::on_write(struct archive*, void* self, const void* buffer, std::size_t size)
{
  static_cast<TarProducer*>(self)->m_out.append(static_cast<const char*>(buffer), size);
  return static_cast<long>(size);
}

void TarProducer::check_identity(const std::string& host_path, const struct stat& st) const
{
  if (m_identity && std::make_pair(static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)) != *m_identity) {
    throw Error("cannot put " + host_path + ": it is not what was checked (it was replaced meanwhile)");
  }
}

void TarProducer::check(int status, const char* what)
{
  if (status < ARCHIVE_WARN) {
    throw Error(std::string("cannot ") + what + ": " + error_text(m_writer));
  }
}

void TarProducer::add_directory(const std::string& name, const Ownership& ownership)
{
  m_watched.insert(name);
  m_items.push_back({Item::Kind::directory, "", name, -1, ownership, std::nullopt});
}

void TarProducer::add_host_path(const std::string& host_path, const std::string& name, const Ownership& ownership,
                                std::optional<std::pair<std::uint64_t, std::uint64_t>> identity)
{
  m_watched.insert(name);
  m_items.push_back({Item::Kind::host_path, host_path, name, -1, ownership, identity});
}

void TarProducer::add_hollow(const std::string& name, const Ownership& ownership)
{
  m_hollow.insert(name);
  m_hollow_ownership = ownership;
}

void TarProducer::add_bytes(std::string_view bytes, const std::string& name, unsigned mode, const Ownership& ownership)
{
  m_watched.insert(name);
  Item item{Item::Kind::bytes, "", name, -1, ownership, std::nullopt};
  item.bytes = bytes;
  item.mode = mode;
  m_items.push_back(item);
}

void TarProducer::add_tar(int fd, const std::string& prefix, const Ownership& ownership)
{
  m_items.push_back({Item::Kind::tar, "", prefix, fd, ownership, std::nullopt});
}

bool TarProducer::next(std::string& chunk)
{
  while (m_out.empty() && !m_closed) {
    step();
  }
  if (m_out.empty()) {
    return false;
  }
  chunk.swap(m_out);
  m_out.clear();
  return true;
}

void TarProducer::step()
{
  if (m_file) {
    step_file();
  } else if (!m_bytes.empty()) {
    std::size_t piece = std::min(m_bytes.size(), k_read_size);
    if (archive_write_data(m_writer, m_bytes.data(), piece) < 0) {
      check(ARCHIVE_FATAL, "write the archive");
    }
    m_content_bytes += piece;
    m_bytes.remove_prefix(piece);
    if (m_bytes.empty()) {
      check(archive_write_finish_entry(m_writer), "write the archive");
    }
  } else if (m_reader) {
    step_tar();
  } else if (!m_stack.empty()) {
    Frame& frame = m_stack.back();
    if (frame.next == frame.children.size()) {
      m_stack.pop_back();
      return;
    }
    const std::string& child = frame.children[frame.next++];
    emit_host_entry(frame.fd.get(), child, frame.host_dir + "/" + child, child_member(frame.name, child));
  } else if (!m_items.empty()) {
    Item item = m_items.front();
    m_items.pop_front();
    start_item(item);
  } else if (!m_hollow.empty()) {
    // Hollow members with nothing at their place on the host.
    std::string name = *m_hollow.begin();
    m_hollow.erase(m_hollow.begin());
    write_header(name, AE_IFDIR, permissions(0755, m_hollow_ownership.mode, MemberType::directory), 0, std::time(nullptr),
                 "", false);
  } else {
    check(archive_write_close(m_writer), "finish the archive");
    m_closed = true;
  }
}

void TarProducer::start_item(const Item& item)
{
  m_ownership = item.ownership;
  switch (item.kind) {
  case Item::Kind::directory:
    write_header(item.name, AE_IFDIR, permissions(0755, m_ownership.mode, MemberType::directory), 0,
                 std::time(nullptr), "", false);
    break;
  case Item::Kind::host_path:
    m_identity = item.identity;
    emit_host_entry(AT_FDCWD, item.source, item.source, item.name);
    m_identity.reset();
    break;
  case Item::Kind::bytes:
    write_header(item.name, AE_IFREG, permissions(item.mode, m_ownership.mode, MemberType::file),
                 static_cast<std::int64_t>(item.bytes.size()), std::time(nullptr), "", false);
    m_bytes = item.bytes;
    break;
  case Item::Kind::tar:
    m_reader = archive_read_new();
    archive_read_support_filter_all(m_reader);
    archive_read_support_format_tar(m_reader);
    m_reader_prefix = item.name;
    m_reader_files.clear();
    if (archive_read_open_fd(m_reader, item.fd, k_read_size) != ARCHIVE_OK) {
      throw Error(std::string("cannot read the tar on stdin: ") + error_text(m_reader));
    }
    break;
  }
}

void TarProducer::emit_host_entry(int parent_fd, const std::string& entry, const std::string& host_path,
                                  const std::string& name)
{
  if (m_hollow.count(name) != 0) {
    m_hollow.erase(name);
    write_header(name, AE_IFDIR, permissions(0755, m_ownership.mode, MemberType::directory), 0, std::time(nullptr), "", false);
    return;
  }
  // Each entry is reached through its parent's descriptor and opened without following a link,
  // and the header describes what was opened: renaming things meanwhile changes nothing we read.
  struct stat st{};
  if (::fstatat(parent_fd, entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    throw Error(system_error("read", host_path));
  }
  check_archivable(host_path, st);
  check_identity(host_path, st);
  if (S_ISLNK(st.st_mode)) {
    write_header(name, AE_IFLNK, permissions(st.st_mode, m_ownership.mode, MemberType::symlink), 0, st.st_mtime,
                 read_link_at(parent_fd, entry, host_path), false, &st);
    return;
  }
  int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0);
  UniqueFd fd(::openat(parent_fd, entry.c_str(), flags));
  if (!fd || ::fstat(fd.get(), &st) != 0) {
    throw Error(system_error("read", host_path));
  }
  check_archivable(host_path, st);
  check_identity(host_path, st);
  MemberType type = member_type(st);
  unsigned mode = permissions(st.st_mode, m_ownership.mode, type);
  if (type == MemberType::directory) {
    if (m_stack.size() >= static_cast<std::size_t>(k_max_walk_depth)) {
      throw Error("cannot put " + host_path + ": deeper than " + std::to_string(k_max_walk_depth) + " levels");
    }
    write_header(name, AE_IFDIR, mode, 0, st.st_mtime, "", false, &st);
    std::vector<std::string> children = directory_names(fd.get());
    std::sort(children.begin(), children.end());
    m_stack.push_back({std::move(fd), host_path, name, std::move(children), 0});
    return;
  }
  write_header(name, AE_IFREG, mode, st.st_size, st.st_mtime, "", false, &st);
  if (st.st_size > 0) {
    m_file = std::move(fd);
    m_file_path = host_path;
    m_file_remaining = st.st_size;
  }
}

void TarProducer::step_file()
{
  ssize_t n = 0;
  if (m_file_remaining > 0) {
    std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(m_file_remaining, k_read_size));
    n = ::read(m_file.get(), m_buffer.data(), want);
    if (n < 0) {
      if (errno == EINTR) {
        return;
      }
      throw Error(system_error("read", m_file_path));
    }
    if (n > 0) {
      if (archive_write_data(m_writer, m_buffer.data(), static_cast<std::size_t>(n)) < 0) {
        check(ARCHIVE_FATAL, "write the archive");
      }
      m_file_remaining -= n;
      m_content_bytes += static_cast<std::uint64_t>(n);
      return;
    }
  }
  // End of the entry: the file may have shrunk (the writer pads it) or grown (the rest is cut).
  char probe;
  if (m_file_remaining > 0 || ::read(m_file.get(), &probe, 1) > 0) {
    m_changed.push_back(m_file_path);
  }
  m_file.reset();
  check(archive_write_finish_entry(m_writer), "write the archive");
}

void TarProducer::step_tar()
{
  if (m_reader_in_data) {
    la_ssize_t n = archive_read_data(m_reader, m_buffer.data(), m_buffer.size());
    if (n < 0) {
      throw Error(std::string("cannot read the tar on stdin: ") + error_text(m_reader));
    }
    if (n == 0) {
      m_reader_in_data = false;
      check(archive_write_finish_entry(m_writer), "write the archive");
      return;
    }
    if (archive_write_data(m_writer, m_buffer.data(), static_cast<std::size_t>(n)) < 0) {
      check(ARCHIVE_FATAL, "write the archive");
    }
    m_content_bytes += static_cast<std::uint64_t>(n);
    return;
  }
  archive_entry* entry = nullptr;
  int status = archive_read_next_header(m_reader, &entry);
  if (status == ARCHIVE_EOF) {
    archive_read_free(m_reader);
    m_reader = nullptr;
    return;
  }
  if (status < ARCHIVE_WARN) {
    throw Error(std::string("cannot read the tar on stdin: ") + error_text(m_reader));
  }
  const char* raw_name = archive_entry_pathname(entry);
  std::string original = raw_name ? raw_name : "";
  std::string why;
  std::optional<std::vector<std::string>> parts = member_components(original, why);
  if (!parts) {
    throw Error("refusing tar member \"" + printable(original) + "\": " + why);
  }
  if (parts->empty()) {
    return; // "./": the destination itself
  }
  std::string name = child_member(m_reader_prefix, join(*parts));
  const char* hardlink = archive_entry_hardlink(entry);
  if (hardlink) {
    std::optional<std::vector<std::string>> target = member_components(hardlink, why);
    std::string target_name = target ? child_member(m_reader_prefix, join(*target)) : "";
    if (!target || std::find(m_reader_files.begin(), m_reader_files.end(), target_name) == m_reader_files.end()) {
      throw Error("refusing tar member \"" + original + "\": it is a hard link to something not earlier in the archive");
    }
    write_header(name, AE_IFREG, 0, 0, archive_entry_mtime(entry), target_name, true);
    return;
  }
  unsigned filetype = archive_entry_filetype(entry);
  MemberType type = filetype == AE_IFREG   ? MemberType::file
                    : filetype == AE_IFDIR ? MemberType::directory
                    : filetype == AE_IFLNK ? MemberType::symlink
                                           : MemberType::other;
  if (std::optional<std::string> bad = unsupported_type(type)) {
    throw Error("refusing tar member \"" + printable(original) + "\": " + *bad);
  }
  unsigned mode = permissions(archive_entry_perm(entry), m_ownership.mode, type);
  std::string link = type == MemberType::symlink && archive_entry_symlink(entry) ? archive_entry_symlink(entry) : "";
  std::int64_t size = type == MemberType::file ? archive_entry_size(entry) : 0;
  write_header(name, filetype, mode, size, archive_entry_mtime(entry), link, false);
  if (type == MemberType::file) {
    m_reader_files.push_back(name);
    m_reader_in_data = size > 0;
  }
}

void TarProducer::write_header(const std::string& name, unsigned type_bits, unsigned mode, std::int64_t size,
                               std::int64_t mtime, const std::string& link, bool hardlink, const struct stat* host)
{
  std::size_t slash = name.rfind('/');
  if (slash == std::string::npos || m_watched.count(name) != 0 || m_watched.count(name.substr(0, slash)) != 0) {
    MemberType type = hardlink                  ? MemberType::hardlink
                      : type_bits == AE_IFDIR   ? MemberType::directory
                      : type_bits == AE_IFLNK   ? MemberType::symlink
                      : type_bits == AE_IFREG   ? MemberType::file
                                                : MemberType::other;
    m_sent[name] = {type, size};
  }
  archive_entry* entry = archive_entry_new();
  archive_entry_copy_pathname(entry, name.c_str());
  archive_entry_set_filetype(entry, type_bits);
  archive_entry_set_perm(entry, mode);
  archive_entry_set_size(entry, size);
  archive_entry_set_mtime(entry, mtime, 0);
  bool keep = m_ownership.uid < 0 || m_ownership.gid < 0;
  archive_entry_set_uid(entry, keep ? (host ? static_cast<long>(host->st_uid) : 0) : m_ownership.uid);
  archive_entry_set_gid(entry, keep ? (host ? static_cast<long>(host->st_gid) : 0) : m_ownership.gid);
  if (hardlink) {
    archive_entry_copy_hardlink(entry, link.c_str());
  } else if (!link.empty()) {
    archive_entry_copy_symlink(entry, link.c_str());
  }
  int status = archive_write_header(m_writer, entry);
  archive_entry_free(entry);
  check(status, "write the archive");
  if (size == 0) {
    check(archive_write_finish_entry(m_writer), "write the archive");
  }
}

} // namespace sandbox::archive
