#pragma once

// `docker sandbox run --check`: capturing the self-check script's output and printing the
// comparison with the settings (the script and the comparison live in lib/run/self_check.*).

#include "context.h"

#include "run/run_options.h"
#include "run/run_session.h"

#include <string>

namespace sandbox::cli {

// Where the self-check script's output goes: a memory file, read once the sandbox exited.
class CheckCapture
{
public:
  CheckCapture();
  ~CheckCapture();
  CheckCapture(const CheckCapture&) = delete;
  CheckCapture& operator=(const CheckCapture&) = delete;

  int fd() const { return m_fd; }
  std::string text() const;

private:
  int m_fd;
};

// The hint when the check could not run: what the image needs for it.
inline constexpr const char* k_check_needs_shell = "--check runs /bin/sh in the image: it needs a POSIX shell (busybox is enough)";

// Prints what the sandbox could do next to what the settings promise. Returns 0 when all match,
// 1 otherwise. Throws Error when the script printed nothing (no shell in the image).
int report_check(CommandContext& ctx, const run::RunOptions& run, const run::RunOutcome& outcome, const std::string& text);

} // namespace sandbox::cli
