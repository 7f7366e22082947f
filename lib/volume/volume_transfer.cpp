#include "volume/volume_transfer.h"

#include "archive/member_rules.h"
#include "util/error.h"
#include "util/paths.h"
#include "util/printable.h"

#include <cerrno>
#include <optional>
#include <cstring>
#include <sys/stat.h>

namespace sandbox::volume {

namespace {

std::string mount_point(std::size_t index)
{
  return "v" + std::to_string(index);
}

// "dir/." copies the contents of dir, anything else the file or directory itself (as docker cp).
bool copies_contents(const std::string& source)
{
  return source.size() >= 2 && source.compare(source.size() - 2, 2, "/.") == 0;
}

std::string base_name(std::string source)
{
  while (source.size() > 1 && source.back() == '/') {
    source.pop_back();
  }
  return source.substr(source.rfind('/') + 1);
}

} // namespace

std::string checked_volume_path(const std::string& path, const std::string& what)
{
  std::string relative = path;
  relative.erase(0, relative.find_first_not_of('/'));
  if (relative.empty()) {
    return "";
  }
  std::string why;
  std::optional<std::vector<std::string>> parts = archive::member_components(relative, why);
  if (!parts) {
    throw UsageError("invalid " + what + " \"" + printable(path) + "\": " + why);
  }
  return archive::join(*parts);
}

std::uint64_t check_fills(const std::vector<VolumeFill>& fills)
{
  std::uint64_t bytes = 0;
  for (const VolumeFill& fill : fills) {
    checked_volume_path(fill.dest, "destination");
    for (const std::string& source : fill.sources) {
      if (source == "-") {
        if (fill.sources.size() > 1) {
          throw UsageError("\"-\" (a tar on stdin) cannot be combined with other sources");
        }
        continue;
      }
      if (base_name(source) == "/" || base_name(source) == ".." || base_name(source).empty()) {
        throw UsageError("cannot put \"" + source + "\": name a file or directory, or DIR/. for its contents");
      }
      struct stat st{};
      if (::lstat(source.c_str(), &st) != 0) {
        throw Error("cannot put " + source + ": " + std::strerror(errno));
      }
      bytes += archive::scan_host_path(copies_contents(source) ? source.substr(0, source.size() - 2) : source).bytes;
    }
  }
  return bytes;
}

plan::Plan plan_put(const VolumeFill& fill, const Requester& requester, engine::ApiVersion version,
                    const engine::EngineFeatures& features)
{
  plan::Plan plan;
  plan.api_version = version;
  plan.steps.push_back(find_volume_step("volume", fill.volume, requester.tenant));
  plan::TarEntry owner;
  owner.uid = fill.ownership.uid;
  owner.gid = fill.ownership.gid;
  owner.mode = fill.ownership.mode;
  plan::Upload upload;
  // The destination directory (the volume's root by default) and each directory on the way to it
  // get the ownership, so that the sandbox can use them. Members are named below the volume's
  // mount point, "." being its root.
  std::string dir = "/" + mount_point(0);
  std::string dest = checked_volume_path(fill.dest, "destination");
  auto directory = [&](const std::string& member) {
    plan::TarEntry entry = owner;
    entry.source = plan::TarEntry::Source::directory;
    entry.member = member;
    return entry;
  };
  std::optional<plan::Upload> roots;
  if (dest.empty()) {
    upload.entries.push_back(directory("."));
    roots = plan::Upload{{directory(mount_point(0))}};
  }
  std::size_t pos = 0;
  while (!dest.empty() && pos != std::string::npos) {
    pos = dest.find('/', pos + 1);
    upload.entries.push_back(directory(dest.substr(0, pos)));
  }
  std::string base = dest.empty() ? "." : dest;
  for (const std::string& source : fill.sources) {
    plan::TarEntry entry = owner;
    if (source == "-") {
      entry.source = plan::TarEntry::Source::stdin_tar;
      entry.member = base;
    } else if (copies_contents(source)) {
      entry.source = plan::TarEntry::Source::contents;
      entry.host_path = source.substr(0, source.size() - 2);
      entry.member = base;
    } else {
      entry.host_path = source;
      entry.member = archive::child_member(base, base_name(source));
    }
    upload.entries.push_back(entry);
  }
  for (plan::Step& step : helper_image_steps()) {
    plan.steps.push_back(std::move(step));
  }
  plan.steps.push_back(create_helper_step("helper", {{fill.volume, dir, false}}, requester.helper_labels,
                                          requester.unique));
  FillSteps filled = fill_steps("{helper.Id}", {{fill.volume, dir, std::move(upload)}}, roots.value_or(plan::Upload{}),
                                features.put_reaches_mounts);
  for (std::vector<plan::Step>* steps : {&filled.uploads, &filled.checks}) {
    for (plan::Step& step : *steps) {
      plan.steps.push_back(std::move(step));
    }
  }
  plan.steps.push_back(remove_helper_step("helper-remove", "helper"));
  plan.cleanup.push_back(remove_helper_cleanup("helper-cleanup", "helper", "helper-remove"));
  return plan;
}

plan::Plan plan_get(const VolumeRead& read, plan::Download download, const Requester& requester,
                    engine::ApiVersion version)
{
  std::string relative = checked_volume_path(read.path, "path");
  std::string root = "/" + mount_point(0);
  plan::Plan plan;
  plan.api_version = version;
  plan.steps.push_back(find_volume_step("volume", read.volume, requester.tenant));
  for (plan::Step& step : helper_image_steps()) {
    plan.steps.push_back(std::move(step));
  }
  plan.steps.push_back(create_helper_step("helper", {{read.volume, root, true}}, requester.helper_labels, requester.unique));
  for (plan::Step& step : download_steps("download", "{helper.Id}", root, relative.empty() ? root : root + "/" + relative,
                                         std::move(download), relative + " does not exist in volume " + read.volume)) {
    plan.steps.push_back(std::move(step));
  }
  plan.steps.push_back(remove_helper_step("helper-remove", "helper"));
  plan.cleanup.push_back(remove_helper_cleanup("helper-cleanup", "helper", "helper-remove"));
  return plan;
}

} // namespace sandbox::volume
