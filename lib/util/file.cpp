#include "util/file.h"

#include "util/dir_fd.h"
#include "util/error.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox {

namespace {

// Reads everything from `fd` (at most `max_bytes` + 1 bytes when a limit is given) and closes it.
std::string read_all(int fd, const std::string& path, std::size_t max_bytes = SIZE_MAX)
{
  std::string content;
  char buffer[65536];
  for (;;) {
    std::size_t room = content.size() > max_bytes ? 0 : max_bytes - content.size();
    ssize_t n = ::read(fd, buffer, room >= sizeof buffer ? sizeof buffer : room + 1);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      int saved = errno;
      ::close(fd);
      throw Error("read " + path + ": " + std::strerror(saved));
    }
    if (n == 0) {
      break;
    }
    content.append(buffer, static_cast<std::size_t>(n));
    if (content.size() > max_bytes) {
      break;
    }
  }
  ::close(fd);
  return content;
}

std::optional<std::string> read_impl(const std::string& path, bool missing_ok)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT && missing_ok) {
      return std::nullopt;
    }
    throw Error("open " + path + ": " + std::strerror(errno));
  }
  return read_all(fd, path);
}

} // namespace

std::optional<std::string> read_file_if_exists(const std::string& path)
{
  return read_impl(path, true);
}

std::string read_file(const std::string& path)
{
  return *read_impl(path, false);
}

FileSnapshot snapshot_regular_file(const std::string& path, std::size_t max_bytes, bool follow_links)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow_links ? 0 : O_NOFOLLOW));
  if (fd < 0) {
    if (errno == ELOOP && !follow_links) {
      throw Error(path + ": is a symbolic link");
    }
    throw Error("open " + path + ": " + std::strerror(errno));
  }
  std::string too_big = path + ": not a regular file of at most " + std::to_string(max_bytes / 1024) + " KiB";
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw Error(too_big);
  }
  // The path the kernel opened, links resolved: what was read is what it names.
  FileSnapshot snapshot;
  char real[PATH_MAX];
  ssize_t length = ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), real, sizeof real - 1);
  bool usable = length > 0 && length < static_cast<ssize_t>(sizeof real - 1) && real[0] == '/'
                && !std::string_view(real, static_cast<std::size_t>(length)).ends_with(" (deleted)");
  if (usable) {
    snapshot.real_path.assign(real, static_cast<std::size_t>(length));
  } else if (char* resolved = ::realpath(path.c_str(), nullptr)) {
    snapshot.real_path = resolved;
    std::free(resolved);
  } else {
    snapshot.real_path = path;
  }
  snapshot.content = read_all(fd, path, max_bytes);
  if (snapshot.content.size() > max_bytes) {
    throw Error(too_big);
  }
  return snapshot;
}

std::string read_regular_file(const std::string& path, std::size_t max_bytes)
{
  return snapshot_regular_file(path, max_bytes, true).content;
}

void write_file_at(int dir_fd, const std::string& name, const std::string& text)
{
  // O_NONBLOCK: opening a FIFO planted there must not wait for a reader (it fails with ENXIO when
  // none is there, and is refused below when one is).
  UniqueFd fd(::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
  if (!fd) {
    throw Error(errno == ELOOP   ? name + ": is a symbolic link"
                : errno == ENXIO ? name + ": not a regular file"
                                 : "open " + name + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw Error(name + ": not a regular file");
  }
  if (::ftruncate(fd.get(), 0) != 0 || ::fcntl(fd.get(), F_SETFL, 0) != 0) {
    throw Error("write " + name + ": " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw Error("write " + name + ": " + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd.release()) != 0) {
    throw Error("write " + name + ": " + std::strerror(errno));
  }
}

bool path_exists(const std::string& path)
{
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::vector<std::string> directory_entries(const std::string& path)
{
  DIR* dir = ::opendir(path.c_str());
  if (!dir) {
    throw Error("cannot read directory " + path + ": " + std::strerror(errno));
  }
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") {
      names.push_back(name);
    }
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

bool is_empty_directory(const std::string& path)
{
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return false;
  }
  try {
    return directory_entries(path).empty();
  } catch (const Error&) {
    return false;
  }
}

std::vector<std::string> make_directories(const std::string& path)
{
  std::vector<std::string> created;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    std::string prefix = path.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0755) == 0) {
      created.push_back(prefix);
    } else if (errno != EEXIST) {
      throw Error("cannot create " + prefix + ": " + std::strerror(errno));
    }
  }
  return created;
}

} // namespace sandbox
