#include "run/mount_pins.h"

#include "util/cancel.h"
#include "util/error.h"
#include "util/failpoint.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

constexpr auto k_lock_wait = std::chrono::seconds(60);

// Takes an exclusive flock on `fd`, waiting at most k_lock_wait; a cancel request stops the wait.
void lock_exclusive(int fd, const std::string& what)
{
  auto deadline = std::chrono::steady_clock::now() + k_lock_wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      throw Error("cannot lock " + what + ": " + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw Error("another process has held " + what + " for a minute; a run starting there waits for it",
                  "look for a stuck docker sandbox run (or another process holding a lock on it)");
    }
    pollfd cancel{CancelToken::instance().fd(), POLLIN, 0};
    ::poll(&cancel, 1, 20);
    CancelToken::instance().throw_if_requested();
  }
}

// The lock file that runs pinning with stages in `stage_parent` take in turn. It lives there, out
// of reach of the project (whose own directories anyone who can open them could lock).
UniqueFd open_pin_lock(const std::string& stage_parent)
{
  UniqueFd parent = open_directory_nofollow(stage_parent);
  std::string name = ".docker-sandbox.lock-" + std::to_string(::geteuid());
  UniqueFd lock(::openat(parent.get(), name.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  struct stat st;
  if (!lock || ::fstat(lock.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
    throw Error("cannot open the pin lock in " + stage_parent + ": not a file of yours");
  }
  return lock;
}

// Puts `name` (in stage_fd) back as `name` in parent_fd. With `exchange`, it swaps places with
// whatever holds the name now: the placeholder, or a link or an empty directory someone put there
// (all removed with the stage), but not a directory with something in it, which is a directory of the
// project moved onto the name meanwhile: that swap is undone. Without `exchange`, it goes back
// only where the name is free or holds an empty directory. Empty on success, otherwise the reason.
std::string put_back(int stage_fd, int parent_fd, const std::string& name, bool exchange)
{
  if (exchange) {
    if (::renameat2(stage_fd, name.c_str(), parent_fd, name.c_str(), RENAME_EXCHANGE) != 0) {
      if (errno == ENOENT && ::renameat2(stage_fd, name.c_str(), parent_fd, name.c_str(), RENAME_NOREPLACE) == 0) {
        return "";
      }
      return std::strerror(errno);
    }
    // What took its place stays in the stage until the run ends: the engine mounts it again
    // (from the path it was given) to read from the stopped container.
    UniqueFd displaced = open_child_directory(stage_fd, name);
    if (!displaced || directory_names(displaced.get()).empty()) {
      return "";
    }
    if (::renameat2(stage_fd, name.c_str(), parent_fd, name.c_str(), RENAME_EXCHANGE) != 0) {
      return "another directory took its place, and it could not be swapped back";
    }
    return "another directory has taken its name";
  }
  ::unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR); // an empty directory only
  if (::renameat2(stage_fd, name.c_str(), parent_fd, name.c_str(), RENAME_NOREPLACE) == 0) {
    return "";
  }
  return errno == EEXIST ? "something else has taken its name" : std::strerror(errno);
}

// True when `name` in dir_fd is a symbolic link or an empty directory: nothing is lost with it.
bool holds_nothing(int dir_fd, const std::string& name)
{
  struct stat st;
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return false;
  }
  if (S_ISLNK(st.st_mode)) {
    return true;
  }
  UniqueFd dir = open_child_directory(dir_fd, name);
  return dir && directory_names(dir.get()).empty();
}

} // namespace

std::string PinSpec::staged() const
{
  return stage_dir + "/" + split_last_component(source).second;
}

struct MountPins::Pin
{
  PinSpec spec;
  std::string name; // the last component of the source: in its parent, and in the stage
  StageDir stage;
  UniqueFd parent;
  // Held while pinned: one run at a time renames things into place. Pins of one run in the same
  // stage parent share it (a second flock of the same file would wait for the first).
  std::shared_ptr<UniqueFd> lock;
  bool moved = false;
  bool ours = false; // what was moved is the directory that was opened (else only a free name takes it back)

  explicit Pin(const PinSpec& pin_spec)
    : spec(pin_spec),
      name(split_last_component(pin_spec.source).second),
      stage(pin_spec.stage_dir, StageManifest{"pin", name, pin_spec.source})
  {
  }
};

