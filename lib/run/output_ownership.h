#pragma once

// When root invokes a sandbox, the sandbox runs as an unprivileged uid; the output directory is
// lent to that uid for the run and everything it wrote is handed back to the invoker afterwards,
// so that results on the host belong to whoever ran the command.

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace sandbox::run {

class OutputLoan
{
public:
  // Lends `dir` to sandbox_uid:sandbox_gid (only when the invoker is root and the sandbox is not).
  // Throws Error when the directory cannot be handed over.
  OutputLoan(std::string dir, std::int64_t sandbox_uid, std::int64_t sandbox_gid, uid_t invoker_uid, gid_t invoker_gid);
  // Gives the directory back to its owner. Its contents go back to the invoker only after
  // hand_back_contents(): while a sandbox process might still run, walking a tree it can change
  // would let it swap a directory for a symlink under us.
  ~OutputLoan();

  // Marks the sandbox as gone (its container exited), so that every entry it left owned by the
  // sandbox uid is given to the invoker. Symbolic links are changed themselves, never followed.
  void hand_back_contents() { m_sandbox_gone = true; }
  OutputLoan(const OutputLoan&) = delete;
  OutputLoan& operator=(const OutputLoan&) = delete;

private:
  std::string m_dir;
  uid_t m_sandbox_uid = 0;
  uid_t m_invoker_uid = 0;
  gid_t m_invoker_gid = 0;
  uid_t m_saved_uid = 0;
  gid_t m_saved_gid = 0;
  bool m_active = false;
  bool m_sandbox_gone = false;
};

} // namespace sandbox::run
