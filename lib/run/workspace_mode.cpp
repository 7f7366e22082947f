#include "run/workspace_mode.h"

#include "archive/tar_producer.h"
#include "run/volume_options.h"
#include "util/paths.h"
#include "util/printable.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace sandbox::run {

WorkspaceMode parse_workspace_mode(const std::optional<std::string>& text)
{
  if (!text || *text == "auto") {
    return WorkspaceMode::detect;
  }
  if (*text == "bind") {
    return WorkspaceMode::bind;
  }
  if (*text == "copy") {
    return WorkspaceMode::copy;
  }
  throw UsageError("invalid --workspace-mode \"" + *text + "\": expected bind, copy or auto");
}

void copy_instead_of_binding(const RunFlags& flags, RunOptions& out, Problems& problems)
{
  out.workspace_mode = WorkspaceMode::copy;
  for (const BindSpec& bind : out.binds) {
    if (bind.role == BindRole::host) {
      problems.add("-v " + printable(bind.source) + ":" + bind.target + ": a host path cannot be bound when the workspace is copied "
                   "(the engine may not see this host's directories); --input copies it into a volume");
    }
  }
  if (!out.workspace && !out.output) {
    return;
  }
  std::string prefix = run_volume_prefix(out.tenant, out.run_label, out.run_id);
  WorkspaceCopy copy;
  std::vector<std::string> skipped; // host paths that are not uploaded
  if (out.workspace) {
    if (flags.workspace_rw) {
      problems.add("--workspace-rw needs the workspace bound: what the sandbox wrote into a copy would be lost");
    }
    copy.workspace = VolumeMount{prefix + "-workspace", out.workspace_target, true};
    std::string under = out.workspace_target + "/";
    for (const TmpfsSpec& spec : out.tmpfs) {
      if (spec.target.rfind(under, 0) == 0) {
        copy.hollow.push_back(spec.target.substr(under.size()));
        skipped.push_back(*out.workspace + "/" + copy.hollow.back());
      }
    }
    if (out.output && out.output_target.starts_with(under)) {
      copy.hollow.push_back(out.output_target.substr(under.size()));
      skipped.push_back(*out.workspace + "/" + copy.hollow.back());
    }
    problems.check([&] {
      struct stat st{};
      if (::stat(out.workspace->c_str(), &st) != 0) {
        throw UsageError("cannot read the workspace " + *out.workspace + ": " + std::strerror(errno));
      }
      copy.identity = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
      try {
        archive::scan_host_path(*out.workspace, skipped);
      } catch (const Error& e) {
        throw UsageError(std::string("the workspace cannot be copied: ") + e.what() + " (--exclude it)");
      }
    });
  }
  if (out.output) {
    copy.output = VolumeMount{prefix + "-output", out.output_target, false};
  }
  // Nothing of the project is created or moved on the host: only the output directory, which
  // receives what the sandbox wrote.
  const std::optional<std::string>& workspace = out.workspace;
  out.dirs_to_create.erase(std::remove_if(out.dirs_to_create.begin(), out.dirs_to_create.end(),
                                          [&](const std::string& dir) {
                                            return workspace && is_within(dir, *workspace) && dir != *workspace && dir != out.output;
                                          }),
                           out.dirs_to_create.end());
  out.binds.clear();
  out.pins.clear();
  out.workspace_copy = std::move(copy);
}

std::string workspace_mode_line(const RunOptions& options, bool probed)
{
  std::string why = probed ? "the engine does not see this host's directories" : "--workspace-mode copy";
  std::string what = options.workspace && options.output ? "the workspace is copied in and the output copied back"
                     : options.workspace                 ? "the workspace is copied in"
                                                         : "the output is copied back";
  return what + " through run volumes (" + why + ")";
}

} // namespace sandbox::run
