#include "run/stage_repair.h"

#include "run/mount_pins.h"
#include "run/output_stage.h"
#include "run/stage_dirs.h"

#include <unistd.h>

namespace sandbox::run {

std::vector<std::string> repair_abandoned_stages(const std::string& parent)
{
  std::vector<std::string> report;
  for (const AbandonedStage& stage : abandoned_stages(parent, ::getuid())) {
    if (stage.manifest.kind == "pin") {
      if (std::string line = repair_pin(stage); !line.empty()) {
        report.push_back(line);
      }
    } else if (stage.manifest.kind == "output") {
      std::vector<std::string> lines = repair_output(stage);
      report.insert(report.end(), lines.begin(), lines.end());
    }
    remove_stage(stage); // only what is empty goes
  }
  return report;
}

std::string stage_parent_for(const std::string& project)
{
  std::string stage = find_stage_dir(project + "/output", {project}, ::getuid(), "", true);
  return stage.empty() ? "" : split_last_component(stage).first;
}

} // namespace sandbox::run
