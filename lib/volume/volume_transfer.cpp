#include "volume/volume_transfer.h"

#include "archive/member_rules.h"
#include "engine/container_archive.h"
#include "util/error.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/printable.h"
#include "volume/helper_container.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

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

std::vector<std::string> fill_volumes(engine::EngineClient& client, const std::vector<VolumeFill>& fills,
                                      const std::vector<std::pair<std::string, std::string>>& labels,
                                      const TransferHooks& hooks)
{
  archive::TarProducer producer;
  std::vector<HelperMount> mounts;
  for (std::size_t i = 0; i < fills.size(); ++i) {
    const VolumeFill& fill = fills[i];
    mounts.push_back({fill.volume, "/" + mount_point(i), false});
    // The destination directory (the volume's root by default) and each directory on the way to
    // it get the ownership, so that the sandbox can use them.
    std::string prefix = mount_point(i);
    std::string dest = checked_volume_path(fill.dest, "destination");
    if (dest.empty()) {
      producer.add_directory(prefix, fill.ownership);
    }
    std::size_t pos = 0;
    while (!dest.empty() && pos != std::string::npos) {
      pos = dest.find('/', pos + 1);
      producer.add_directory(prefix + "/" + dest.substr(0, pos), fill.ownership);
    }
    std::string base = dest.empty() ? prefix : prefix + "/" + dest;
    for (const std::string& source : fill.sources) {
      if (source == "-") {
        producer.add_tar(STDIN_FILENO, base, fill.ownership);
      } else if (copies_contents(source)) {
        std::string dir = source.substr(0, source.size() - 2);
        for (const std::string& child : directory_entries(dir)) {
          producer.add_host_path(dir + "/" + child, base + "/" + child, fill.ownership);
        }
      } else {
        producer.add_host_path(source, base + "/" + base_name(source), fill.ownership);
      }
    }
  }
  ensure_helper_image(client);
  HelperContainer helper(client, mounts, labels);
  engine::put_archive(client, helper.id(), "/", [&](std::string& chunk) {
    bool more = producer.next(chunk);
    if (hooks.progress) {
      hooks.progress(producer.content_bytes());
    }
    return more;
  }, hooks.cancel_fd);
  std::vector<std::string> warnings;
  for (const std::string& file : producer.changed_files()) {
    warnings.push_back(file + " changed while it was copied; the volume holds it as it was when copying began");
  }
  return warnings;
}

namespace {

// Calls use(helper id, path of `read` in it) on a read-only helper, after checking the path exists.
template <typename Use> auto with_helper(engine::EngineClient& client, const VolumeRead& read, Use use)
{
  std::string relative = checked_volume_path(read.path, "path");
  std::string path = "/" + mount_point(0) + (relative.empty() ? "" : "/" + relative);
  ensure_helper_image(client);
  HelperContainer helper(client, {{read.volume, "/" + mount_point(0), true}}, {});
  if (!engine::stat_without_links(client, helper.id(), path)) {
    throw Error(relative + " does not exist in volume " + read.volume);
  }
  return use(helper.id(), path);
}

} // namespace

archive::ExtractResult extract_from_container(engine::EngineClient& client, const std::string& container,
                                              const std::string& path, archive::ExtractOptions options,
                                              const TransferHooks& hooks)
{
  engine::ArchiveDownload download(client, container, path, hooks.cancel_fd);
  options.root_name = path.substr(path.rfind('/') + 1);
  return archive::extract_safely([&](char* buffer, std::size_t size) {
    std::size_t n = download.read(buffer, size);
    if (hooks.progress) {
      hooks.progress(download.received());
    }
    return n;
  }, options);
}

archive::ExtractResult copy_out(engine::EngineClient& client, const VolumeRead& read, archive::ExtractOptions options,
                                const TransferHooks& hooks)
{
  return with_helper(client, read, [&](const std::string& helper, const std::string& path) {
    return extract_from_container(client, helper, path, options, hooks);
  });
}

void copy_out_tar(engine::EngineClient& client, const VolumeRead& read, int fd, const TransferHooks& hooks)
{
  with_helper(client, read, [&](const std::string& helper, const std::string& path) {
    engine::ArchiveDownload download(client, helper, path, hooks.cancel_fd);
    std::vector<char> buffer(256 * 1024);
    std::size_t n;
    while ((n = download.read(buffer.data(), buffer.size())) > 0) {
      const char* data = buffer.data();
      while (n > 0) {
        ssize_t written = ::write(fd, data, n);
        if (written < 0 && errno == EINTR) {
          continue;
        }
        if (written <= 0) {
          throw Error(std::string("cannot write the archive: ") + std::strerror(errno));
        }
        data += written;
        n -= static_cast<std::size_t>(written);
      }
      if (hooks.progress) {
        hooks.progress(download.received());
      }
    }
    return 0;
  });
}

} // namespace sandbox::volume
