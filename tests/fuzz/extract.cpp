// Fuzz target: extracting an archive that a sandbox wrote (volume get, run --collect). Whatever
// the archive holds, nothing may appear outside the destination, no link in it may lead out,
// no special file or set-id bit may land, and a refused archive must leave the destination as
// it was (empty, or missing when it was missing).
//
// Input: [flags byte: 1 = --overwrite, 2 = the destination exists, 4 = it holds a file] [archive]
// The archive's members are expected below "data" (the name the engine gives a copied path).

#include "archive/safe_extractor.h"
#include "fuzz_input.h"
#include "util/error.h"
#include "util/file.h"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using sandbox::fuzz::invariant_failed;

bool inside(const std::string& path, const std::string& root)
{
  return path == root || path.rfind(root + "/", 0) == 0;
}

// Where the link at `path` points, resolved by hand when realpath cannot (a dangling target):
// the real path of its directory joined with the target's text, ".." taken literally.
std::string link_destination(const std::string& path)
{
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved)) {
    return resolved;
  }
  char target[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
  if (n < 0) {
    invariant_failed("cannot read the link " + path);
  }
  std::string text(target, static_cast<std::size_t>(n));
  if (text.empty() || text[0] == '/') {
    return text; // absolute: it is where it says
  }
  if (!::realpath(path.substr(0, path.rfind('/')).c_str(), resolved)) {
    invariant_failed("cannot resolve the directory of " + path);
  }
  std::vector<std::string> parts;
  std::string joined = std::string(resolved) + "/" + text;
  std::size_t start = 1;
  while (start <= joined.size()) {
    std::size_t end = std::min(joined.find('/', start), joined.size());
    std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) {
        parts.pop_back();
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& part : parts) {
    out += "/" + part;
  }
  return out.empty() ? "/" : out;
}

// Checks every entry below `dir` (the real path of the destination is `root`).
void check_tree(const std::string& dir, const std::string& root)
{
  for (const std::string& name : sandbox::directory_entries(dir)) {
    std::string path = dir + "/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      invariant_failed("cannot lstat " + path);
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
      invariant_failed("a special file was extracted: " + path);
    }
    if (st.st_mode & (S_ISUID | S_ISGID | S_ISVTX)) {
      invariant_failed("set-id or sticky bits were extracted: " + path);
    }
    if (S_ISLNK(st.st_mode)) {
      std::string destination = link_destination(path);
      if (!inside(destination, root)) {
        invariant_failed("a link leads out of the destination: " + path + " -> " + destination);
      }
    } else if (S_ISDIR(st.st_mode)) {
      check_tree(path, root);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  if (size == 0) {
    return 0;
  }
  unsigned flags = data[0];
  std::string archive(reinterpret_cast<const char*>(data) + 1, size - 1);

  sandbox::fuzz::ScratchDir scratch;
  std::string outside = scratch.path() + "/outside";
  std::string dest = scratch.path() + "/dest";
  ::mkdir(outside.c_str(), 0755);
  sandbox::fuzz::write_file(outside + "/keep", "keep");
  bool dest_exists = flags & 2;
  bool holds_file = dest_exists && (flags & 4);
  if (dest_exists) {
    ::mkdir(dest.c_str(), 0755);
    if (holds_file) {
      sandbox::fuzz::write_file(dest + "/old", "old");
    }
  }

  std::size_t at = 0;
  sandbox::archive::ArchiveReadFn read = [&](char* buffer, std::size_t want) {
    std::size_t n = std::min(want, archive.size() - at);
    std::memcpy(buffer, archive.data() + at, n);
    at += n;
    return n;
  };
  sandbox::archive::ExtractOptions options;
  options.destination = dest;
  options.root_name = "data";
  options.overwrite = flags & 1;
  bool refused = false;
  try {
    sandbox::archive::extract_safely(read, options);
  } catch (const sandbox::Error&) {
    refused = true;
  }

  std::vector<std::string> top = sandbox::directory_entries(scratch.path());
  std::vector<std::string> outside_names = sandbox::directory_entries(outside);
  if (outside_names.size() != 1 || outside_names[0] != "keep") {
    invariant_failed("something was written outside the destination");
  }
  struct stat kept;
  if (::lstat((outside + "/keep").c_str(), &kept) != 0 || !S_ISREG(kept.st_mode) || kept.st_nlink != 1
      || kept.st_size != 4) {
    invariant_failed("the file outside the destination was replaced, linked to or written through");
  }
  for (const std::string& name : top) {
    if (name != "outside" && name != "dest") {
      invariant_failed("something was written next to the destination: " + name);
    }
  }
  struct stat st;
  bool dest_now = ::lstat(dest.c_str(), &st) == 0;
  if (dest_now && !S_ISDIR(st.st_mode)) {
    invariant_failed("the destination is no longer a directory");
  }
  if (refused && !options.overwrite) {
    std::vector<std::string> left = dest_now ? sandbox::directory_entries(dest) : std::vector<std::string>{};
    bool as_before = dest_now == dest_exists && (holds_file ? left == std::vector<std::string>{"old"} : left.empty());
    if (!as_before) {
      invariant_failed("a refused archive did not leave the destination as it was");
    }
  }
  if (dest_now) {
    char root[PATH_MAX];
    if (!::realpath(dest.c_str(), root)) {
      invariant_failed("cannot resolve the destination");
    }
    check_tree(dest, root);
  }
  return 0;
}
