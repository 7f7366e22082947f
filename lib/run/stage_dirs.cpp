#include "run/stage_dirs.h"

#include "util/error.h"
#include "util/file.h"
#include "util/paths.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

constexpr const char* k_manifest = "manifest";

bool inside(const std::string& path, const std::string& dir)
{
  return path == dir || (dir == "/" ? !path.empty() : path.rfind(dir + "/", 0) == 0);
}

// True when `parent` keeps other users from renaming its entry `child`.
bool guards(const struct stat& parent, const struct stat& child, uid_t invoker)
{
  if (parent.st_uid != 0 && parent.st_uid != invoker) {
    return false;
  }
  if (!(parent.st_mode & (S_IWGRP | S_IWOTH))) {
    return true;
  }
  return (parent.st_mode & S_ISVTX) && (child.st_uid == 0 || child.st_uid == invoker);
}

// Every ancestor of the absolute `path`, outermost first ("/a/b" -> "/", "/a").
std::vector<std::string> ancestors(const std::string& path)
{
  std::vector<std::string> out{"/"};
  std::string prefix;
  std::vector<std::string> parts = path_components(path);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    prefix += "/" + parts[i];
    out.push_back(prefix);
  }
  return out;
}

// True when no component of `path` (which exists) can be renamed by anyone but root or invoker.
bool stable(const std::string& path, uid_t invoker)
{
  std::vector<std::string> chain = ancestors(path);
  chain.push_back(path);
  for (std::size_t i = 1; i < chain.size(); ++i) {
    struct stat parent, child;
    if (::lstat(chain[i - 1].c_str(), &parent) != 0 || ::lstat(chain[i].c_str(), &child) != 0
        || !guards(parent, child, invoker)) {
      return false;
    }
  }
  return true;
}

std::string join(const std::string& dir, const std::string& name)
{
  return (dir == "/" ? "" : dir) + "/" + name;
}

StageManifest parse_manifest(const std::string& text)
{
  StageManifest manifest;
  std::size_t first = text.find('\t');
  std::size_t second = first == std::string::npos ? first : text.find('\t', first + 1);
  std::size_t end = text.find('\n');
  if (second == std::string::npos || end == std::string::npos || end < second) {
    return manifest;
  }
  manifest.kind = text.substr(0, first);
  manifest.entry = text.substr(first + 1, second - first - 1);
  manifest.target = text.substr(second + 1, end - second - 1);
  if (manifest.entry.empty() || manifest.entry.find('/') != std::string::npos || manifest.entry == "."
      || manifest.entry == ".." || manifest.entry == k_manifest || manifest.target.empty() || manifest.target[0] != '/') {
    return {};
  }
  return manifest;
}

// The absolute directory `path`, made (0700) with what is missing of its parents, which must
// then be the invoker's own and private (the stage root's sandbox/ and stages/).
UniqueFd open_private_directories(const std::string& path)
{
  try {
    return open_directory_nofollow(path);
  } catch (const Error&) {
  }
  auto [parent, name] = split_last_component(path);
  UniqueFd parent_fd = open_private_directories(parent);
  if (::mkdirat(parent_fd.get(), name.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error("cannot create " + path + ": " + std::strerror(errno));
  }
  UniqueFd fd = open_child_directory(parent_fd.get(), name);
  struct stat st;
  if (!fd || ::fstat(fd.get(), &st) != 0 || st.st_uid != ::geteuid() || (st.st_mode & 077)) {
    throw Error(path + " is not a private directory of yours");
  }
  return fd;
}

// Removes `entry` in dir_fd when it is an empty directory or not a directory.
void remove_entry(int dir_fd, const std::string& entry)
{
  if (::unlinkat(dir_fd, entry.c_str(), AT_REMOVEDIR) != 0 && errno == ENOTDIR) {
    ::unlinkat(dir_fd, entry.c_str(), 0);
  }
}

} // namespace

bool path_can_be_swapped(const std::string& path, const std::vector<std::string>& hostile, uid_t invoker)
{
  for (const std::string& ancestor : ancestors(path)) {
    for (const std::string& dir : hostile) {
      if (inside(ancestor, dir)) {
        return true;
      }
    }
  }
  return !stable(path, invoker);
}

std::string stage_root(const std::string& config_dir)
{
  return config_dir.empty() ? "" : config_dir + "/sandbox/stages";
}

std::string find_stage_dir(const std::string& path, const std::vector<std::string>& hostile, uid_t invoker,
                           const std::string& name, const std::string& root)
{
  struct stat target;
  if (::stat(path.c_str(), &target) != 0) {
    // Not created yet: it will be made in its parent, on the parent's filesystem.
    if (::stat(split_last_component(path).first.c_str(), &target) != 0) {
      return "";
    }
  }
  // The stage root and the directories above it that exist must be the invoker's (or root's), on
  // the target's filesystem; what is missing is made 0700 when the stage is.
  for (std::string dir = root; !dir.empty() && dir != "/"; dir = split_last_component(dir).first) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
      struct stat own{};
      own.st_uid = invoker;
      if (st.st_dev == target.st_dev && guards(st, own, invoker) && stable(dir, invoker)
          && ::access(dir.c_str(), W_OK | X_OK) == 0) {
        return join(root, k_stage_prefix + name);
      }
      break;
    }
  }
  std::vector<std::string> chain = ancestors(path);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    struct stat st;
    bool in_hostile = std::any_of(hostile.begin(), hostile.end(), [&](const std::string& dir) { return inside(*it, dir); });
    if (in_hostile || ::stat(it->c_str(), &st) != 0) {
      continue;
    }
    if (st.st_dev != target.st_dev) {
      break; // a filesystem boundary: nothing further up can take a rename
    }
    struct stat own{};
    own.st_uid = invoker;
    if (guards(st, own, invoker) && stable(*it, invoker) && ::access(it->c_str(), W_OK | X_OK) == 0) {
      return join(*it, k_stage_prefix + name);
    }
  }
  return "";
}

