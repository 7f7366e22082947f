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

namespace {

bool change_owner_in(int dir_fd, dev_t dev, uid_t from_uid, uid_t to_uid, gid_t to_gid, int depth)
{
  // The names first, then one descriptor per level: a wide tree never holds many open.
  std::vector<std::string> names = directory_names(dir_fd);
  bool complete = true;
  for (const std::string& name : names) {
    struct stat st;
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_dev != dev) {
      continue;
    }
    if (st.st_uid == from_uid && ::fchownat(dir_fd, name.c_str(), to_uid, to_gid, AT_SYMLINK_NOFOLLOW) != 0) {
      complete = false;
    }
    if (S_ISDIR(st.st_mode)) {
      UniqueFd child = open_child_directory(dir_fd, name);
      complete = child && depth < k_max_walk_depth && change_owner_in(child.get(), dev, from_uid, to_uid, to_gid, depth + 1)
                 && complete;
    }
  }
  return complete;
}

} // namespace

std::vector<std::string> directory_names(int dir_fd)
{
  std::vector<std::string> names;
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); // its own offset
  DIR* dir = fd >= 0 ? ::fdopendir(fd) : nullptr;
  if (!dir) {
    if (fd >= 0) {
      ::close(fd);
    }
    return names;
  }
  while (const dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") {
      names.push_back(name);
    }
  }
  ::closedir(dir);
  return names;
}

bool change_owner_beneath(int dir_fd, uid_t from_uid, uid_t to_uid, gid_t to_gid)
{
  struct stat top;
  return ::fstat(dir_fd, &top) == 0 && change_owner_in(dir_fd, top.st_dev, from_uid, to_uid, to_gid, 0);
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
