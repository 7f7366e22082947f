#include "run/host_side.h"

#include "run/stage_repair.h"
#include "util/file.h"

#include <algorithm>
#include <unistd.h>

namespace sandbox::run {

HostSide::Directories::Directories(const std::vector<std::string>& dirs)
{
  for (const std::string& dir : dirs) {
    std::vector<std::string> created = make_directories(dir);
    m_created.insert(m_created.end(), created.begin(), created.end());
  }
}

HostSide::Directories::~Directories()
{
  for (auto it = m_created.rbegin(); it != m_created.rend(); ++it) {
    if (std::find(m_kept.begin(), m_kept.end(), *it) == m_kept.end()) {
      ::rmdir(it->c_str()); // fails, harmlessly, when something was written there
    }
  }
}

HostSide::HostSide(const RunOptions& options, const HostFacts& host, const std::function<void(const std::string&)>& warn)
  : m_options(options), m_directories(options.dirs_to_create)
{
  if (!options.pins.empty() || options.staged_output) {
    for (const std::string& repaired : repair_abandoned_stages(host.cwd, host.config_dir)) {
      warn(repaired);
    }
  }
  if (options.staged_output) {
    m_output.emplace(*options.staged_output, options.sandbox_uid, options.sandbox_gid);
  }
  m_pins.emplace(options.pins);
}

HostSide::~HostSide() = default;

std::vector<std::string> HostSide::started()
{
  std::vector<std::string> problems = m_pins->release();
  if (m_options.output) {
    m_directories.keep(*m_options.output); // the sandbox ran: its output directory is the user's now
  }
  return problems;
}

std::vector<std::string> HostSide::finished()
{
  return m_output ? m_output->deliver() : std::vector<std::string>{};
}

} // namespace sandbox::run
