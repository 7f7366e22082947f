#pragma once

// What loosens a sandbox compared with its locked-down defaults, in one place for both sources:
// flags the user typed (trusted: they run, with a warning line each) and a project profile (written
// by the party the sandbox protects against: every relaxation needs the user's consent, and some
// are never accepted; see run/consent_store.h).

#include "run/run_options.h"
#include "util/json.h"

#include <string>
#include <vector>

namespace sandbox::run {

struct Relaxation
{
  std::string key;        // the flag ("--user") or the profile key ("user", "limits.memory")
  std::string value;      // the value as shown ("0", "\"0\""), or ""
  std::string what;       // what it does to the sandbox, e.g. "the sandbox runs as root (uid 0)"
  bool forbidden = false; // never accepted from a profile, even with consent

  // "key value: what", as warnings and `trust` show it.
  std::string text() const { return key + (value.empty() ? "" : " " + value) + ": " + what; }
};

// The defaults that the flags as typed relax, one entry per flag (before any profile is applied).
std::vector<Relaxation> flag_relaxations(const RunFlags& typed);

// What `profile` (already validated against the schema) relaxes, leaving out the keys whose
// flags `typed` sets, since the command line wins over them. A key the classifier does not know
// counts as a relaxation.
std::vector<Relaxation> profile_relaxations(const json::Value& profile, const RunFlags& typed);

// Every profile key the classifier decides on ("user", "limits.memory"), and the groups it looks
// inside ("mounts", "limits"): tests hold this against the schema so that no key slips through.
std::vector<std::string> classified_profile_keys();
std::vector<std::string> classified_profile_groups();

} // namespace sandbox::run
