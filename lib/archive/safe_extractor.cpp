#include "archive/safe_extractor.h"

#include "archive/archive_error.h"
#include "archive/entry_type.h"
#include "archive/member_rules.h"
#include "util/error.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <ftw.h>
#include <set>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace sandbox::archive {

namespace {

constexpr std::size_t k_block = 256 * 1024;
constexpr std::size_t k_hole_piece = 64 * 1024;
constexpr int k_max_link_hops = 40;

struct ReadState
{
  const ArchiveReadFn* read;
  std::vector<char> buffer = std::vector<char>(k_block);
};

la_ssize_t on_read(struct archive*, void* data, const void** out)
{
  auto* state = static_cast<ReadState*>(data);
  *out = state->buffer.data();
  return static_cast<la_ssize_t>((*state->read)(state->buffer.data(), state->buffer.size()));
}

bool exists(const std::string& path)
{
  struct stat st{};
  return ::lstat(path.c_str(), &st) == 0;
}

int remove_below_root(const char* path, const struct stat*, int, struct FTW* position)
{
  if (position->level > 0) {
    ::remove(path);
  }
  return 0;
}

// Undoes an extraction. When the destination was empty, everything in it now came from the
// archive (parents that libarchive made on its own included), so all of it goes; then the paths
// the extraction created, deepest first (the destination and its parents when we made them).
class Created
{
public:
  void add(const std::string& path) { m_paths.push_back(path); }
  void remove_all(const std::string& emptied_root)
  {
    if (!emptied_root.empty()) {
      ::nftw(emptied_root.c_str(), remove_below_root, 16, FTW_DEPTH | FTW_PHYS);
    }
    for (auto it = m_paths.rbegin(); it != m_paths.rend(); ++it) {
      ::remove(it->c_str());
    }
    m_paths.clear();
  }

private:
  std::vector<std::string> m_paths;
};

class Extraction
{
public:
  Extraction(const ArchiveReadFn& read, const ExtractOptions& options) : m_options(options), m_names(options.root_name)
  {
    m_state.read = &read;
  }
  ~Extraction()
  {
    if (m_reader) {
      archive_read_free(m_reader);
    }
    if (m_writer) {
      archive_write_free(m_writer);
    }
  }

  ExtractResult run()
  {
    try {
      prepare_destination();
      open();
      archive_entry* entry = nullptr;
      int status;
      while ((status = archive_read_next_header(m_reader, &entry)) != ARCHIVE_EOF) {
        if (status < ARCHIVE_WARN) {
          throw Error(std::string("cannot read the archive from the engine: ") + error_text(m_reader));
        }
        extract(entry);
      }
      for (const auto& [link, name] : m_links) {
        if (!stays_inside(m_root, link)) {
          throw Error("refusing archive member \"" + printable(name) + "\": it is a symbolic link that leads outside the destination through other links");
        }
      }
      // Only now, after every check: the deferred directory modes (a mode 000 directory applied
      // before a refusal would keep a non-root user from undoing the extraction) and times.
      if (archive_write_close(m_writer) != ARCHIVE_OK) {
        throw Error(std::string("cannot finish extracting: ") + error_text(m_writer));
      }
      return m_result;
    } catch (...) {
      m_created.remove_all(m_root_was_empty ? m_root : "");
      throw;
    }
  }

private:
  void prepare_destination()
  {
    const std::string& dest = m_options.destination;
    struct stat st{};
    if (::stat(dest.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        throw Error("destination " + dest + " exists and is not a directory");
      }
    } else {
      // Create it and its missing parents, remembering them for the cleanup.
      for (const std::string& created : make_directories(dest[0] == '/' ? dest : current_directory() + "/" + dest)) {
        m_created.add(created);
      }
    }
    char resolved[PATH_MAX];
    if (!::realpath(dest.c_str(), resolved)) {
      throw Error("cannot resolve " + dest + ": " + std::strerror(errno));
    }
    m_root = resolved;
    m_root_was_empty = is_empty_directory(m_root);
    // Never fill the destination's file system: keep 1% of it free (at least 64 MiB, at most 1 GiB).
    struct statvfs fs{};
    m_max_bytes = m_options.max_bytes;
    if (::statvfs(m_root.c_str(), &fs) == 0) {
      std::uint64_t total = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
      std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
      std::uint64_t margin = std::clamp<std::uint64_t>(total / 100, 64ULL << 20, 1ULL << 30);
      std::uint64_t room = free > margin ? free - margin : 0;
      if (m_max_bytes > room) {
        m_max_bytes = room;
        m_space_bound = true;
      }
    }
  }