bool is_stage_name(const std::string& name)
{
  return name.rfind(".docker-sandbox", 0) == 0;
}

StageDir::StageDir(std::string path, const StageManifest& manifest) : m_path(std::move(path)), m_entry(manifest.entry)
{
  // Made under a name repairs do not look at, and given its real name only once it is locked and
  // has its manifest: a concurrent run's repair must never take it for an abandoned one.
  auto [parent, name] = split_last_component(m_path);
  std::string making = std::string(k_stage_making_prefix) + name.substr(std::strlen(k_stage_prefix));
  m_parent = open_private_directories(parent);
  if (::mkdirat(m_parent.get(), making.c_str(), 0700) != 0) {
    throw Error("cannot create the stage directory " + m_path + ": " + std::strerror(errno));
  }
  m_fd = open_child_directory(m_parent.get(), making);
  struct stat st;
  if (!m_fd || ::fstat(m_fd.get(), &st) != 0 || st.st_uid != ::geteuid() || (st.st_mode & 077)) {
    ::unlinkat(m_parent.get(), making.c_str(), AT_REMOVEDIR);
    throw Error("the stage directory " + m_path + " is not the private directory just made");
  }
  ::flock(m_fd.get(), LOCK_EX);
  std::string line = manifest.kind + '\t' + manifest.entry + '\t' + manifest.target + '\n';
  int fd = ::openat(m_fd.get(), k_manifest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  ssize_t wrote = fd >= 0 ? ::write(fd, line.data(), line.size()) : -1;
  int error = wrote < 0 ? errno : EIO;
  if (fd >= 0) {
    ::close(fd);
  }
  bool written = wrote == static_cast<ssize_t>(line.size());
  if (written && ::renameat2(m_parent.get(), making.c_str(), m_parent.get(), name.c_str(), RENAME_NOREPLACE) != 0) {
    written = false;
    error = errno;
  }
  if (!written) {
    ::unlinkat(m_fd.get(), k_manifest, 0);
    ::unlinkat(m_parent.get(), making.c_str(), AT_REMOVEDIR);
    throw Error("cannot make the stage directory " + m_path + ": " + std::strerror(error));
  }
}

StageDir::~StageDir()
{
  if (m_keep) {
    return;
  }
  remove_entry(m_fd.get(), m_entry);
  ::unlinkat(m_fd.get(), k_manifest, 0);
  ::unlinkat(m_parent.get(), split_last_component(m_path).second.c_str(), AT_REMOVEDIR);
}

void StageDir::drop_manifest()
{
  ::unlinkat(m_fd.get(), k_manifest, 0);
}

std::vector<AbandonedStage> abandoned_stages(const std::string& parent, uid_t invoker, bool is_stage_root)
{
  std::vector<AbandonedStage> out;
  UniqueFd parent_fd;
  std::vector<std::string> names;
  try {
    parent_fd = open_directory_nofollow(parent);
    names = directory_entries(parent);
  } catch (const Error&) {
    return out;
  }
  for (const std::string& name : names) {
    if (name.rfind(k_stage_prefix, 0) != 0) {
      continue;
    }
    AbandonedStage stage{join(parent, name), open_child_directory(parent_fd.get(), name), {}};
    struct stat st;
    if (!stage.fd || ::fstat(stage.fd.get(), &st) != 0 || st.st_uid != invoker || (st.st_mode & 077)
        || ::flock(stage.fd.get(), LOCK_EX | LOCK_NB) != 0) {
      continue; // not ours, or its run is alive
    }
    int fd = ::openat(stage.fd.get(), k_manifest, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      char buffer[8192];
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      ::close(fd);
      stage.manifest = parse_manifest(std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0));
      if (!is_stage_root && !inside(stage.manifest.target, parent)) {
        stage.manifest = {};
      }
    }
    out.push_back(std::move(stage));
  }
  return out;
}

void remove_stage(const AbandonedStage& stage)
{
  bool left = false;
  for (const std::string& entry : directory_names(stage.fd.get())) {
    if (entry != k_manifest) {
      remove_entry(stage.fd.get(), entry);
      left = left || ::faccessat(stage.fd.get(), entry.c_str(), F_OK, AT_SYMLINK_NOFOLLOW) == 0;
    }
  }
  if (left) {
    return; // still holds something: the manifest stays, for the next repair
  }
  ::unlinkat(stage.fd.get(), k_manifest, 0);
  try {
    auto [parent, name] = split_last_component(stage.path);
    ::unlinkat(open_directory_nofollow(parent).get(), name.c_str(), AT_REMOVEDIR);
  } catch (const Error&) {
  }
}

} // namespace sandbox::run
