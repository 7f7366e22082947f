#include "run/consent_store.h"

#include "util/error.h"
#include "util/file.h"
#include "util/identity.h"
#include "util/json.h"
#include "util/paths.h"
#include "util/printable.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

constexpr std::size_t k_max_store_bytes = 4 * 1024 * 1024;

// Consent read from a file that someone else can write is no consent at all.
void check_owner(const std::string& path, bool directory)
{
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    return;
  }
  if ((directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) || st.st_uid != ::geteuid() || (st.st_mode & 022) != 0) {
    throw Error("the consent store " + path + " is not a " + (directory ? "directory" : "file")
                  + " of yours that only you can write; refusing to read consent from it",
                "remove it, then record consent again with 'docker sandbox trust'");
  }
}

} // namespace

ConsentStore::ConsentStore(const std::string& config_dir)
  : m_dir(config_dir + "/sandbox"), m_path(m_dir + "/trusted-profiles.json")
{
}

bool ConsentStore::inside(const std::string& dir) const
{
  std::string config = absolute_path(m_dir.substr(0, m_dir.rfind('/')), "/");
  std::string base = absolute_path(dir, "/");
  return config == base || config.rfind(base == "/" ? base : base + "/", 0) == 0;
}

std::vector<TrustRecord> ConsentStore::records() const
{
  check_owner(m_dir, true);
  check_owner(m_path, false);
  if (!path_exists(m_path)) {
    return {};
  }
  std::vector<TrustRecord> out;
  try {
    json::Value store = json::parse(snapshot_regular_file(m_path, k_max_store_bytes, false).content);
    for (const json::Value& item : store["trusted"].elements()) {
      TrustRecord record{item["path"].as_string(), item["sha256"].as_string(), item.string_or("trusted_at"), {}};
      if (item["relaxes"].is_array()) {
        for (const json::Value& relaxation : item["relaxes"].elements()) {
          record.relaxes.push_back(relaxation.as_string());
        }
      }
      out.push_back(record);
    }
  } catch (const json::JsonError& e) {
    throw Error("the consent store " + m_path + " is damaged: " + e.what(),
                "remove it, then record consent again with 'docker sandbox trust'");
  }
  return out;
}

bool ConsentStore::trusts(const std::string& real_path, const std::string& sha256) const
{
  std::vector<TrustRecord> all = records();
  return std::any_of(all.begin(), all.end(), [&](const TrustRecord& r) { return r.path == real_path && r.sha256 == sha256; });
}

void ConsentStore::add(const TrustRecord& record)
{
  // The store is JSON, which holds text: a path that is not UTF-8 would come back as another path
  // (its bad bytes as U+FFFD), which no run would match.
  if (json::parse(json::Value(record.path).dump()).as_string() != record.path) {
    throw UsageError("cannot trust " + printable(record.path) + ": its path is not valid UTF-8, which the consent store cannot hold");
  }
  std::vector<TrustRecord> all = records();
  all.erase(std::remove_if(all.begin(), all.end(), [&](const TrustRecord& r) { return r.path == record.path; }), all.end());
  all.push_back(record);
  write(all);
}

bool ConsentStore::remove(const std::string& real_path)
{
  std::vector<TrustRecord> all = records();
  auto kept = std::remove_if(all.begin(), all.end(), [&](const TrustRecord& r) { return r.path == real_path; });
  if (kept == all.end()) {
    return false;
  }
  all.erase(kept, all.end());
  write(all);
  return true;
}

void ConsentStore::write(const std::vector<TrustRecord>& records)
{
  for (const std::string& dir : {m_dir.substr(0, m_dir.rfind('/')), m_dir}) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      throw Error("cannot create " + dir + ": " + std::strerror(errno));
    }
  }
  check_owner(m_dir, true);
  json::Value trusted = json::Value::array();
  for (const TrustRecord& record : records) {
    json::Value item = json::Value::object();
    item.set("path", record.path);
    item.set("sha256", record.sha256);
    item.set("trusted_at", record.trusted_at);
    json::Value relaxes = json::Value::array();
    for (const std::string& relaxation : record.relaxes) {
      relaxes.push(relaxation);
    }
    item.set("relaxes", std::move(relaxes));
    trusted.push(std::move(item));
  }
  json::Value store = json::Value::object();
  store.set("trusted", std::move(trusted));
  std::string text = store.pretty() + "\n";

  std::string temporary = m_path + "." + random_hex(8);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    throw Error("cannot write " + temporary + ": " + std::strerror(errno));
  }
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), m_path.c_str()) != 0) {
    saved = written ? errno : saved;
    ::unlink(temporary.c_str());
    throw Error("cannot write " + m_path + ": " + std::strerror(saved));
  }
}

} // namespace sandbox::run
