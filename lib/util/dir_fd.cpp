#include "util/dir_fd.h"

#include "util/error.h"
#include "util/paths.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace sandbox {

void UniqueFd::reset()
{
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
}

UniqueFd open_child_directory(int dir_fd, const std::string& name)
{
  return UniqueFd(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

UniqueFd open_directory_nofollow(const std::string& path)
{
  if (path.empty() || path[0] != '/') {
    throw Error(path + ": not an absolute path");
  }
  UniqueFd fd(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  for (const std::string& part : path_components(path)) {
    if (!fd) {
      break;
    }
    if (part == "..") {
      throw Error(path + ": has a \"..\" component");
    }
    fd = open_child_directory(fd.get(), part);
  }
  if (!fd) {
    std::string reason = errno == ELOOP || errno == ENOTDIR ? "a symbolic link or a file is on the way" : std::strerror(errno);
    throw Error(path + ": " + reason);
  }
  return fd;
}

void change_owner_beneath(int dir_fd, uid_t from_uid, uid_t to_uid, gid_t to_gid)
{
  struct stat top;
  if (::fstat(dir_fd, &top) != 0) {
    return;
  }
  // An explicit stack of open directories: depth is bounded by the descriptors we may hold.
  std::vector<UniqueFd> pending;
  pending.emplace_back(::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0));
  while (!pending.empty()) {
    UniqueFd current = std::move(pending.back());
    pending.pop_back();
    if (!current) {
      continue;
    }
    int list_fd = ::fcntl(current.get(), F_DUPFD_CLOEXEC, 0);
    DIR* dir = list_fd >= 0 ? ::fdopendir(list_fd) : nullptr;
    if (!dir) {
      if (list_fd >= 0) {
        ::close(list_fd);
      }
      continue;
    }
    ::rewinddir(dir); // a duplicate shares its offset with the original
    while (const dirent* entry = ::readdir(dir)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") {
        continue;
      }
      struct stat st;
      if (::fstatat(current.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_dev != top.st_dev) {
        continue;
      }
      if (st.st_uid == from_uid) {
        ::fchownat(current.get(), name.c_str(), to_uid, to_gid, AT_SYMLINK_NOFOLLOW);
      }
      if (S_ISDIR(st.st_mode) && pending.size() < 256) {
        pending.push_back(open_child_directory(current.get(), name));
      }
    }
    ::closedir(dir);
  }
}

std::pair<std::string, std::string> split_last_component(const std::string& path)
{
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    return {".", path};
  }
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

} // namespace sandbox
