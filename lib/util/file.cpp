#include "util/file.h"

#include "util/error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox {

namespace {

std::optional<std::string> read_impl(const std::string& path, bool missing_ok)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT && missing_ok) {
      return std::nullopt;
    }
    throw Error("open " + path + ": " + std::strerror(errno));
  }
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
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
  }
  ::close(fd);
  return content;
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

std::string read_regular_file(const std::string& path, std::size_t max_bytes)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    throw Error("open " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw Error(path + ": not a regular file of at most " + std::to_string(max_bytes / 1024) + " KiB");
  }
  ::close(fd);
  std::string content = read_file(path);
  if (content.size() > max_bytes) {
    throw Error(path + ": not a regular file of at most " + std::to_string(max_bytes / 1024) + " KiB");
  }
  return content;
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
