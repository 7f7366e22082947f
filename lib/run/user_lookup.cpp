#include "run/user_lookup.h"

#include "engine/container_archive.h"
#include "managed/labels.h"
#include "run/run_planner.h"
#include "util/error.h"
#include "util/file.h"
#include "util/printable.h"
#include "util/units.h"
#include "volume/volume_steps.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdlib.h>

namespace sandbox::run {

namespace {

constexpr const char* k_lookup = "user-lookup";
constexpr std::size_t k_max_file_bytes = 1024 * 1024; // a passwd of ten thousand users is a tenth of this

struct Spec
{
  std::string user;
  std::optional<std::string> group;
};

Spec split_spec(const std::string& text)
{
  std::size_t colon = text.find(':');
  if (colon == std::string::npos) {
    return {text, std::nullopt};
  }
  return {text.substr(0, colon), text.substr(colon + 1)};
}

bool numeric(const std::string& text)
{
  return parse_integer(text).has_value();
}

// The fields of the first line of `file` (passwd or group format) whose field `key_field` is
// `key`, read as the engine reads it (runc's user package): each line trimmed of surrounding
// whitespace, blank lines skipped, and nothing else (a '#' line is an entry like any other), so
// that the ids found here are the ids the sandbox gets.
std::optional<std::vector<std::string>> find_entry(const std::string& file, std::size_t key_field, const std::string& key)
{
  std::istringstream lines(file);
  std::string line;
  while (std::getline(lines, line)) {
    const char* space = " \t\n\v\f\r";
    std::size_t first = line.find_first_not_of(space);
    if (first == std::string::npos) {
      continue;
    }
    line = line.substr(first, line.find_last_not_of(space) - first + 1);
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t colon = line.find(':'); colon != std::string::npos; colon = line.find(':', start)) {
      fields.push_back(line.substr(start, colon - start));
      start = colon + 1;
    }
    fields.push_back(line.substr(start));
    if (fields.size() > key_field && fields[key_field] == key) {
      return fields;
    }
  }
  return std::nullopt;
}

// The gids of the groups in `group` that list `name` as a member: the engine adds them when no
// group was given.
std::vector<std::int64_t> member_gids(const std::string& group, const std::string& name)
{
  std::vector<std::int64_t> gids;
  std::istringstream lines(group);
  std::string line;
  while (std::getline(lines, line)) {
    std::size_t members = line.rfind(':');
    std::size_t gid_start = members == std::string::npos || members == 0 ? std::string::npos : line.rfind(':', members - 1);
    if (gid_start == std::string::npos) {
      continue;
    }
    std::string list = "," + line.substr(members + 1) + ",";
    std::optional<std::int64_t> gid = parse_integer(line.substr(gid_start + 1, members - gid_start - 1));
    if (gid && list.find("," + name + ",") != std::string::npos) {
      gids.push_back(*gid);
    }
  }
  return gids;
}

// A uid or gid field of the image's files: a number in the kernel's range, or the entry is refused
// (the engine would read a field it cannot parse as 0: root).
std::int64_t id_field(const std::vector<std::string>& fields, std::size_t index, const std::string& what)
{
  std::optional<std::int64_t> id = fields.size() > index ? parse_integer(fields[index]) : std::nullopt;
  if (!id || *id < 0 || *id > 0xfffffffe) {
    throw Error(what + " has no valid numeric id (the engine would run it as root)");
  }
  return *id;
}

// A private directory for the downloaded files, removed with everything in it.
class LookupDir
{
public:
  LookupDir(const engine::Environment& env)
  {
    std::optional<std::string> tmp = engine::non_empty(env, "TMPDIR");
    std::string pattern = (tmp && (*tmp)[0] == '/' ? *tmp : "/tmp") + "/docker-sandbox-user-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
      throw Error("cannot make " + pattern + ": " + std::strerror(errno));
    }
    m_path = pattern;
  }
  ~LookupDir()
  {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  LookupDir(const LookupDir&) = delete;
  LookupDir& operator=(const LookupDir&) = delete;
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

} // namespace

UserFiles files_for_user(const std::string& user)
{
  Spec spec = split_spec(user);
  bool named_user = !numeric(spec.user);
  // Without a group, the engine adds the groups that list the name: /etc/group tells which.
  return {named_user || !spec.group, (spec.group && !numeric(*spec.group)) || (named_user && !spec.group)};
}

ImageUser user_ids_in(const std::string& user, const std::optional<std::string>& passwd, const std::optional<std::string>& group,
                      const std::string& image)
{
  Spec spec = split_spec(user);
  ImageUser found;
  std::optional<std::int64_t> number = parse_integer(spec.user);
  if (number) {
    found.uid = *number;
  } else {
    std::optional<std::vector<std::string>> account = passwd ? find_entry(*passwd, 0, spec.user) : std::nullopt;
    if (!account) {
      throw Error("--user " + printable(user) + ": the image " + image + " has no user \"" + printable(spec.user)
                  + "\" in /etc/passwd");
    }
    std::string what = "the user \"" + printable(spec.user) + "\" in the image's /etc/passwd";
    found.uid = id_field(*account, 2, what);
    if (!spec.group) {
      found.gid = id_field(*account, 3, what);
      found.groups = group ? member_gids(*group, spec.user) : std::vector<std::int64_t>{};
      return found;
    }
  }
  if (!spec.group) {
    found.gid = found.uid; // a bare UID (no lookup): paired with the same gid
  } else if (std::optional<std::int64_t> gid = parse_integer(*spec.group)) {
    found.gid = *gid;
  } else {
    std::optional<std::vector<std::string>> entry = group ? find_entry(*group, 0, *spec.group) : std::nullopt;
    if (!entry) {
      throw Error("--user " + printable(user) + ": the image " + image + " has no group \"" + printable(*spec.group)
                  + "\" in /etc/group");
    }
    found.gid = id_field(*entry, 2, "the group \"" + printable(*spec.group) + "\" in the image's /etc/group");
  }
  return found;
}

std::string root_in_image(const std::string& user, const ImageUser& found, const std::string& image)
{
  Spec spec = split_spec(user);
  if (spec.user == "root" || spec.user == "0") {
    return ""; // said as typed (run/relaxations.cpp)
  }
  std::string prefix = "--user " + printable(user) + " is ";
  if (found.uid == 0) {
    return prefix + "uid 0 in the image " + image + ": the sandbox runs as root";
  }
  bool root_group = found.gid == 0 || std::find(found.groups.begin(), found.groups.end(), 0) != found.groups.end();
  if (root_group && !(spec.group && (*spec.group == "root" || *spec.group == "0"))) {
    return prefix + "in root's group (gid 0) in the image " + image + ": the sandbox runs in root's group";
  }
  return "";
}

plan::Plan user_lookup_plan(const RunOptions& options, UserFiles files, const std::string& dir)
{
  plan::Plan plan;
  plan.steps = pull_steps(options);
  volume::Labels labels{{std::string(managed::k_label_created), options.created},
                        {std::string(managed::k_label_owner), options.owner},
                        {std::string(managed::k_label_run), options.run_id}};
  plan::Step create = volume::create_helper_step(k_lookup, {}, labels, "user-" + options.run_id, "user-lookup");
  create.summary = "create a container from the image (never started) to read its users and groups";
  (*create.body).set("Image", options.image);
  plan.steps.push_back(std::move(create));
  plan::Download download;
  download.destination = dir;
  download.max_bytes = 2 * k_max_file_bytes;
  download.max_files = 2;
  for (const char* name : {"passwd", "group"}) {
    if (std::string(name) == "passwd" ? !files.passwd : !files.group) {
      continue;
    }
    std::string path = std::string("/etc/") + name;
    std::vector<plan::Step> steps = volume::download_steps(std::string("user-") + name, "{" + std::string(k_lookup) + ".Id}",
                                                           "/etc", path, download,
                                                           "--user " + printable(options.user) + ": the image " + options.image
                                                             + " has no " + path + " to look the name up in (give UID:GID)");
    // The last HEAD is the file's: a regular file, not a tree or a FIFO that the download would take.
    plan::Step& file = steps[steps.size() - 2];
    file.check = [check = file.check, path, image = options.image](const plan::Reply& reply) {
      check(reply);
      if (!engine::stat_is_regular(reply.body)) {
        throw Error("the image " + image + " has a " + path + " that is not a regular file; refusing to read it");
      }
    };
    file.check_summary += ", a regular file";
    for (plan::Step& step : steps) {
      plan.steps.push_back(std::move(step));
    }
  }
  plan::Step remove = volume::remove_helper_step("user-lookup-remove", k_lookup);
  remove.summary = "remove the container that the users were read from";
  plan.cleanup.push_back(std::move(remove));
  return plan;
}

void resolve_user_in_image(plan::Executor& executor, const engine::ApiVersion& version, RunFlags& flags,
                           const HostFacts& host, const RunIdentity& identity, RunOptions& options)
{
  if (!options.user_named) {
    return;
  }
  UserFiles files = files_for_user(options.user);
  std::optional<std::string> passwd;
  std::optional<std::string> group;
  {
    LookupDir dir(host.env);
    plan::Plan lookup = user_lookup_plan(options, files, dir.path());
    lookup.api_version = version;
    plan::run_plan(lookup, executor);
    auto read = [&](bool wanted, const std::string& name) -> std::optional<std::string> {
      if (!wanted) {
        return std::nullopt;
      }
      try {
        return read_regular_file(dir.path() + "/" + name, k_max_file_bytes);
      } catch (const Error& e) {
        throw Error("the image's /etc/" + name + " cannot be read: " + e.what());
      }
    };
    passwd = read(files.passwd, "passwd");
    group = read(files.group, "group");
  }
  ImageUser found = user_ids_in(options.user, passwd, group, options.image);
  flags.user_ids = std::make_pair(found.uid, found.gid);
  options = resolve_run_options(flags, host, identity);
  if (std::string root = root_in_image(options.user, found, options.image); !root.empty()) {
    options.warnings.push_back(root);
  }
}

} // namespace sandbox::run
