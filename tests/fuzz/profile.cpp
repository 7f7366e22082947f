// Fuzz target: a project profile (.docker-sandbox.json), which arrives with an untrusted
// project. Any text must be validated, parsed and applied without a crash; once applied, the
// workspace and output directories it names must stay inside the project directory (no "..",
// no absolute path, no symbolic link on the way, output neither the project nor inside .git),
// and the resulting flags must resolve or be refused with a UsageError.
//
// Input: the profile's text.

#include "fuzz_input.h"
#include "run/profile.h"
#include "run/run_options.h"
#include "util/error.h"

#include <sys/stat.h>
#include <unistd.h>

namespace {

using sandbox::fuzz::invariant_failed;

// The project: a subdirectory, a .git directory and a link that leads out.
const std::string& project()
{
  static sandbox::fuzz::ScratchDir scratch;
  static const std::string dir = [] {
    std::string path = scratch.path() + "/project";
    ::mkdir(path.c_str(), 0755);
    ::mkdir((path + "/src").c_str(), 0755);
    ::mkdir((path + "/.git").c_str(), 0755);
    sandbox::fuzz::write_file(path + "/file", "");
    if (::symlink("/etc", (path + "/out").c_str()) != 0) {
      invariant_failed("symlink");
    }
    return path;
  }();
  return dir;
}

void check_inside(const std::optional<std::string>& flag, const char* what)
{
  if (!flag || *flag == "none") {
    return;
  }
  const std::string& root = project();
  if (*flag == root) {
    return; // the project itself ("."), which the output directory may not be (checked below)
  }
  if (flag->rfind(root + "/", 0) != 0) {
    invariant_failed(std::string(what) + " left the project: " + *flag);
  }
  std::string path = root;
  std::string rest = flag->substr(root.size() + 1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t end = std::min(rest.find('/', start), rest.size());
    std::string part = rest.substr(start, end - start);
    if (part == "..") {
      invariant_failed(std::string(what) + " climbs with ..: " + *flag);
    }
    path += "/" + part;
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      invariant_failed(std::string(what) + " goes through a symbolic link: " + *flag);
    }
    start = end + 1;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string text(reinterpret_cast<const char*>(data), size);
  sandbox::json::Value profile;
  try {
    profile = sandbox::run::parse_profile(text, "fuzz.json");
  } catch (const sandbox::UsageError&) {
    return 0;
  }
  sandbox::run::RunFlags flags;
  try {
    for (const sandbox::run::Relaxation& relaxation : sandbox::run::profile_relaxations(profile, flags)) {
      if (relaxation.key.empty() || relaxation.what.empty()) {
        invariant_failed("a relaxation without a key or a reason");
      }
    }
    sandbox::run::apply_profile(profile, project(), flags);
  } catch (const sandbox::UsageError&) {
    return 0;
  }
  check_inside(flags.workspace, "the workspace");
  check_inside(flags.output, "the output directory");
  if (flags.output && (*flags.output == project() || (*flags.output + "/").find("/.git/") != std::string::npos)) {
    invariant_failed("the output directory is the project or inside .git: " + *flags.output);
  }
  if (flags.image.empty()) {
    flags.image = "img";
  }
  sandbox::run::HostFacts host{project(), 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  try {
    sandbox::run::resolve_run_options(flags, host, {"0123456789ab", "2026-01-01T00:00:00Z", "fuzz:1", ""});
  } catch (const sandbox::UsageError&) {
  }
  return 0;
}
