#include "commands/run_check.h"

#include "run/self_check.h"
#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <iomanip>
#include <map>
#include <ostream>
#include <sys/syscall.h>
#include <unistd.h>

namespace sandbox::cli {

CheckCapture::CheckCapture() : m_fd(static_cast<int>(::syscall(SYS_memfd_create, "docker-sandbox-check", 0)))
{
  if (m_fd < 0) {
    throw Error(std::string("cannot create a memory file for --check: ") + std::strerror(errno));
  }
}

CheckCapture::~CheckCapture()
{
  ::close(m_fd);
}

std::string CheckCapture::text() const
{
  std::string out;
  char buffer[4096];
  ssize_t n;
  off_t offset = 0;
  while ((n = ::pread(m_fd, buffer, sizeof buffer, offset)) > 0) {
    out.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
  return out;
}

int report_check(CommandContext& ctx, const run::RunOptions& run, const run::RunOutcome& outcome, const std::string& text)
{
  std::map<std::string, std::string> found = run::parse_check_output(text);
  if (found.empty()) {
    throw Error("the self-check printed nothing (exit status " + std::to_string(outcome.status_code) + ")",
                k_check_needs_shell);
  }
  std::vector<run::CheckRow> rows = run::compare_check(run, found);
  ctx.out() << "Seen from inside the sandbox (" << run.image << "):\n";
  ctx.out() << std::left << "  " << std::setw(52) << "CHECK" << std::setw(20) << "EXPECTED" << std::setw(20) << "FOUND" << '\n';
  int mismatches = 0;
  for (const run::CheckRow& row : rows) {
    ctx.out() << "  " << std::setw(52) << row.what << std::setw(20) << (row.expected.empty() ? "-" : row.expected)
              << std::setw(20) << row.found << (row.ok ? "ok" : "MISMATCH") << '\n';
    mismatches += row.ok ? 0 : 1;
  }
  if (std::string note = run::check_note(found); !note.empty()) {
    ctx.out() << "  " << note << '\n';
  }
  if (mismatches > 0) {
    ctx.err() << "docker sandbox: run: --check: " << mismatches << " finding(s) differ from the settings\n";
    return 1;
  }
  return 0;
}

} // namespace sandbox::cli
