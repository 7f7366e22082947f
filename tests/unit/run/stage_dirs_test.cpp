// Stage directories: which bind sources could be swapped under the engine, where their stage goes
// (the stage root under the Docker config dir first, never inside the project or the output), and
// delivery of a sandbox's output: files arrive, links are moved as links and never followed, names
// of stage directories are refused, and a killed run's output is repaired only from a manifest that
// one of our runs could have written.

#include "run/output_stage.h"
#include "run/stage_dirs.h"
#include "run/stage_repair.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace sandbox::run;

struct Tree
{
  std::string root;
  Tree()
  {
    char pattern[] = "/tmp/sbx-stage.XXXXXX";
    root = ::mkdtemp(pattern);
    ::chmod(root.c_str(), 0755);
  }
  ~Tree() { std::system(("rm -rf '" + root + "'").c_str()); }
  std::string dir(const std::string& relative, mode_t mode = 0755) const
  {
    std::string path = root + "/" + relative;
    std::system(("mkdir -p '" + path + "'").c_str());
    ::chmod(path.c_str(), mode);
    return path;
  }
  void file(const std::string& relative, const std::string& content) const { std::ofstream(root + "/" + relative) << content; }
  std::string read(const std::string& relative) const
  {
    std::ifstream in(root + "/" + relative);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(stage_dirs)

BOOST_AUTO_TEST_CASE(a_path_in_the_project_or_below_a_directory_others_write_can_be_swapped)
{
  Tree tree;
  std::string project = tree.dir("home/project");
  uid_t me = ::getuid();
  BOOST_TEST(path_can_be_swapped(project + "/sub", {project}, me));
  BOOST_TEST(!path_can_be_swapped(project, {project}, me));
  std::string shared = tree.dir("shared", 0777); // no sticky bit: anyone renames its entries
  std::string inside = tree.dir("shared/work");
  BOOST_TEST(path_can_be_swapped(inside, {}, me));
  ::chmod(shared.c_str(), 01777); // sticky, and the entry is ours
  BOOST_TEST(!path_can_be_swapped(inside, {}, me));
}

BOOST_AUTO_TEST_CASE(the_stage_goes_to_the_root_first_and_never_into_the_project_or_the_output)
{
  Tree tree;
  std::string project = tree.dir("home/project");
  std::string output = tree.dir("home/project/output");
  std::string config = tree.dir("home/.docker", 0700);
  uid_t me = ::getuid();
  BOOST_TEST(find_stage_dir(output, {project, output}, me, "r-output", stage_root(config))
             == config + "/sandbox/stages/.docker-sandbox-r-output");
  // Without a root: the nearest ancestor outside the project.
  BOOST_TEST(find_stage_dir(output, {project, output}, me, "r-output", "") == tree.root + "/home/.docker-sandbox-r-output");
  // An output outside the project is not its own stage parent either.
  std::string results = tree.dir("home/results");
  BOOST_TEST(find_stage_dir(results, {project, results}, me, "r-output", "") == tree.root + "/home/.docker-sandbox-r-output");
  // A root that others could change is passed over.
  ::chmod(config.c_str(), 0777);
  BOOST_TEST(find_stage_dir(output, {project, output}, me, "r-output", stage_root(config))
             == tree.root + "/home/.docker-sandbox-r-output");
}

BOOST_AUTO_TEST_CASE(delivery_merges_moves_links_as_links_and_refuses_stage_names)
{
  Tree tree;
  std::string project = tree.dir("project");
  std::string output = tree.dir("project/output");
  tree.dir("project/output/keep");
  tree.file("project/output/keep/old", "old");
  tree.file("project/output/replaced", "before");
  std::string outside = tree.dir("outside");
  std::string config = tree.dir("config", 0700);
  StagedOutput spec{output, stage_root(config) + "/.docker-sandbox-r-output"};
  std::vector<std::string> problems;
  {
    OutputStage stage(spec, std::nullopt, std::nullopt);
    std::string staged = spec.staged();
    std::system(("mkdir -p '" + staged + "/keep' '" + staged + "/.docker-sandbox-zz'").c_str());
    std::ofstream(staged + "/keep/new") << "new";
    std::ofstream(staged + "/replaced") << "after";
    std::ofstream(staged + "/.docker-sandbox-zz/manifest") << "output\tpayload\t" << outside << "\n";
    ::symlink(outside.c_str(), (staged + "/link").c_str());
    problems = stage.deliver();
  }
  BOOST_TEST(tree.read("project/output/keep/old") == "old");
  BOOST_TEST(tree.read("project/output/keep/new") == "new");
  BOOST_TEST(tree.read("project/output/replaced") == "after");
  struct stat st;
  BOOST_TEST((::lstat((output + "/link").c_str(), &st) == 0 && S_ISLNK(st.st_mode)));
  BOOST_TEST(::lstat((output + "/.docker-sandbox-zz").c_str(), &st) != 0);
  BOOST_REQUIRE(problems.size() == 1u);
  BOOST_TEST(problems[0].find("reserved") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_planted_manifest_outside_the_stage_root_cannot_name_a_target_elsewhere)
{
  Tree tree;
  std::string project = tree.dir("home/project");
  std::string victim = tree.dir("victim");
  tree.file("victim/.bashrc", "mine");
  // What a sandbox could leave beside a project, made to look like a killed run's output stage.
  std::string planted = tree.dir("home/.docker-sandbox-zz-output", 0700);
  tree.dir("home/.docker-sandbox-zz-output/output");
  tree.file("home/.docker-sandbox-zz-output/output/.bashrc", "PWNED");
  std::ofstream(planted + "/manifest") << "output\toutput\t" << victim << "\n";
  repair_abandoned_stages(project, "");
  BOOST_TEST(tree.read("victim/.bashrc") == "mine");
}

BOOST_AUTO_TEST_SUITE_END()
