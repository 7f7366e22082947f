#pragma once

// Paths that come from an untrusted project (its profile, the directories a run creates inside
// it) must stay inside it: no "..", no absolute path, and no symbolic link on the way, since a
// link could lead a root-run plugin to mount, create or chown something elsewhere.

#include <string>
#include <vector>

namespace sandbox {

// The components of a path, with empty ones and "." dropped ("./a//b/" -> {"a", "b"}).
std::vector<std::string> path_components(const std::string& path);

// The process's working directory. Throws Error when it cannot be read.
std::string current_directory();

// True when `path` is (or leads through links to) a directory.
bool is_directory(const std::string& path);

// An absolute, normalised host path. Relative paths are taken from cwd; symbolic links are
// resolved when the path exists.
std::string absolute_path(const std::string& path, const std::string& cwd);

// True when the normalised absolute `path` is `dir` or lies below it (compared lexically).
bool is_within(const std::string& path, const std::string& dir);

// True when `path` is relative, non-empty, and has no ".." component.
bool is_plain_relative(const std::string& path);

// `base` (a trusted absolute directory) joined with `relative`, after checking every component
// that exists: none may be a symbolic link, and all but the last must be directories. Components
// that do not exist yet are allowed (the caller creates them). Throws UsageError starting with
// `what` otherwise, or when `relative` is not plain relative.
std::string resolve_inside(const std::string& base, const std::string& relative, const std::string& what);

// A host path the user typed, as the path to use. When it lies (lexically, after ".." is applied)
// in `project` or below it, it is resolved beneath `project` without following any symbolic link
// on the way, since the project may have planted one (throws UsageError starting with `what`);
// elsewhere it is taken as typed. Relative paths are taken from `cwd`.
std::string resolve_named_path(const std::string& path, const std::string& project, const std::string& cwd,
                               const std::string& what);

} // namespace sandbox
