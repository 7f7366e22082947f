#pragma once

// Produces a tar stream, one piece at a time, from host files or from another tar: the body of
// an archive PUT into a volume. Pull-based (the uploader asks for the next piece), so that memory
// stays flat whatever the size of the data. Owner and permissions are written into every header:
// the engine applies them verbatim, which is how a non-root sandbox gets files it can use.

#include "archive/member_rules.h"
#include "util/dir_fd.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>
#include <utility>
#include <vector>

struct archive;

namespace sandbox::archive {

struct Ownership
{
  long uid = 65534; // -1 (with gid -1): each host file's own, and root for what is not a host file
  long gid = 65534;
  std::optional<unsigned> mode; // forced permission bits; nullopt keeps each file's own
};

struct TreeTotals
{
  std::uint64_t files = 0;
  std::uint64_t directories = 0;
  std::uint64_t bytes = 0;
};

// Walks a host file or directory tree the way TarProducer will, without following symbolic
// links, nor into the host paths `skipped`. Throws Error for what cannot be archived (devices,
// FIFOs, sockets, names with control characters, unreadable entries), before anything is sent.
TreeTotals scan_host_path(const std::string& path, const std::vector<std::string>& skipped = {});

class TarProducer
{
public:
  TarProducer();
  ~TarProducer();
  TarProducer(const TarProducer&) = delete;
  TarProducer& operator=(const TarProducer&) = delete;

  // Queues a directory member `name` (e.g. a volume's mount point, so that its owner is set).
  void add_directory(const std::string& name, const Ownership& ownership);
  // Queues a host file, symbolic link or directory tree, stored as `name` and below. With
  // `identity` (device, inode), what is found at `host_path` must be that file, or nothing is sent.
  void add_host_path(const std::string& host_path, const std::string& name, const Ownership& ownership,
                     std::optional<std::pair<std::uint64_t, std::uint64_t>> identity = std::nullopt);
  // Stores the member `name` as an empty directory whatever the host holds at its place (a mount
  // point), at its place in the walk or, when the host has nothing there, at the end.
  void add_hollow(const std::string& name, const Ownership& ownership);
  // Queues a regular file `name` holding `bytes`, which must outlive the producer (a program
  // that ships inside ours), with permission bits `mode` unless the ownership forces others.
  void add_bytes(std::string_view bytes, const std::string& name, unsigned mode, const Ownership& ownership);
  // Queues the members of a tar read from `fd` (plain or compressed), each checked by the member
  // rules and stored below `prefix`.
  void add_tar(int fd, const std::string& prefix, const Ownership& ownership);

  // Replaces `chunk` with the next piece of the archive; false once it is complete.
  // Throws Error when a source cannot be read or a member breaks a rule.
  bool next(std::string& chunk);

  // File content consumed so far, for progress.
  std::uint64_t content_bytes() const { return m_content_bytes; }
  // What the archive said of each member that was queued (add_directory, add_host_path), of each
  // member directly below a queued one, and of each at the top of the archive (a name without
  // "/"): its type and, for a regular file, the size in its header. What the engine holds
  // afterwards can be compared with it.
  struct SentMember
  {
    MemberType type = MemberType::other;
    std::int64_t size = 0;
  };
  const std::map<std::string, SentMember>& sent() const { return m_sent; }

  // Files that changed size while they were read (they are stored padded or cut to the size
  // they had when their header was written).
  const std::vector<std::string>& changed_files() const { return m_changed; }

private:
  struct Item
  {
    enum class Kind { directory, host_path, tar, bytes } kind;
    std::string source; // host path
    std::string name;   // archive name, or prefix for a tar
    int fd = -1;
    Ownership ownership;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> identity;
    std::string_view bytes = {};
    unsigned mode = 0;
  };
  struct Frame
  {
    UniqueFd fd;
    std::string host_dir;
    std::string name;
    std::vector<std::string> children;
    std::size_t next = 0;
  };

  void step();
  void start_item(const Item& item);
  // `entry` in `parent_fd` (or a path, with AT_FDCWD), known as `host_path`, stored as `name`.
  void emit_host_entry(int parent_fd, const std::string& entry, const std::string& host_path, const std::string& name);
  void step_file();
  void step_tar();
  void write_header(const std::string& name, unsigned type_bits, unsigned mode, std::int64_t size,
                    std::int64_t mtime, const std::string& link, bool hardlink, const struct stat* host = nullptr);
  void check(int status, const char* what);
  // Throws when an item with an identity found something else at its path.
  void check_identity(const std::string& host_path, const struct stat& st) const;

  static long on_write(struct archive* a, void* self, const void* buffer, std::size_t size);

  Ownership m_ownership; // of the item being written
  struct archive* m_writer = nullptr;
  std::deque<Item> m_items;
  std::vector<Frame> m_stack;
  std::set<std::string> m_hollow;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> m_identity; // of the item being started
  Ownership m_hollow_ownership;
  UniqueFd m_file;                 // the host file being copied
  std::string m_file_path;
  std::int64_t m_file_remaining = 0;
  std::string_view m_bytes; // what is left of the bytes item being written
  struct archive* m_reader = nullptr; // the tar being re-encoded
  std::string m_reader_prefix;
  std::vector<std::string> m_reader_files; // regular members seen, for hard-link checks
  bool m_reader_in_data = false;
  std::string m_out;
  std::vector<char> m_buffer;
  std::uint64_t m_content_bytes = 0;
  std::vector<std::string> m_changed;
  std::set<std::string> m_watched; // names queued as items, recorded in m_sent
  std::map<std::string, SentMember> m_sent;
  bool m_closed = false;
};

} // namespace sandbox::archive
