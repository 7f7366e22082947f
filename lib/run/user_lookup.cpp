#include "run/user_lookup.h"

#include "managed/labels.h"
#include "run/run_planner.h"
#include "util/error.h"
#include "util/file.h"
#include "util/printable.h"
#include "util/units.h"
#include "volume/volume_steps.h"

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
// `key`. Blank lines and comments are skipped, as runc's parser does.
std::optional<std::vector<std::string>> find_entry(const std::string& file, std::size_t key_field, const std::string& key)
{
  std::istringstream lines(file);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
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

// A uid or gid field of the image's files: a number in the kernel's range, or the entry is unusable.
std::int64_t id_field(const std::vector<std::string>& fields, std::size_t index, const std::string& what)
{
  std::optional<std::int64_t> id = fields.size() > index ? parse_integer(fields[index]) : std::nullopt;
  if (!id || *id < 0 || *id > 0xfffffffe) {
    throw Error(what + " has no valid numeric id");
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
  return {!numeric(spec.user) || !spec.group, spec.group && !numeric(*spec.group)};
}

std::pair<std::int64_t, std::int64_t> user_ids_in(const std::string& user, const std::optional<std::string>& passwd,
                                                  const std::optional<std::string>& group, const std::string& image)
{
  Spec spec = split_spec(user);
  std::optional<std::int64_t> number = parse_integer(spec.user);
  std::optional<std::vector<std::string>> account;
  if (passwd) {
    account = number ? find_entry(*passwd, 2, spec.user) : find_entry(*passwd, 0, spec.user);
  }
  if (!account && !number) {
    throw Error("--user " + printable(user) + ": the image " + image + " has no user \"" + printable(spec.user)
                     + "\" in /etc/passwd");
  }
  std::string account_what = account ? "the user \"" + printable((*account)[0]) + "\" in the image's /etc/passwd" : "";
  std::int64_t uid = account ? id_field(*account, 2, account_what) : *number;
  if (!spec.group) {
    // The user's primary group; a uid the image does not list is paired with the same gid, as a bare UID is.
    return {uid, account ? id_field(*account, 3, account_what) : uid};
  }
  if (std::optional<std::int64_t> gid = parse_integer(*spec.group)) {
    return {uid, *gid};
  }
  std::optional<std::vector<std::string>> entry = group ? find_entry(*group, 0, *spec.group) : std::nullopt;
  if (!entry) {
    throw Error("--user " + printable(user) + ": the image " + image + " has no group \"" + printable(*spec.group)
                     + "\" in /etc/group");
  }
  return {uid, id_field(*entry, 2, "the group \"" + printable(*spec.group) + "\" in the image's /etc/group")};
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
    for (plan::Step& step : volume::download_steps(std::string("user-") + name, "{" + std::string(k_lookup) + ".Id}", "/etc",
                                                   path, download,
                                                   "--user " + printable(options.user) + ": the image " + options.image
                                                       + " has no " + path + " to look the name up in (give UID:GID)")) {
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
  flags.user_ids = user_ids_in(options.user, passwd, group, options.image);
  options = resolve_run_options(flags, host, identity);
}

} // namespace sandbox::run
