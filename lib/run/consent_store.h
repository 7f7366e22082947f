#pragma once

// The user's consent to project profiles, recorded outside every project, under the user's Docker
// config dir, where no sandbox can write (the `direnv allow` / `mise trust` model). A record names
// a profile by its real path and the SHA-256 of its bytes, so a changed file needs consent again.

#include <string>
#include <vector>

namespace sandbox::run {

struct TrustRecord
{
  std::string path;                 // the profile's real path
  std::string sha256;               // of the bytes the user reviewed
  std::string trusted_at;           // RFC 3339
  std::vector<std::string> relaxes; // the relaxations shown when it was recorded
};

class ConsentStore
{
public:
  // The store of the Docker config dir `config_dir`: <config_dir>/sandbox/trusted-profiles.json.
  explicit ConsentStore(const std::string& config_dir);

  const std::string& path() const { return m_path; }

  // True when the store lies in `dir` or below it (a project could then write its own consent).
  bool inside(const std::string& dir) const;

  // Every record, oldest first; none when the store does not exist. Throws Error when it cannot be
  // read, is damaged, is not the invoker's own, or can be written by group or others.
  std::vector<TrustRecord> records() const;

  // True when the user trusted exactly these bytes at this path.
  bool trusts(const std::string& real_path, const std::string& sha256) const;

  // Records `record`, replacing any record for the same path. Creates the directory (0700) and
  // writes the file (0600) atomically. Throws Error naming the store.
  void add(const TrustRecord& record);

  // Removes the record for `real_path`; false when there was none.
  bool remove(const std::string& real_path);

private:
  void write(const std::vector<TrustRecord>& records);

  std::string m_dir;
  std::string m_path;
};

} // namespace sandbox::run
