#include "run/stage_repair.h"

#include "run/mount_pins.h"
#include "run/output_stage.h"
#include "run/stage_dirs.h"

#include <unistd.h>

namespace sandbox::run {

namespace {

void repair_in(const std::string& parent, bool is_stage_root, std::vector<std::string>& report)
{
  for (const AbandonedStage& stage : abandoned_stages(parent, ::getuid(), is_stage_root)) {
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
}

} // namespace

std::vector<std::string> repair_abandoned_stages(const std::string& project, const std::string& config_dir)
{
  std::vector<std::string> report;
  std::string root = stage_root(config_dir);
  if (!root.empty()) {
    repair_in(root, true, report);
  }
  std::string fallback = find_stage_dir(project + "/output", {project}, ::getuid(), "", "");
  if (!fallback.empty() && split_last_component(fallback).first != root) {
    repair_in(split_last_component(fallback).first, false, report);
  }
  return report;
}

} // namespace sandbox::run
