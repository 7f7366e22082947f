#include "run/output_ownership.h"

#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

// nftw takes a plain function; the walk is single-threaded and short-lived.
uid_t g_from_uid;
uid_t g_to_uid;
gid_t g_to_gid;

int hand_back(const char* path, const struct stat* st, int, FTW*)
{
  if (st->st_uid == g_from_uid) {
    ::lchown(path, g_to_uid, g_to_gid);
  }
  return 0;
}

// Changes the owner of the directory itself: opened without following a symlink, changed
// through the descriptor.
bool change_owner(const std::string& dir, uid_t uid, gid_t gid)
{
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  bool ok = ::fchown(fd, uid, gid) == 0;
  ::close(fd);
  return ok;
}

} // namespace

OutputLoan::OutputLoan(std::string dir, std::int64_t sandbox_uid, std::int64_t sandbox_gid, uid_t invoker_uid,
                       gid_t invoker_gid)
  : m_dir(std::move(dir)),
    m_sandbox_uid(static_cast<uid_t>(sandbox_uid)),
    m_invoker_uid(invoker_uid),
    m_invoker_gid(invoker_gid)
{
  if (invoker_uid != 0 || sandbox_uid == 0) {
    return;
  }
  struct stat st;
  if (::lstat(m_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw Error("output directory " + m_dir + " is missing");
  }
  m_saved_uid = st.st_uid;
  m_saved_gid = st.st_gid;
  if (!change_owner(m_dir, static_cast<uid_t>(sandbox_uid), static_cast<gid_t>(sandbox_gid))) {
    throw Error("cannot lend the output directory " + m_dir + " to the sandbox user: " + std::strerror(errno));
  }
  m_active = true;
}

OutputLoan::~OutputLoan()
{
  if (!m_active) {
    return;
  }
  if (m_sandbox_gone) {
    g_from_uid = m_sandbox_uid;
    g_to_uid = m_invoker_uid;
    g_to_gid = m_invoker_gid;
    ::nftw(m_dir.c_str(), hand_back, 16, FTW_PHYS | FTW_MOUNT);
  }
  change_owner(m_dir, m_saved_uid, m_saved_gid);
}

} // namespace sandbox::run
