#include "run/volume_options.h"

#include "archive/tar_producer.h"
#include "util/file.h"
#include "util/identity.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <sys/stat.h>

namespace sandbox::run {

namespace {

bool is_empty_or_missing(const std::string& dir)
{
  struct stat st{};
  if (::lstat(dir.c_str(), &st) != 0) {
    return true;
  }
  return is_empty_directory(dir);
}

InputSpec parse_input(const std::string& text, const std::string& cwd)
{
  std::size_t colon = text.find(':');
  std::string host = text.substr(0, colon);
  InputSpec spec;
  spec.mount.target = sandbox_path(colon == std::string::npos ? k_inputs_target : text.substr(colon + 1), "--input");
  spec.mount.read_only = true;
  struct stat st{};
  std::string path = host.empty() ? "" : absolute_path(resolve_named_path(host, cwd, cwd, "--input " + text), "/");
  if (host.empty() || ::stat(path.c_str(), &st) != 0) {
    throw UsageError("--input " + text + ": " + (host.empty() ? "no host path" : host + " does not exist"));
  }
  archive::scan_host_path(path); // what cannot be archived is refused before anything is created
  spec.host_path = path;
  spec.directory = S_ISDIR(st.st_mode);
  return spec;
}

CollectSpec parse_collect(const std::string& text, const std::string& cwd)
{
  std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    throw UsageError("invalid --collect \"" + text + "\": expected CONTAINERPATH:HOSTDIR");
  }
  CollectSpec spec;
  spec.container_path = sandbox_path(text.substr(0, colon), "--collect");
  if (!is_within(spec.container_path, k_outputs_target)) {
    throw UsageError("invalid --collect \"" + text + "\": the path must be in " + k_outputs_target
                     + ", the run's output volume (tmpfs and the root filesystem cannot be copied out)");
  }
  spec.host_dir = absolute_path(resolve_named_path(text.substr(colon + 1), cwd, cwd, "--collect " + text), "/");
  if (!is_empty_or_missing(spec.host_dir)) {
    throw UsageError("--collect " + text + ": " + spec.host_dir + " must be missing or an empty directory");
  }
  return spec;
}

VolumeMount parse_volume(const std::string& text)
{
  std::size_t first = text.find(':');
  std::size_t second = first == std::string::npos ? std::string::npos : text.find(':', first + 1);
  std::string mode = second == std::string::npos ? "rw" : text.substr(second + 1);
  if (first == std::string::npos || first == 0 || (mode != "ro" && mode != "rw")) {
    throw UsageError("invalid --volume \"" + text + "\": expected NAME:PATH or NAME:PATH:ro");
  }
  VolumeMount mount;
  mount.volume = text.substr(0, first);
  mount.target = sandbox_path(text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1), "--volume");
  mount.read_only = mode == "ro";
  if (has_control_character(mount.volume) || mount.volume.find('/') != std::string::npos) {
    throw UsageError("invalid --volume \"" + text + "\": NAME must be a volume name, not a host path (use --input)");
  }
  return mount;
}

} // namespace

// A mount point or a path in the sandbox: absolute, no "..", no control character, not "/".
std::string sandbox_path(const std::string& path, const std::string& what)
{
  std::vector<std::string> parts = path_components(path);
  bool climbs = false;
  for (const std::string& part : parts) {
    climbs = climbs || part == "..";
  }
  if (path.empty() || path[0] != '/' || parts.empty() || climbs || has_control_character(path)) {
    throw UsageError("invalid " + what + " \"" + path + "\": expected an absolute path in the sandbox, other than /, without ..");
  }
  std::string out;
  for (const std::string& part : parts) {
    out += "/" + part;
  }
  return out;
}

std::string run_volume_prefix(const std::optional<std::string>& tenant, const std::string& run_label, const std::string& run_id)
{
  return (tenant ? "tenant-" + *tenant + "-" : "") + "run-" + run_label + (run_label == run_id ? "" : "-" + run_id);
}

void resolve_volume_options(const RunFlags& flags, const HostFacts& host, const RunIdentity& identity, RunOptions& out,
                            Problems& problems)
{
  out.tenant = flags.tenant;
  out.run_label = flags.run.value_or(identity.run_id);
  if (flags.run) {
    problems.check([&] { validate_id(*flags.run, "--run"); });
  }
  out.keep_volumes = flags.keep_volumes || flags.keep;
  for (const std::string& text : flags.volumes) {
    problems.check([&] { out.volumes.push_back(parse_volume(text)); });
  }
  for (const std::string& text : flags.inputs) {
    problems.check([&] { out.inputs.push_back(parse_input(text, host.cwd)); });
  }
  for (const std::string& text : flags.collects) {
    problems.check([&] { out.collects.push_back(parse_collect(text, host.cwd)); });
  }
  if (flags.collect_max_bytes) {
    problems.check([&] { out.collect_max_bytes = static_cast<std::uint64_t>(parse_size(*flags.collect_max_bytes, "--collect-max-bytes")); });
  }
  if (flags.collect_max_files) {
    problems.check([&] { out.collect_max_files = parse_count(*flags.collect_max_files, "--collect-max-files"); });
  }
  if ((!out.inputs.empty() || !out.collects.empty()) && !flags.tenant) {
    problems.add("--input and --collect need --tenant: the run's volumes belong to one tenant");
    return;
  }
  std::string prefix = run_volume_prefix(flags.tenant, out.run_label, identity.run_id);
  for (std::size_t i = 0; i < out.inputs.size(); ++i) {
    out.inputs[i].mount.volume = prefix + "-in" + std::to_string(i);
  }
  if (!out.collects.empty()) {
    out.output_volume = VolumeMount{prefix + "-out", k_outputs_target, false};
  }
  // Two mounts on one path would hide one of them.
  std::vector<std::string> targets;
  for (const BindSpec& bind : out.binds) {
    targets.push_back(bind.target);
  }
  for (const VolumeMount& mount : out.volumes) {
    targets.push_back(mount.target);
  }
  for (const InputSpec& input : out.inputs) {
    targets.push_back(input.mount.target);
  }
  if (out.output_volume) {
    targets.push_back(out.output_volume->target);
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    for (std::size_t j = i + 1; j < targets.size(); ++j) {
      if (targets[i] == targets[j]) {
        problems.add("two mounts on " + targets[i] + ": give --input, --volume and --workspace different paths");
      }
    }
  }
}

} // namespace sandbox::run
