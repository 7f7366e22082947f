#pragma once

// Directories held open by descriptor and reached without following any symbolic link, so that
// the directory the plugin checked is the one it then uses, whoever renames things meanwhile.

#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace sandbox {

class UniqueFd
{
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept
  {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }
  void reset();
  int release() { return std::exchange(m_fd, -1); } // the caller closes it

private:
  int m_fd = -1;
};

// The absolute directory `path`, opened component by component from "/" with O_NOFOLLOW: a
// symbolic link anywhere on the way is refused. Throws Error naming the path and the reason.
UniqueFd open_directory_nofollow(const std::string& path);

// `name` (one component) in the directory `dir_fd`, opened as a directory without following a
// symbolic link. Returns an invalid UniqueFd with errno set when it cannot be opened.
UniqueFd open_child_directory(int dir_fd, const std::string& name);

// How deep the walks below go: deeper trees are not walked (and reported as such).
inline constexpr int k_max_walk_depth = 256;

// The names in the directory `dir_fd`, without "." and "..".
std::vector<std::string> directory_names(int dir_fd);

// Changes the owner of every entry under the directory `dir_fd` (not the directory itself) that
// `from_uid` owns, reaching each one through its parent's descriptor: a directory swapped for a
// link mid-walk is changed itself, never followed. Stays on one filesystem. False when some entry
// could not be changed or reached (deeper than k_max_walk_depth).
bool change_owner_beneath(int dir_fd, uid_t from_uid, uid_t to_uid, gid_t to_gid);

// The directory part and the last component of an absolute path ("/a/b" -> "/a", "b").
std::pair<std::string, std::string> split_last_component(const std::string& path);

} // namespace sandbox
