// Mount pins: a pinned workspace waits in its stage directory, with an empty placeholder in its
// place, and goes back when released; whatever happens on the way, the workspace stays, and no
// stage directory outlives the pins unless it holds something that could not go back (then named).
// The racer's moves are made at the failpoint pin-moved (test builds), between the rename into the
// stage and the check that it moved the directory it opened.

#include "run/mount_pins.h"
#include "run/stage_dirs.h"
#include "support.h"
#include "util/error.h"
#include "util/failpoint.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace sandbox::run;

struct Project
{
  std::string root;
  std::string project;
  std::string victim;
  PinSpec spec;
  Project()
  {
    char pattern[] = "/tmp/sbx-pins.XXXXXX";
    root = ::mkdtemp(pattern);
    ::chmod(root.c_str(), 0755);
    project = root + "/project";
    victim = root + "/victim";
    std::string config = root + "/config";
    std::system(("mkdir -p '" + project + "/sub' '" + victim + "' && mkdir -m 700 '" + config + "'").c_str());
    std::ofstream(project + "/sub/inside") << "inside";
    ::symlink(victim.c_str(), (project + "/evil").c_str());
    spec = PinSpec{project + "/sub", stage_root(config) + "/.docker-sandbox-r-workspace"};
  }
  ~Project()
  {
    sandbox::arm_failpoint("", nullptr);
    std::system(("rm -rf '" + root + "'").c_str());
  }
  bool exists(const std::string& path) const
  {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
  }
  bool is_link(const std::string& path) const
  {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
  }
  std::string read(const std::string& path) const
  {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // The racer's swap of two names (renameat2 RENAME_EXCHANGE).
  static void exchange(const std::string& a, const std::string& b)
  {
    BOOST_REQUIRE(::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(mount_pins)

BOOST_AUTO_TEST_CASE(a_pinned_workspace_waits_in_its_stage_and_goes_back_and_the_stage_goes)
{
  Project p;
  {
    MountPins pins({p.spec});
    BOOST_TEST(p.read(p.spec.staged() + "/inside") == "inside");
    BOOST_TEST(p.exists(p.project + "/sub")); // the placeholder
    BOOST_TEST(!p.exists(p.project + "/sub/inside"));
    BOOST_TEST(pins.release().empty());
    BOOST_TEST(p.read(p.project + "/sub/inside") == "inside");
  }
  BOOST_TEST(!p.exists(p.spec.stage_dir));
}

// The workspace was an empty directory (in the race test: the racer had swapped an earlier run's
// placeholder onto its name), and a directory of the project took its name while it was pinned:
// nothing would be lost with it, so it goes with the stage instead of keeping the stage for it.
BOOST_AUTO_TEST_CASE(an_empty_pinned_directory_whose_name_was_taken_goes_with_the_stage)
{
  Project p;
  std::system(("rm -rf '" + p.project + "/sub' && mkdir '" + p.project + "/sub' '" + p.project + "/other' && echo other > '"
               + p.project + "/other/file'")
                .c_str());
  {
    MountPins pins({p.spec});
    Project::exchange(p.project + "/sub", p.project + "/other"); // the placeholder goes, other takes the name
    BOOST_TEST(pins.release().empty());
  }
  BOOST_TEST(!p.exists(p.spec.stage_dir));
  BOOST_TEST(p.read(p.project + "/sub/file") == "other\n");
}

// What was pinned holds something: it is never thrown away, and the stage that keeps it is named.
BOOST_AUTO_TEST_CASE(a_pinned_workspace_whose_name_was_taken_stays_in_the_stage_named)
{
  Project p;
  std::system(("mkdir '" + p.project + "/other' && echo other > '" + p.project + "/other/file'").c_str());
  {
    MountPins pins({p.spec});
    Project::exchange(p.project + "/sub", p.project + "/other");
    std::vector<std::string> problems = pins.release();
    BOOST_REQUIRE(problems.size() == 1u);
    BOOST_TEST(problems[0].find("another directory has taken its name") != std::string::npos, problems[0]);
  }
  BOOST_TEST(p.read(p.spec.staged() + "/inside") == "inside");
  BOOST_TEST(p.read(p.project + "/sub/file") == "other\n");
}

// A host bind inside the pinned workspace (-v ./sub/inner beside the default workspace): both
// share the stage parent's lock (a second flock of it would wait for the first), the inner one is
// pinned first, and both go back.
BOOST_AUTO_TEST_CASE(a_pin_inside_another_in_the_same_stage_parent_goes_back_too)
{
  Project p;
  std::system(("mkdir '" + p.project + "/sub/inner' && echo deep > '" + p.project + "/sub/inner/file'").c_str());
  std::string parent = p.spec.stage_dir.substr(0, p.spec.stage_dir.rfind('/'));
  PinSpec inner{p.project + "/sub/inner", parent + "/.docker-sandbox-r-bind0"};
  {
    MountPins pins({inner, p.spec});
    BOOST_TEST(p.read(inner.staged() + "/file") == "deep\n");
    BOOST_TEST(p.exists(p.spec.staged() + "/inner")); // the inner placeholder went with the workspace
    BOOST_TEST(pins.release().empty());
    BOOST_TEST(p.read(p.project + "/sub/inner/file") == "deep\n");
    BOOST_TEST(p.read(p.project + "/sub/inside") == "inside");
  }
  BOOST_TEST(!p.exists(p.spec.stage_dir));
  BOOST_TEST(!p.exists(inner.stage_dir));
}

#ifdef SANDBOX_FAILPOINTS

// Arms the racer at pin-moved: it exchanges what was moved into the stage with `swapped_in` (a
// path of the project) and, when `plant`, plants a new link at the workspace's name.
void race_at_pin_moved(Project& p, const std::string& swapped_in, bool plant)
{
  sandbox::arm_failpoint(
    "pin-moved",
    [&p, swapped_in, plant](const std::string&) {
      Project::exchange(p.spec.staged(), swapped_in);
      if (plant) {
        BOOST_REQUIRE(::symlink(p.victim.c_str(), (p.project + "/sub").c_str()) == 0);
      }
    },
    false);
}

// The racer swapped the link in for what was moved (the workspace is at ./evil now) and, finding no
// link left in the project, planted a new one at ./sub: the run is refused, and the link that
// was moved, which holds nothing, is not worth keeping the stage for.
BOOST_AUTO_TEST_CASE(a_link_moved_instead_of_the_workspace_goes_with_the_stage_when_its_name_is_taken)
{
  Project p;
  race_at_pin_moved(p, p.project + "/evil", true);
  std::string message = sandbox::test::message_of<sandbox::Error>([&] { MountPins pins({p.spec}); });
  BOOST_TEST(message.find("was replaced while the run was starting") != std::string::npos, message);
  BOOST_TEST(message.find("cannot put") == std::string::npos, message);
  BOOST_TEST(!p.exists(p.spec.stage_dir));
  BOOST_TEST(p.read(p.project + "/evil/inside") == "inside");
  BOOST_TEST(p.is_link(p.project + "/sub"));
}

// The same with an empty directory moved (the racer had left the project without a link).
BOOST_AUTO_TEST_CASE(an_empty_directory_moved_instead_of_the_workspace_goes_with_the_stage_when_its_name_is_taken)
{
  Project p;
  ::unlink((p.project + "/evil").c_str());
  ::mkdir((p.project + "/evil").c_str(), 0755);
  race_at_pin_moved(p, p.project + "/evil", true);
  std::string message = sandbox::test::message_of<sandbox::Error>([&] { MountPins pins({p.spec}); });
  BOOST_TEST(message.find("was replaced while the run was starting") != std::string::npos, message);
  BOOST_TEST(!p.exists(p.spec.stage_dir));
  BOOST_TEST(p.read(p.project + "/evil/inside") == "inside");
}

// What was moved holds something (a directory of the project): it is never thrown away. Its name
// is taken, so it stays in the stage, which the refusal names.
BOOST_AUTO_TEST_CASE(a_directory_with_content_moved_instead_of_the_workspace_stays_in_the_stage_named)
{
  Project p;
  std::system(("mkdir '" + p.project + "/other' && echo other > '" + p.project + "/other/file'").c_str());
  race_at_pin_moved(p, p.project + "/other", true);
  std::string message = sandbox::test::message_of<sandbox::Error>([&] { MountPins pins({p.spec}); });
  BOOST_TEST(message.find("cannot put " + p.spec.source + " back") != std::string::npos, message);
  BOOST_TEST(message.find("it is in " + p.spec.staged()) != std::string::npos, message);
  BOOST_TEST(p.read(p.spec.staged() + "/file") == "other\n");
  BOOST_TEST(p.read(p.project + "/other/inside") == "inside");
}

// Nothing took the name: what was moved goes back, and the stage goes.
BOOST_AUTO_TEST_CASE(a_link_moved_instead_of_the_workspace_goes_back_to_a_free_name)
{
  Project p;
  race_at_pin_moved(p, p.project + "/evil", false);
  std::string message = sandbox::test::message_of<sandbox::Error>([&] { MountPins pins({p.spec}); });
  BOOST_TEST(message.find("was replaced while the run was starting") != std::string::npos, message);
  BOOST_TEST(!p.exists(p.spec.stage_dir));
  BOOST_TEST(p.is_link(p.project + "/sub"));
  BOOST_TEST(p.read(p.project + "/evil/inside") == "inside");
}

#endif

BOOST_AUTO_TEST_SUITE_END()
