#pragma once

// Paths that come from an untrusted project (its profile, the directories a run creates inside
// it) must stay inside it: no "..", no absolute path, and no symbolic link on the way, since a
// link could lead a root-run plugin to mount, create or chown something elsewhere.

#include <string>

namespace sandbox {

// True when `path` is relative, non-empty, and has no ".." component.
bool is_plain_relative(const std::string& path);

// `base` (a trusted absolute directory) joined with `relative`, after checking every component
// that exists: none may be a symbolic link, and all but the last must be directories. Components
// that do not exist yet are allowed (the caller creates them). Throws UsageError starting with
// `what` otherwise, or when `relative` is not plain relative.
std::string resolve_inside(const std::string& base, const std::string& relative, const std::string& what);

} // namespace sandbox
