#include "run/tmpfs.h"

#include "engine/container_archive.h"
#include "run/command_lookup.h"
#include "util/error.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <algorithm>
#include <charconv>

namespace sandbox::run {

namespace {

std::string octal(unsigned mode)
{
  char text[8];
  auto [end, ec] = std::to_chars(text, text + sizeof text, mode, 8);
  (void)ec;
  return std::string(text, end);
}

constexpr engine::ApiVersion k_tmpfs_options_api{1, 46};

std::int64_t parse_id(const std::string& key, const std::string& value, const std::string& text)
{
  std::int64_t id = -1;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
  if (ec != std::errc() || ptr != value.data() + value.size() || id < 0 || id > 4294967294LL) {
    throw UsageError("invalid --tmpfs \"" + text + "\": " + key + "=" + value + " is not a numeric id");
  }
  return id;
}

// What runc will find at `target`: the engine's stat of the image (`reply`), or under another of
// the sandbox's mounts what is there: in a host bind, its stat here; in another mount, nothing
// known (nullopt). With where it was found, for people.
std::optional<std::pair<plan::Reply, std::string>> found_at(const std::string& target, const plan::Reply& reply,
                                                            const plan::Results& results, const std::vector<HostBind>& binds)
{
  const json::Value* inspect = results.find("command");
  std::vector<std::string> points = inspect ? command_to_run(*inspect).mount_points : std::vector<std::string>();
  points.erase(std::remove(points.begin(), points.end(), target), points.end());
  std::optional<std::pair<HostBind, std::string>> mount = deepest_mount(target, points, binds);
  if (!mount) {
    return std::make_pair(reply, std::string("the image"));
  }
  if (mount->first.source.empty()) {
    return std::nullopt;
  }
  auto [status, body] = stat_in_bind(mount->first, mount->second);
  return std::make_pair(plan::Reply{status, body}, "the host directory bound at " + mount->first.target);
}

} // namespace

TmpfsSpec parse_tmpfs(const std::string& text)
{
  TmpfsSpec spec;
  std::size_t colon = text.find(':');
  spec.target = text.substr(0, colon);
  if (has_unsafe_character(text)) {
    throw UsageError("invalid --tmpfs \"" + printable(text) + "\": it contains control characters");
  }
  if (spec.target.empty() || spec.target[0] != '/') {
    throw UsageError("invalid --tmpfs \"" + text + "\": the path must be absolute");
  }
  while (spec.target.size() > 1 && spec.target.back() == '/') {
    spec.target.pop_back();
  }
  if (spec.target == "/" || spec.target.find("/../") != std::string::npos || spec.target.ends_with("/..")) {
    throw UsageError("invalid --tmpfs \"" + text + "\": cannot mount over / or use ..");
  }
  if (colon == std::string::npos) {
    return spec;
  }
  std::string options = text.substr(colon + 1);
  std::size_t start = 0;
  while (start <= options.size()) {
    std::size_t comma = options.find(',', start);
    std::string item = options.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? options.size() + 1 : comma + 1;
    if (item.empty()) {
      continue;
    }
    std::size_t eq = item.find('=');
    std::string key = item.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (eq == std::string::npos) {
      if (key == "exec" || key == "noexec") {
        spec.exec = key == "exec";
      } else if (key == "ro" || key == "rw") {
        spec.extra.push_back(key);
      } else {
        throw UsageError("invalid --tmpfs \"" + text + "\": unknown option \"" + key
                         + "\" (use size=, mode=, uid=, gid=, nr_inodes=, exec, noexec, ro, rw)");
      }
    } else if (key == "size") {
      spec.size = parse_size(value, "--tmpfs size");
    } else if (key == "mode") {
      unsigned mode = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), mode, 8);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || mode > 07777) {
        throw UsageError("invalid --tmpfs \"" + text + "\": mode=" + value + " is not an octal mode such as 1777");
      }
      spec.mode = mode;
      spec.mode_given = true;
    } else if (key == "uid") {
      spec.uid = parse_id(key, value, text);
      spec.owner_given = true;
    } else if (key == "gid") {
      spec.gid = parse_id(key, value, text);
      spec.owner_given = true;
    } else if (key == "nr_inodes") {
      if (value.empty() || value.find_first_not_of("0123456789kmgKMG") != std::string::npos) {
        throw UsageError("invalid --tmpfs \"" + text + "\": nr_inodes=" + value + " is not a number");
      }
      spec.extra.push_back(item);
    } else {
      throw UsageError("invalid --tmpfs \"" + text + "\": unknown option \"" + key
                       + "\" (use size=, mode=, uid=, gid=, nr_inodes=, exec, noexec, ro, rw)");
    }
  }
  return spec;
}

