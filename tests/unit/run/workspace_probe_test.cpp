// The workspace probe: its plan (a never-started container that binds a marker and the
// directories, the HEADs, the removal), and the verdict read from the engine's replies, including
// what a decoy of the same path on the engine's host looks like.

#include "plan/plan.h"
#include "run/workspace_probe.h"
#include "util/error.h"
#include "util/json.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using sandbox::plan::Results;

// The stat the engine would report for `path` as we see it (mode and mtime to the nanosecond).
std::string stat_of(const std::string& path, long long shift_ns = 0)
{
  struct stat st{};
  ::lstat(path.c_str(), &st);
  long long ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec + shift_ns;
  std::time_t seconds = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, ns % 1000000000);
  return R"({"name":"d0","size":4096,"mode":)" + std::to_string(2147483648u | (st.st_mode & 0777)) + R"(,"mtime":")" + text
         + R"(","linkTarget":""})";
}

Results engine_saw(int marker_status, const std::string& dir_stat)
{
  Results results;
  results.record("probe", sandbox::json::parse(R"({"Id":"abc"})"), 201);
  results.record("probe-marker", sandbox::json::Value(), marker_status);
  results.record("probe-dir-0", sandbox::json::parse(dir_stat), 200);
  return results;
}

} // namespace

BOOST_AUTO_TEST_SUITE(workspace_probe)

BOOST_AUTO_TEST_CASE(plan_binds_the_marker_and_each_directory_read_only_and_removes_the_probe)
{
  sandbox::plan::Plan plan = sandbox::run::workspace_probe_plan("/home/me/.docker/sandbox/probes/x", "marker",
                                                                {"/src/project", "/src/project/output"},
                                                                {"0123456789ab", "2026-01-01T00:00:00Z", "h:7", "n0nce"});
  std::string ids;
  for (const sandbox::plan::Step& step : plan.steps) {
    ids += step.id + " ";
  }
  BOOST_TEST(ids == "helper-image helper-import probe probe-marker probe-dir-0 probe-dir-1 ");
  const sandbox::plan::Step& create = plan.steps.at(2);
  const std::vector<sandbox::json::Value>& mounts = (*create.body)["HostConfig"]["Mounts"].elements();
  BOOST_TEST_REQUIRE(mounts.size() == 3u);
  BOOST_TEST((*create.body)["Labels"].string_or("docker-sandbox.role") == "workspace-probe");
  BOOST_TEST((*create.body)["Labels"].string_or("docker-sandbox.owner") == "h:7");
  BOOST_TEST(mounts[0].string_or("Type") == "bind");
  BOOST_TEST(mounts[0].string_or("Source") == "/home/me/.docker/sandbox/probes/x");
  BOOST_TEST(mounts[2].string_or("Source") == "/src/project/output");
  for (const sandbox::json::Value& mount : mounts) {
    BOOST_TEST(mount["ReadOnly"].as_bool());
  }
  BOOST_TEST(plan.steps.at(3).query.at(0).second == "/m/marker");
  BOOST_TEST(plan.cleanup.size() == 1u);
  BOOST_TEST(plan.cleanup.at(0).method == "DELETE");
}

BOOST_AUTO_TEST_CASE(the_same_directory_is_seen)
{
  sandbox::test::TempDir dir;
  BOOST_TEST(sandbox::run::probe_saw_same(engine_saw(200, stat_of(dir.path)), {dir.path}));
}

BOOST_AUTO_TEST_CASE(a_decoy_of_the_same_path_is_not)
{
  sandbox::test::TempDir dir;
  // The engine's host has the path (and even our marker's name could not be guessed): its
  // directory was modified at another time, or has another mode.
  BOOST_TEST(!sandbox::run::probe_saw_same(engine_saw(200, stat_of(dir.path, 1)), {dir.path}));
  ::chmod(dir.path.c_str(), 0700);
  std::string other_mode = stat_of(dir.path);
  ::chmod(dir.path.c_str(), 0755);
  BOOST_TEST(!sandbox::run::probe_saw_same(engine_saw(200, other_mode), {dir.path}));
  // Our marker is not there: another filesystem.
  BOOST_TEST(!sandbox::run::probe_saw_same(engine_saw(404, stat_of(dir.path)), {dir.path}));
}

BOOST_AUTO_TEST_CASE(a_bind_the_engine_refuses_means_copy)
{
  for (const char* message : {R"({"message":"invalid mount config for type \"bind\": bind source path does not exist: /x"})",
                              R"({"message":"Mounts denied: the path /x is not shared from the host"})"}) {
    for (int status : {400, 500}) {
      Results refused;
      refused.record("probe", sandbox::json::parse(message), status);
      BOOST_TEST(!sandbox::run::probe_saw_same(refused, {"/x"}), message);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_killed_probe_is_swept_once_its_process_is_gone)
{
  sandbox::test::TempDir dir;
  auto make = [&](const std::string& name, bool marker, long age) {
    std::string path = dir.path + "/" + name;
    ::mkdir(path.c_str(), 0700);
    if (marker) {
      std::fclose(std::fopen((path + "/marker").c_str(), "w"));
    }
    struct timespec times[2] = {{std::time(nullptr) - age, 0}, {std::time(nullptr) - age, 0}};
    ::utimensat(AT_FDCWD, path.c_str(), times, 0);
    return path;
  };
  std::string killed = make("aaa-killed", true, 3600);
  std::string alive = make("bbb-alive", true, 3600);
  std::string fresh = make("ccc-fresh", false, 0); // being made: not locked yet
  std::string other = make("ddd-other", true, 3600);
  std::fclose(std::fopen((other + "/not-ours").c_str(), "w"));
  struct timespec old_times[2] = {{std::time(nullptr) - 3600, 0}, {std::time(nullptr) - 3600, 0}};
  ::utimensat(AT_FDCWD, other.c_str(), old_times, 0); // as old as the killed one: only its contents keep it
  sandbox::test::TempDir outside;
  std::string elsewhere = outside.path + "/target";
  ::mkdir(elsewhere.c_str(), 0700);
  ::symlink(elsewhere.c_str(), (dir.path + "/eee-link").c_str());
  int lock = ::open(alive.c_str(), O_RDONLY | O_DIRECTORY);
  BOOST_TEST_REQUIRE(::flock(lock, LOCK_EX) == 0); // its run is still probing

  sandbox::run::sweep_abandoned_probes(dir.path, "");
  struct stat st;
  BOOST_TEST(::lstat(killed.c_str(), &st) != 0);
  BOOST_TEST(::lstat((alive + "/marker").c_str(), &st) == 0);
  BOOST_TEST(::lstat(fresh.c_str(), &st) == 0);
  BOOST_TEST(::lstat((other + "/not-ours").c_str(), &st) == 0);
  BOOST_TEST(::lstat((other + "/marker").c_str(), &st) == 0); // untouched, not half swept
  BOOST_TEST(::lstat(elsewhere.c_str(), &st) == 0); // a link is not followed
  BOOST_TEST(::lstat((dir.path + "/eee-link").c_str(), &st) == 0);
  ::close(lock);

  // In the temporary directory, only the names probes are made with.
  std::string stranger = make("someone-else", true, 3600);
  std::string tmp_probe = make("docker-sandbox-probe-x", true, 3600);
  sandbox::run::sweep_abandoned_probes(dir.path, "docker-sandbox-probe-");
  BOOST_TEST(::lstat(stranger.c_str(), &st) == 0);
  BOOST_TEST(::lstat(tmp_probe.c_str(), &st) != 0);
}

BOOST_AUTO_TEST_SUITE_END()