MountPins::MountPins(const std::vector<PinSpec>& specs)
{
  try {
    for (const PinSpec& spec : specs) {
      m_pins.push_back(std::make_unique<Pin>(spec));
      Pin& pin = *m_pins.back();
      std::string parent_path = split_last_component(spec.source).first;
      pin.parent = open_directory_nofollow(parent_path);
      std::string stage_parent = split_last_component(spec.stage_dir).first;
      for (const std::unique_ptr<Pin>& earlier : m_pins) {
        if (earlier->lock && split_last_component(earlier->spec.stage_dir).first == stage_parent) {
          pin.lock = earlier->lock;
        }
      }
      if (!pin.lock) {
        pin.lock = std::make_shared<UniqueFd>(open_pin_lock(stage_parent));
        lock_exclusive(pin.lock->get(), "the pin lock in " + stage_parent);
      }
      UniqueFd directory = open_child_directory(pin.parent.get(), pin.name);
      struct stat opened, moved;
      if (!directory || ::fstat(directory.get(), &opened) != 0) {
        throw Error(spec.source + ": not a directory reachable without symbolic links (" + std::strerror(errno) + ")");
      }
      if (::renameat(pin.parent.get(), pin.name.c_str(), pin.stage.fd(), pin.name.c_str()) != 0) {
        throw Error("cannot move " + spec.source + " into " + spec.stage_dir + " while the sandbox starts: "
                    + std::strerror(errno));
      }
      pin.moved = true;
      failpoint("pin-moved");
      bool same = ::fstatat(pin.stage.fd(), pin.name.c_str(), &moved, AT_SYMLINK_NOFOLLOW) == 0
                  && moved.st_dev == opened.st_dev && moved.st_ino == opened.st_ino;
      pin.ours = same;
      if (!same) {
        throw Error(spec.source + " was replaced while the run was starting; refusing to mount what took its place",
                    "another process is changing the project; run again once it has stopped");
      }
      ::mkdirat(pin.parent.get(), pin.name.c_str(), 0755); // the placeholder
    }
  } catch (const Error& e) {
    std::vector<std::string> problems = release();
    if (!problems.empty()) {
      throw Error(std::string(e.what()) + "; " + problems.front(), e.hint());
    }
    throw;
  } catch (...) {
    release();
    throw;
  }
}

MountPins::~MountPins()
{
  release();
}

std::vector<std::string> MountPins::release()
{
  std::vector<std::string> problems;
  for (auto it = m_pins.rbegin(); it != m_pins.rend(); ++it) {
    Pin& pin = **it;
    if (!pin.moved) {
      continue;
    }
    // What was moved is ours (the checked directory), or whatever someone swapped in at the last
    // moment, which could still be a directory of the project: neither may be lost.
    std::string why = put_back(pin.stage.fd(), pin.parent.get(), pin.name, pin.ours);
    if (!why.empty() && holds_nothing(pin.stage.fd(), pin.name)) {
      // What is staged holds nothing: what was swapped in for the checked directory (a racer's
      // link, or an empty directory, never mounted), or the checked directory itself when it was
      // empty and stayed so; another took its name meanwhile. It goes with the stage, as a repair
      // would take it, rather than keep the stage for it.
      why.clear();
    }
    if (!why.empty()) {
      problems.push_back("cannot put " + pin.spec.source + " back (" + why + "); it is in " + pin.spec.staged());
      pin.stage.keep();
      continue;
    }
    pin.moved = false;
    pin.stage.drop_manifest(); // what is staged now took its place: a repair must not move it
    pin.lock.reset();          // the last pin of a stage parent unlocks: another run may pin now
  }
  return problems;
}

std::string repair_pin(const AbandonedStage& stage)
{
  const StageManifest& manifest = stage.manifest;
  struct stat st;
  if (manifest.entry != split_last_component(manifest.target).second
      || ::fstatat(stage.fd.get(), manifest.entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return ""; // not a manifest of ours, or it never moved
  }
  std::string why;
  try {
    why = put_back(stage.fd.get(), open_directory_nofollow(split_last_component(manifest.target).first).get(),
                   manifest.entry, false);
  } catch (const Error& e) {
    why = e.what();
  }
  if (!why.empty()) {
    return "a killed run left " + manifest.target + " in " + stage.path + " (" + why + ")";
  }
  return "put " + manifest.target + " back from " + stage.path + ", where a killed run had left it";
}

} // namespace sandbox::run