std::string tmpfs_option_string(const TmpfsSpec& spec)
{
  std::string out = spec.exec ? "exec" : "noexec";
  for (const std::string& extra : spec.extra) {
    out += "," + extra;
  }
  if (spec.size) {
    out += ",size=" + format_size(*spec.size);
  }
  if (spec.mode) {
    out += ",mode=" + octal(*spec.mode);
  }
  if (spec.uid) {
    out += ",uid=" + std::to_string(*spec.uid);
  }
  if (spec.gid) {
    out += ",gid=" + std::to_string(*spec.gid);
  }
  return out;
}

bool use_mounts_form(const TmpfsSpec& spec, engine::ApiVersion version)
{
  return version >= k_tmpfs_options_api && !spec.uid && !spec.gid && spec.extra.empty();
}

std::optional<std::string> fit_tmpfs_owners(std::vector<TmpfsSpec>& specs, std::optional<std::int64_t> uid,
                                            std::optional<std::int64_t> gid, const engine::EngineFeatures& features)
{
  if (features.podman) {
    for (TmpfsSpec& spec : specs) {
      // Podman copies what is below the mount point into a new tmpfs; Docker's is empty, and an
      // --exclude must hide what the workspace holds there.
      spec.extra.push_back("notmpcopyup");
    }
  }
  if (features.tmpfs_owner_options) {
    return std::nullopt;
  }
  std::vector<std::string> changed;
  for (TmpfsSpec& spec : specs) {
    if (!spec.uid && !spec.gid) {
      continue;
    }
    bool container_user = spec.uid == uid && (!spec.gid || spec.gid == gid);
    if (!container_user) {
      throw Error("--tmpfs " + spec.target + ": " + features.engine + " does not accept tmpfs uid=/gid=, and can give a tmpfs "
                    + "only to the sandbox's own user" + (uid ? " (" + std::to_string(*uid) + ")" : std::string()),
                  "drop uid=/gid=, or make them the --user of the run");
    }
    spec.uid.reset();
    spec.gid.reset();
    spec.extra.push_back("U");
    if (spec.owner_given) {
      changed.push_back(spec.target); // our own default needs no word: U gives the same owner
    }
  }
  if (changed.empty()) {
    return std::nullopt;
  }
  std::string targets;
  for (const std::string& target : changed) {
    targets += (targets.empty() ? "" : ", ") + target;
  }
  return features.engine + " refuses tmpfs uid=/gid=: " + targets + " given to the sandbox user with Podman's U option instead";
}

std::vector<plan::Step> tmpfs_mode_checks(const std::vector<TmpfsSpec>& specs, const std::string& container_ref,
                                          const std::vector<HostBind>& binds)
{
  std::vector<plan::Step> steps;
  for (const TmpfsSpec& spec : specs) {
    if (!spec.mode_given || !spec.mode) {
      continue;
    }
    plan::Step step = plan::make_step("tmpfs-mode-" + std::to_string(steps.size() + 1),
                                      "look for " + spec.target + " in the image: runc would give the tmpfs its mode",
                                      "HEAD", "/containers/" + container_ref + "/archive");
    step.query = {{"path", spec.target}};
    step.accepted = {404};
    step.check_summary = "missing, or a directory with mode " + octal(*spec.mode);
    unsigned wanted = *spec.mode;
    std::string target = spec.target;
    step.check_recorded = [wanted, target, binds](const plan::Reply& engine_reply, const plan::Results& results) {
      std::optional<std::pair<plan::Reply, std::string>> seen = found_at(target, engine_reply, results, binds);
      std::optional<unsigned> found = seen && seen->first.status == 200 ? engine::stat_permissions(seen->first.body) : std::nullopt;
      if (!found) {
        return;
      }
      if (engine::stat_is_directory(seen->first.body) && *found != wanted) {
        throw Error("--tmpfs " + target + ":mode=" + octal(wanted) + " cannot be honoured: " + seen->second + " has " + target
                    + " with mode " + octal(*found) + ", which runc gives the tmpfs; mount it elsewhere, or drop mode=");
      }
    };
    steps.push_back(std::move(step));
  }
  return steps;
}

} // namespace sandbox::run