  // Throws when `more` bytes of file contents would pass the cap.
  void count_bytes(const std::string& name, std::uint64_t more)
  {
    if (more > m_max_bytes - std::min(m_max_bytes, m_result.bytes)) {
      throw Error("refusing archive member \"" + printable(name) + "\": the copy would write more than "
                  + format_bytes(m_max_bytes) + (m_space_bound ? " (the free space of " + m_root + " less a margin)" : " (--max-bytes)"));
    }
  }

  void open()
  {
    m_reader = archive_read_new();
    archive_read_support_format_tar(m_reader);
    archive_read_support_filter_none(m_reader); // engines send plain tar; some filters run programs
    if (archive_read_open(m_reader, &m_state, nullptr, on_read, nullptr) != ARCHIVE_OK) {
      throw Error(std::string("cannot read the archive from the engine: ") + error_text(m_reader));
    }
    m_writer = archive_write_disk_new();
    // Not ARCHIVE_EXTRACT_SPARSE, which writes in blocks of 4 KiB, a system call each: copy_data
    // makes the holes itself.
    int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_SYMLINKS
                | ARCHIVE_EXTRACT_SECURE_NODOTDOT;
    archive_write_disk_set_options(m_writer, flags);
  }

  [[noreturn]] void refuse(const std::string& name, const std::string& why)
  {
    throw Error("refusing archive member \"" + printable(name) + "\": " + why);
  }

  // The place below the destination, as components, of `name`: the member's own name, or
  // (`what` = "the target of its hard link") the name it links to.
  std::vector<std::string> place(const std::string& member, const std::string& name, bool is_directory,
                                 const std::string& what = "its")
  {
    std::string why;
    std::optional<std::vector<std::string>> parts = m_names.place(name, why);
    if (!parts) {
      refuse(member, what + " " + why);
    }
    if (!m_root_kind_known) {
      m_root_kind_known = true;
      m_root_is_directory = parts->size() > 1 || is_directory;
      if (m_root_is_directory && !m_options.overwrite && !m_root_was_empty) {
        throw Error("destination " + m_options.destination + " is not empty", "pass --overwrite to merge into it");
      }
    }
    if (m_root_is_directory) {
      parts->erase(parts->begin());
    }
    return *parts;
  }

  void extract(archive_entry* entry)
  {
    const char* raw = archive_entry_pathname(entry);
    std::string name = raw ? raw : "";
    MemberType type = member_type(entry);
    if (std::optional<std::string> bad = unsupported_type(type)) {
      refuse(name, *bad);
    }
    if (m_result.files + m_result.directories + m_result.links >= m_options.max_members) {
      refuse(name, "the copy holds more than " + std::to_string(m_options.max_members) + " files, directories and links (--max-files)");
    }
    if (type == MemberType::file) {
      count_bytes(name, static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0)));
    }
    std::vector<std::string> parts = place(name, name, type == MemberType::directory);
    if (parts.empty()) {
      if (type != MemberType::directory) {
        refuse(name, "it replaces the destination directory");
      }
      ++m_result.directories;
      return; // the root directory: the destination itself
    }
    std::string relative = join(parts);
    std::string path = m_root + "/" + relative;
    if (type == MemberType::symlink) {
      const char* target = archive_entry_symlink(entry);
      if (std::optional<std::string> escape = symlink_escape(parts, target ? target : "")) {
        refuse(name, *escape);
      }
      m_links.emplace_back(relative, name);
    }
    if (type == MemberType::hardlink) {
      std::string target = archive_entry_hardlink(entry);
      std::vector<std::string> target_parts = place(name, target, false, "the target of its hard link:");
      std::string target_path = m_root + "/" + join(target_parts);
      struct stat st{};
      // On disk too: with --overwrite a later member may have replaced that file by a link.
      if (!m_files.count(join(target_parts)) || ::lstat(target_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        refuse(name, "it is a hard link to something that is not a file extracted before it");
      }
      archive_entry_copy_hardlink(entry, target_path.c_str());
    }
    if (type == MemberType::file) {
      m_files.insert(relative);
    } else {
      m_files.erase(relative); // replaced (--overwrite): hard links must not reach what is there now
    }
    if (!m_root_was_empty) {
      record_missing_parents(parts);
    }
    bool existed = exists(path);
    if (existed && !m_options.overwrite && type != MemberType::directory) {
      throw Error("refusing to overwrite " + path, "pass --overwrite to replace existing files");
    }
    archive_entry_copy_pathname(entry, path.c_str());
    archive_entry_set_perm(entry, permissions(archive_entry_perm(entry), std::nullopt, type));
    int status = archive_write_header(m_writer, entry);
    if (status < ARCHIVE_WARN) {
      refuse(name, error_text(m_writer));
    }
    if (!existed) {
      m_created.add(path);
    }
    if (type == MemberType::file && archive_entry_size(entry) > 0) {
      copy_data(name);
    }
    if (archive_write_finish_entry(m_writer) < ARCHIVE_WARN) {
      refuse(name, error_text(m_writer));
    }
    ++(type == MemberType::directory ? m_result.directories : type == MemberType::file ? m_result.files : m_result.links);
  }

