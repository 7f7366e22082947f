#include "archive/tar_listing.h"

#include "archive/archive_error.h"
#include "archive/entry_type.h"
#include "util/error.h"
#include "util/printable.h"

#include <optional>

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <memory>

namespace sandbox::archive {

namespace {

constexpr std::size_t k_block = 64 * 1024;
constexpr std::size_t k_max_name = 255;

// libarchive calls back into C++: what `read` throws is kept and rethrown once it has returned.
struct Source
{
  const ArchiveReadFn& read;
  std::vector<char> buffer = std::vector<char>(k_block);
  std::exception_ptr thrown;
};

la_ssize_t on_read(struct archive*, void* data, const void** out)
{
  auto* source = static_cast<Source*>(data);
  *out = source->buffer.data();
  try {
    return static_cast<la_ssize_t>(source->read(source->buffer.data(), source->buffer.size()));
  } catch (...) {
    source->thrown = std::current_exception();
    return -1;
  }
}

} // namespace

std::vector<ListedEntry> list_entries(const ArchiveReadFn& read, const std::string& root_name, std::size_t max_entries,
                                      std::size_t max_members)
{
  Source source{read, std::vector<char>(k_block), nullptr};
  std::unique_ptr<struct archive, int (*)(struct archive*)> reader(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(reader.get());
  archive_read_support_filter_none(reader.get()); // engines send plain tar; some filters run programs
  auto fail = [&]() {
    if (source.thrown) {
      std::rethrow_exception(source.thrown);
    }
    throw Error("cannot read the archive from the engine: " + error_text(reader.get()));
  };
  if (archive_read_open(reader.get(), &source, nullptr, on_read, nullptr) != ARCHIVE_OK) {
    fail();
  }
  DownloadNames names(root_name);
  std::vector<ListedEntry> entries;
  archive_entry* entry = nullptr;
  for (std::size_t members = 0; members < max_members && entries.size() < max_entries; ++members) {
    int status = archive_read_next_header(reader.get(), &entry); // skips the previous member's data
    if (status == ARCHIVE_EOF) {
      break;
    }
    if (status < ARCHIVE_WARN) {
      if (source.thrown) {
        fail();
      }
      break; // cut short: what came before it is the listing
    }
    const char* raw = archive_entry_pathname(entry);
    std::string name = raw ? raw : "";
    std::string why;
    std::optional<std::vector<std::string>> parts = names.place(name, why);
    if (!parts || parts->size() != 2) {
      continue; // a name the extractor would refuse (nothing is written: left out), the root, or deeper
    }
    const std::string& child = (*parts)[1];
    if (child.size() > k_max_name || has_control_character(child) || child.find('/') != std::string::npos) {
      continue;
    }
    entries.push_back({child, member_type(entry)});
  }
  return entries;
}

} // namespace sandbox::archive
