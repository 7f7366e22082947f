#include "util/paths.h"

#include "util/error.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace sandbox {

std::vector<std::string> path_components(const std::string& path)
{
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty() && part != ".") {
      out.push_back(part);
    }
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  return out;
}


std::string current_directory()
{
  char buffer[PATH_MAX];
  if (!::getcwd(buffer, sizeof buffer)) {
    throw Error(std::string("cannot read the current directory: ") + std::strerror(errno));
  }
  return buffer;
}

bool is_directory(const std::string& path)
{
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string absolute_path(const std::string& path, const std::string& cwd)
{
  std::string joined = !path.empty() && path[0] == '/' ? path : cwd + "/" + path;
  char resolved[PATH_MAX];
  if (::realpath(joined.c_str(), resolved)) {
    return resolved;
  }
  return joined;
}

bool is_within(const std::string& path, const std::string& dir)
{
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

bool is_plain_relative(const std::string& path)
{
  if (path.empty() || path[0] == '/') {
    return false;
  }
  for (const std::string& part : path_components(path)) {
    if (part == "..") {
      return false;
    }
  }
  return true;
}

std::string resolve_inside(const std::string& base, const std::string& relative, const std::string& what)
{
  if (!is_plain_relative(relative)) {
    throw UsageError(what + ": must be a path inside " + base + " (relative, without ..)");
  }
  std::string path = base;
  std::vector<std::string> parts = path_components(relative);
  bool exists = true;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    path += "/" + parts[i];
    struct stat st;
    if (!exists || ::lstat(path.c_str(), &st) != 0) {
      exists = false;
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      throw UsageError(what + ": " + path + " is a symbolic link; refusing to follow it out of " + base);
    }
    if (i + 1 < parts.size() && !S_ISDIR(st.st_mode)) {
      throw UsageError(what + ": " + path + " is not a directory");
    }
  }
  return path;
}

std::string resolve_named_path(const std::string& path, const std::string& project, const std::string& cwd,
                               const std::string& what)
{
  std::vector<std::string> parts;
  for (const std::string& part : path_components(!path.empty() && path[0] == '/' ? path : cwd + "/" + path)) {
    if (part != "..") {
      parts.push_back(part);
    } else if (!parts.empty()) {
      parts.pop_back();
    }
  }
  std::string normalized;
  for (const std::string& part : parts) {
    normalized += "/" + part;
  }
  if (normalized.empty()) {
    return "/";
  }
  if (normalized == project) {
    return project;
  }
  if (normalized.rfind(project + "/", 0) == 0) {
    return resolve_inside(project, normalized.substr(project.size() + 1), what);
  }
  return normalized;
}

} // namespace sandbox