  // The directories libarchive will create on its own on the way to a member, for the cleanup
  // (needed only when the destination held something before: otherwise all of it goes).
  void record_missing_parents(const std::vector<std::string>& parts)
  {
    std::string path = m_root;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      path += "/" + parts[i];
      if (!exists(path)) {
        m_created.add(path);
      }
    }
  }

  // Writes `size` bytes at `offset`, leaving out each piece of k_hole_piece bytes that is all
  // zeros: the writer seeks past it, so runs of zeros become holes and a sparse file in a volume
  // stays sparse on the host (the writer sets the size at the end of the member).
  void write_skipping_zeros(const std::string& name, const char* data, std::size_t size, la_int64_t offset)
  {
    auto write = [&](std::size_t from, std::size_t to) {
      if (to > from && archive_write_data_block(m_writer, data + from, to - from, offset + static_cast<la_int64_t>(from)) < ARCHIVE_WARN) {
        throw Error("cannot write " + name + ": " + error_text(m_writer));
      }
    };
    std::size_t run = 0; // where the bytes not yet written begin
    for (std::size_t at = 0; at < size; at += k_hole_piece) {
      std::size_t piece = std::min(k_hole_piece, size - at);
      if (data[at] == 0 && std::memcmp(data + at, data + at + 1, piece - 1) == 0) {
        write(run, at);
        run = at + piece;
      }
    }
    write(run, size);
  }

  void copy_data(const std::string& name)
  {
    const void* block;
    std::size_t size;
    la_int64_t offset;
    int status;
    while ((status = archive_read_data_block(m_reader, &block, &size, &offset)) == ARCHIVE_OK) {
      count_bytes(name, size);
      write_skipping_zeros(name, static_cast<const char*>(block), size, offset);
      m_result.bytes += size;
    }
    if (status != ARCHIVE_EOF) {
      throw Error(std::string("cannot read the archive from the engine: ") + error_text(m_reader));
    }
  }

  const ExtractOptions& m_options;
  DownloadNames m_names;
  ReadState m_state;
  struct archive* m_reader = nullptr;
  struct archive* m_writer = nullptr;
  std::string m_root;
  bool m_root_was_empty = false;
  std::uint64_t m_max_bytes = UINT64_MAX; // --max-bytes, or less when the destination has less room
  bool m_space_bound = false;
  bool m_root_kind_known = false;
  bool m_root_is_directory = false;
  std::set<std::string> m_files;
  std::vector<std::pair<std::string, std::string>> m_links; // below the root, member name
  Created m_created;
  ExtractResult m_result;
};

} // namespace

ExtractResult extract_safely(const ArchiveReadFn& read, const ExtractOptions& options)
{
  Extraction extraction(read, options);
  return extraction.run();
}

bool stays_inside(const std::string& root, const std::string& relative)
{
  std::deque<std::string> pending;
  for (const std::string& part : path_components(relative)) {
    pending.push_back(part);
  }
  std::vector<std::string> resolved;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = pending.front();
    pending.pop_front();
    if (part == "..") {
      if (resolved.empty()) {
        return false;
      }
      resolved.pop_back();
      continue;
    }
    std::string candidate = root + "/" + join(resolved) + (resolved.empty() ? "" : "/") + part;
    struct stat st{};
    if (::lstat(candidate.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
      resolved.push_back(part);
      continue;
    }
    if (++hops > k_max_link_hops) {
      return false;
    }
    char target[PATH_MAX];
    ssize_t n = ::readlink(candidate.c_str(), target, sizeof target - 1);
    if (n <= 0 || target[0] == '/') {
      return false;
    }
    std::vector<std::string> target_parts = path_components(std::string(target, static_cast<std::size_t>(n)));
    pending.insert(pending.begin(), target_parts.begin(), target_parts.end());
  }
  return true;
}

} // namespace sandbox::archive
