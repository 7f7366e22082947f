#include "run/output_stage.h"

#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

// Moves every entry of from_fd into to_fd, merging directories; `where` names to_fd in messages.
void merge(int from_fd, int to_fd, const std::string& where, int depth, std::vector<std::string>& problems)
{
  for (const std::string& name : directory_names(from_fd)) {
    if (is_stage_name(name)) {
      problems.push_back(where + "/" + name + ": the names of the plugin's stage directories are reserved; not delivered");
      continue;
    }
    if (::renameat2(from_fd, name.c_str(), to_fd, name.c_str(), RENAME_NOREPLACE) == 0) {
      continue;
    }
    if (errno != EEXIST) {
      problems.push_back("cannot move " + where + "/" + name + " into place: " + std::strerror(errno));
      continue;
    }
    struct stat from, to;
    if (::fstatat(from_fd, name.c_str(), &from, AT_SYMLINK_NOFOLLOW) != 0
        || ::fstatat(to_fd, name.c_str(), &to, AT_SYMLINK_NOFOLLOW) != 0) {
      problems.push_back("cannot move " + where + "/" + name + " into place: " + std::strerror(errno));
      continue;
    }
    if (S_ISDIR(from.st_mode) && S_ISDIR(to.st_mode)) {
      UniqueFd from_child = open_child_directory(from_fd, name);
      UniqueFd to_child = open_child_directory(to_fd, name);
      if (from_child && to_child && depth < k_max_walk_depth) {
        merge(from_child.get(), to_child.get(), where + "/" + name, depth + 1, problems);
        ::unlinkat(from_fd, name.c_str(), AT_REMOVEDIR);
        continue;
      }
    } else if (!S_ISDIR(to.st_mode)) {
      // A file or a link in the way is replaced (as docker cp does); a link is never followed.
      if (!S_ISDIR(from.st_mode) ? ::renameat(from_fd, name.c_str(), to_fd, name.c_str()) == 0
                                 : ::unlinkat(to_fd, name.c_str(), 0) == 0
                                       && ::renameat2(from_fd, name.c_str(), to_fd, name.c_str(), RENAME_NOREPLACE) == 0) {
        continue;
      }
    }
    problems.push_back(where + "/" + name + ": " + (S_ISDIR(to.st_mode) ? "a directory" : "a file")
                       + " of that name is in the way");
  }
}

// Gives the sandbox's files to the invoker and moves them into `target`. Returns the problems.
std::vector<std::string> deliver_from(int stage_fd, const std::string& entry, const std::string& target,
                                      std::optional<uid_t> from_uid)
{
  std::vector<std::string> problems;
  UniqueFd staged = open_child_directory(stage_fd, entry);
  if (!staged) {
    return problems;
  }
  // Nothing is delivered that would still belong to the sandbox user.
  if (from_uid && !change_owner_beneath(staged.get(), *from_uid, ::getuid(), ::getgid())) {
    problems.push_back("cannot give all of the sandbox's output to you (nested deeper than "
                       + std::to_string(k_max_walk_depth) + " directories, or a change refused)");
    return problems;
  }
  UniqueFd output;
  try {
    output = open_directory_nofollow(target);
  } catch (const Error& e) {
    problems.push_back(std::string("cannot deliver the output into ") + e.what());
    return problems;
  }
  merge(staged.get(), output.get(), target, 0, problems);
  return problems;
}

} // namespace

std::string StagedOutput::staged() const
{
  return stage_dir + "/output";
}

OutputStage::OutputStage(const StagedOutput& spec, std::optional<std::int64_t> sandbox_uid,
                         std::optional<std::int64_t> sandbox_gid)
  : m_spec(spec), m_stage(spec.stage_dir, StageManifest{"output", "output", spec.target}), m_sandbox_uid(::getuid())
{
  if (::mkdirat(m_stage.fd(), "output", 0755) != 0) {
    throw Error("cannot create " + spec.staged() + ": " + std::strerror(errno));
  }
  if (::getuid() == 0 && sandbox_uid && *sandbox_uid != 0) {
    m_sandbox_uid = static_cast<uid_t>(*sandbox_uid);
    gid_t gid = static_cast<gid_t>(sandbox_gid.value_or(*sandbox_uid));
    if (::fchownat(m_stage.fd(), "output", m_sandbox_uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
      throw Error("cannot give " + spec.staged() + " to the sandbox user: " + std::strerror(errno));
    }
    m_handed_over = true;
  }
}

OutputStage::~OutputStage()
{
  // A run that ended by an error may have left its sandbox running (the engine went away): what it
  // wrote stays staged, for the next run or prune to deliver once it is gone. An empty one goes.
  if (!m_delivered && ::unlinkat(m_stage.fd(), "output", AT_REMOVEDIR) != 0) {
    m_stage.keep();
  }
}

std::vector<std::string> OutputStage::deliver()
{
  m_delivered = true;
  std::vector<std::string> problems = deliver_from(m_stage.fd(), "output", m_spec.target,
                                                   m_handed_over ? std::optional<uid_t>(m_sandbox_uid) : std::nullopt);
  if (!problems.empty()) {
    m_stage.keep(); // the next run here, or prune, delivers it
    problems.back() += "; kept in " + m_spec.staged();
  }
  ::fchownat(m_stage.fd(), "output", ::getuid(), ::getgid(), AT_SYMLINK_NOFOLLOW);
  return problems;
}

std::vector<std::string> repair_output(const AbandonedStage& stage)
{
  // The sandbox user is not recorded: everything but the invoker's own files is handed over.
  struct stat st;
  std::optional<uid_t> from;
  if (::fstatat(stage.fd.get(), stage.manifest.entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_uid != ::getuid()) {
    from = st.st_uid;
  }
  std::vector<std::string> problems = deliver_from(stage.fd.get(), stage.manifest.entry, stage.manifest.target, from);
  if (problems.empty()) {
    return {"delivered into " + stage.manifest.target + " what a killed run had left in " + stage.path};
  }
  return problems;
}

} // namespace sandbox::run
