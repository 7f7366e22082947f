#include "archive/tar_renamer.h"

#include "archive/archive_error.h"
#include "archive/member_rules.h"
#include "util/error.h"
#include "util/printable.h"

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <vector>

namespace sandbox::archive {

namespace {

constexpr std::size_t k_block = 256 * 1024;

// Both ends are C++ callbacks called from libarchive's C code: what they throw is kept here and
// rethrown once libarchive has returned its failure, never thrown through libarchive.
class Renamer
{
public:
  Renamer(const ArchiveReadFn& read, const ArchiveWriteFn& write, const std::string& root_name)
    : m_read(read), m_write(write), m_names(root_name)
  {
  }
  ~Renamer()
  {
    if (m_reader) {
      archive_read_free(m_reader);
    }
    if (m_writer) {
      // No end-of-archive after a refusal or a broken stream: a truncated archive must not read
      // as a whole one. (archive_write_fail would skip the close that frees libarchive's buffers.)
      m_abandoned = !m_finished;
      archive_write_free(m_writer);
    }
  }
  Renamer(const Renamer&) = delete;
  Renamer& operator=(const Renamer&) = delete;

  void run()
  {
    open();
    archive_entry* entry = nullptr;
    int status;
    while ((status = archive_read_next_header(m_reader, &entry)) != ARCHIVE_EOF) {
      if (status < ARCHIVE_WARN) {
        fail_reading();
      }
      copy(entry);
    }
    m_finished = true;
    if (archive_write_close(m_writer) != ARCHIVE_OK) {
      fail_writing();
    }
  }

private:
  static la_ssize_t on_read(struct archive*, void* data, const void** out)
  {
    auto* self = static_cast<Renamer*>(data);
    *out = self->m_buffer.data();
    try {
      return static_cast<la_ssize_t>(self->m_read(self->m_buffer.data(), self->m_buffer.size()));
    } catch (...) {
      self->m_thrown = std::current_exception();
      return -1;
    }
  }

  static la_ssize_t on_write(struct archive*, void* data, const void* buffer, std::size_t size)
  {
    auto* self = static_cast<Renamer*>(data);
    if (self->m_thrown || self->m_abandoned) {
      return -1; // never call `write` again after it failed, nor after a failure elsewhere
    }
    try {
      self->m_write(static_cast<const char*>(buffer), size);
      return static_cast<la_ssize_t>(size);
    } catch (...) {
      self->m_thrown = std::current_exception();
      return -1;
    }
  }

  void open()
  {
    m_reader = archive_read_new();
    archive_read_support_format_tar(m_reader);
    archive_read_support_filter_none(m_reader); // engines send plain tar; some filters run programs
    if (archive_read_open(m_reader, this, nullptr, on_read, nullptr) != ARCHIVE_OK) {
      fail_reading();
    }
    m_writer = archive_write_new();
    archive_write_set_format_pax_restricted(m_writer);
    archive_write_add_filter_none(m_writer);
    if (archive_write_open(m_writer, this, nullptr, on_write, nullptr) != ARCHIVE_OK) {
      fail_writing();
    }
  }

  [[noreturn]] void fail_reading()
  {
    rethrow_callback();
    throw Error("cannot read the archive from the engine: " + error_text(m_reader));
  }

  [[noreturn]] void fail_writing()
  {
    rethrow_callback();
    throw Error("cannot write the archive: " + error_text(m_writer));
  }

  void rethrow_callback()
  {
    if (m_thrown) {
      std::rethrow_exception(m_thrown);
    }
  }

  // `name` (the member's own name, or the target of its hard link) as the extractor places it.
  std::string placed(const std::string& member, const std::string& name, const std::string& what)
  {
    std::string why;
    std::optional<std::vector<std::string>> parts = m_names.place(name, why);
    if (!parts) {
      throw Error("refusing archive member \"" + printable(member) + "\": " + what + " " + why);
    }
    return join(*parts);
  }

  void copy(archive_entry* entry)
  {
    const char* raw = archive_entry_pathname(entry);
    std::string name = raw ? raw : "";
    archive_entry_copy_pathname(entry, placed(name, name, "its").c_str());
    const char* hardlink = archive_entry_hardlink(entry);
    if (hardlink) {
      archive_entry_copy_hardlink(entry, placed(name, hardlink, "the target of its hard link:").c_str());
    }
    // Holes are read back as zeros and written out as data: the sparse map is the reader's.
    archive_entry_sparse_clear(entry);
    if (archive_write_header(m_writer, entry) < ARCHIVE_WARN) {
      fail_writing();
    }
    if (!hardlink && archive_entry_filetype(entry) == AE_IFREG) {
      la_ssize_t n;
      while ((n = archive_read_data(m_reader, m_data.data(), m_data.size())) > 0) {
        if (archive_write_data(m_writer, m_data.data(), static_cast<std::size_t>(n)) < 0) {
          fail_writing();
        }
      }
      if (n < 0) {
        fail_reading();
      }
    }
    if (archive_write_finish_entry(m_writer) < ARCHIVE_WARN) {
      fail_writing();
    }
  }

  const ArchiveReadFn& m_read;
  const ArchiveWriteFn& m_write;
  DownloadNames m_names;
  std::vector<char> m_buffer = std::vector<char>(k_block);
  std::vector<char> m_data = std::vector<char>(k_block);
  std::exception_ptr m_thrown;
  bool m_finished = false;  // every member copied: the end-of-archive may be written
  bool m_abandoned = false; // freed unfinished: what libarchive still has to write is dropped
  struct archive* m_reader = nullptr;
  struct archive* m_writer = nullptr;
};

} // namespace

void copy_renamed(const ArchiveReadFn& read, const ArchiveWriteFn& write, const std::string& root_name)
{
  Renamer renamer(read, write, root_name);
  renamer.run();
}

} // namespace sandbox::archive
