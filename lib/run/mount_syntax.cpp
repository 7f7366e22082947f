#include "run/mount_syntax.h"

#include "util/error.h"
#include "util/printable.h"

#include <optional>

namespace sandbox::run {

namespace {

std::vector<std::string> split(const std::string& text, char separator)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) {
      return parts;
    }
    start = end + 1;
  }
}

// readonly, readonly=true|1, readonly=false|0.
bool parse_bool(const std::string& value, const std::string& typed)
{
  if (value.empty() || value == "true" || value == "1") {
    return true;
  }
  if (value == "false" || value == "0") {
    return false;
  }
  throw UsageError("invalid " + typed + ": readonly takes true or false");
}

void add(SortedMounts& out, const std::string& type, const std::string& source, const std::string& target,
         bool read_only, const std::string& typed)
{
  if (type == "bind") {
    out.binds.push_back({source, target, read_only, typed});
  } else {
    out.volumes.push_back(source + ":" + target + (read_only ? ":ro" : ""));
  }
}

} // namespace

bool is_host_path_source(const std::string& source)
{
  return !source.empty() && (source[0] == '/' || source[0] == '.');
}

void sort_volume_flag(const std::string& text, SortedMounts& out)
{
  std::string typed = "-v " + printable(text);
  std::vector<std::string> parts = split(text, ':');
  if (parts.size() == 1) {
    throw UsageError("invalid " + typed + ": -v PATH alone makes an anonymous volume, which a sandbox does not keep; "
                     "--tmpfs PATH gives scratch space, -v NAME:PATH a volume");
  }
  if (parts.size() > 3 || parts[0].empty() || parts[1].empty()) {
    throw UsageError("invalid " + typed + ": expected HOSTPATH:PATH[:ro|rw] or NAME:PATH[:ro|rw]");
  }
  std::optional<bool> read_only;
  if (parts.size() == 3) {
    for (const std::string& mode : split(parts[2], ',')) {
      if (mode != "ro" && mode != "rw") {
        throw UsageError("invalid " + typed + ": the mode \"" + printable(mode)
                         + "\" is not taken (only ro and rw; relabelling and propagation stay the engine's defaults)");
      }
      if (read_only && *read_only != (mode == "ro")) {
        throw UsageError("invalid " + typed + ": both ro and rw");
      }
      read_only = mode == "ro";
    }
  }
  if (is_host_path_source(parts[0])) {
    add(out, "bind", parts[0], parts[1], read_only.value_or(true), typed);
  } else {
    add(out, "volume", parts[0], parts[1], read_only.value_or(false), typed);
  }
}

void sort_mount_flag(const std::string& text, SortedMounts& out)
{
  std::string typed = "--mount " + printable(text);
  std::string type = "volume";
  std::string source;
  std::string target;
  bool read_only = false;
  bool read_only_given = false;
  std::vector<std::string> tmpfs_options;
  for (const std::string& field : split(text, ',')) {
    std::size_t eq = field.find('=');
    std::string key = field.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : field.substr(eq + 1);
    if (key == "type") {
      type = value;
    } else if (key == "source" || key == "src") {
      source = value;
    } else if (key == "target" || key == "destination" || key == "dst") {
      target = value;
    } else if (key == "readonly" || key == "ro") {
      read_only = parse_bool(value, typed);
      read_only_given = true;
    } else if (key == "tmpfs-size") {
      tmpfs_options.push_back("size=" + value);
    } else if (key == "tmpfs-mode") {
      tmpfs_options.push_back("mode=" + value);
    } else if (key == "consistency") {
      // macOS only; the engine ignores it on Linux.
    } else {
      throw UsageError("invalid " + typed + ": \"" + printable(key)
                       + "\" is not taken (type, source, target, readonly, tmpfs-size and tmpfs-mode are)");
    }
  }
  if (type != "bind" && type != "volume" && type != "tmpfs") {
    throw UsageError("invalid " + typed + ": the type must be bind, volume or tmpfs");
  }
  if (target.empty()) {
    throw UsageError("invalid " + typed + ": target= is required");
  }
  if (type == "tmpfs") {
    if (!source.empty() || read_only_given) {
      throw UsageError("invalid " + typed + ": a tmpfs takes no source and is never read-only");
    }
    std::string options;
    for (const std::string& option : tmpfs_options) {
      options += (options.empty() ? "" : ",") + option;
    }
    out.tmpfs.push_back(target + (options.empty() ? "" : ":" + options));
    return;
  }
  if (!tmpfs_options.empty()) {
    throw UsageError("invalid " + typed + ": tmpfs options need type=tmpfs");
  }
  if (source.empty()) {
    throw UsageError("invalid " + typed + ": source= is required (a sandbox makes no anonymous volumes)");
  }
  if (type == "volume" && is_host_path_source(source)) {
    throw UsageError("invalid " + typed + ": a volume's source is its name (type=bind binds a host path)");
  }
  add(out, type, source, target, type == "bind" ? !read_only_given || read_only : read_only, typed);
}

} // namespace sandbox::run
