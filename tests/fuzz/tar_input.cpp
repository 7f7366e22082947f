// Fuzz target: `volume put -`, which re-encodes a tar (plain or compressed) read from stdin into
// the archive sent to the engine. Whatever the input, every member that goes out must sit below
// the chosen prefix, carry the chosen owner and plain permission bits, be a file, directory or
// link, and a hard link may only point at a file sent earlier.
//
// Input: the tar, as stdin would deliver it.

#include "archive/archive_error.h"
#include "archive/tar_producer.h"
#include "fuzz_input.h"
#include "util/error.h"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

using sandbox::fuzz::invariant_failed;

constexpr std::size_t k_max_output = 64 << 20;

bool below_prefix(const std::string& name)
{
  if (name.rfind("in/", 0) != 0) {
    return false;
  }
  std::string rest = name.substr(3);
  while (!rest.empty() && rest.back() == '/') {
    rest.pop_back(); // directories may be written with a trailing slash
  }
  rest = "/" + rest + "/";
  return rest != "//" && rest.find("/../") == std::string::npos && rest.find("/./") == std::string::npos
         && rest.find("//") == std::string::npos;
}

void check_output(const std::string& tar)
{
  struct archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  if (archive_read_open_memory(reader, tar.data(), tar.size()) != ARCHIVE_OK) {
    invariant_failed("the re-encoded tar cannot be opened");
  }
  std::vector<std::string> files;
  archive_entry* entry = nullptr;
  int status;
  while ((status = archive_read_next_header(reader, &entry)) == ARCHIVE_OK) {
    const char* pathname = archive_entry_pathname(entry);
    if (pathname == nullptr) {
      invariant_failed("a member without a name was sent");
    }
    std::string name = pathname;
    if (!below_prefix(name)) {
      invariant_failed("a member is not below the prefix: " + name);
    }
    if (archive_entry_uid(entry) != 1000 || archive_entry_gid(entry) != 2000) {
      invariant_failed("a member kept its own owner: " + name);
    }
    if (archive_entry_mode(entry) & (S_ISUID | S_ISGID | S_ISVTX)) {
      invariant_failed("a member kept set-id or sticky bits: " + name);
    }
    if (const char* target = archive_entry_hardlink(entry)) {
      if (std::find(files.begin(), files.end(), std::string(target)) == files.end()) {
        invariant_failed("a hard link points at no earlier file: " + name + " -> " + target);
      }
      continue;
    }
    unsigned type = archive_entry_filetype(entry);
    if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
      invariant_failed("a special file was sent: " + name);
    }
    if (type == AE_IFREG) {
      files.push_back(name);
    }
  }
  if (status != ARCHIVE_EOF) {
    invariant_failed("the re-encoded tar is damaged: " + sandbox::archive::error_text(reader));
  }
  archive_read_free(reader);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  int fd = ::memfd_create("stdin", MFD_CLOEXEC);
  if (fd < 0 || ::write(fd, data, size) != static_cast<ssize_t>(size) || ::lseek(fd, 0, SEEK_SET) != 0) {
    invariant_failed("memfd");
  }
  std::string out;
  bool complete = false;
  try {
    sandbox::archive::TarProducer producer;
    producer.add_tar(fd, "in", {1000, 2000, std::nullopt});
    std::string chunk;
    while (out.size() < k_max_output && producer.next(chunk)) {
      out += chunk;
    }
    complete = out.size() < k_max_output;
  } catch (const sandbox::Error&) {
  }
  ::close(fd);
  if (complete) {
    check_output(out);
  }
  return 0;
}
