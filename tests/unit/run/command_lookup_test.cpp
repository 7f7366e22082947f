// The command lookup against a fake container file system: Go's exec.LookPath as runc uses it, and
// docker run's words and codes for what it refuses; then the walk as the plan runner drives it.

#include "run/command_lookup.h"

#include "plan/executor.h"

#include <boost/test/unit_test.hpp>

#include "support.h"

#include <algorithm>
#include <fstream>
#include <map>

#include <sys/stat.h>
#include <unistd.h>

using sandbox::json::Value;
using sandbox::run::CommandLookup;
using sandbox::run::CommandToRun;
using sandbox::run::CommandVerdict;

namespace {

// Go's os.FileMode bits as the engine sends them.
constexpr long long k_dir = 1LL << 31;
constexpr long long k_link = 1LL << 27;

Value stat(long long mode, const std::string& link = "")
{
  Value out = Value::object();
  out.set("name", "x");
  out.set("mode", mode);
  out.set("linkTarget", link);
  return out;
}

// A container file system: path -> stat; a path not listed is missing (404).
struct FakeFs
{
  std::map<std::string, Value> files;
  std::vector<std::string> asked;

  // Runs the lookup to its end. Returns the verdict.
  CommandVerdict look_up(CommandLookup& lookup)
  {
    while (std::optional<std::string> path = lookup.next()) {
      asked.push_back(*path);
      auto found = files.find(*path);
      lookup.observe(found == files.end() ? 404 : 200, found == files.end() ? Value() : found->second);
    }
    return lookup.verdict();
  }
};

CommandToRun command(std::string name, std::string path = "/usr/bin:/bin", std::string workdir = "/workspace")
{
  return {std::move(name), std::move(path), std::move(workdir), {}, {}};
}

// The words and code CommandCannotRun carries; "" and 0 when the lookup lets the command start.
std::pair<std::string, int> refusal(const CommandLookup& lookup)
{
  try {
    lookup.throw_if_cannot_run();
  } catch (const sandbox::run::CommandCannotRun& e) {
    return {e.what(), e.exit_code()};
  }
  return {"", 0};
}

} // namespace

BOOST_AUTO_TEST_SUITE(command_lookup)

BOOST_AUTO_TEST_CASE(a_name_is_looked_up_along_path_in_order)
{
  FakeFs fs;
  fs.files["/bin/true"] = stat(0755);
  fs.files["/usr/bin/true"] = stat(k_dir | 0755); // passed over, as Go does
  CommandLookup lookup(command("true"));
  BOOST_TEST((fs.look_up(lookup) == CommandVerdict::found));
  BOOST_TEST((fs.asked == std::vector<std::string>{"/usr/bin/true", "/bin/true"}));
  BOOST_TEST(refusal(lookup).second == 0);
}

BOOST_AUTO_TEST_CASE(a_missing_name_is_127_in_docker_runs_words)
{
  FakeFs fs;
  fs.files["/usr/bin/nosuch"] = stat(0644); // no execute bit: passed over, then not found
  CommandLookup lookup(command("nosuch"));
  BOOST_TEST((fs.look_up(lookup) == CommandVerdict::not_found));
  BOOST_TEST(refusal(lookup).first == "exec: \"nosuch\": executable file not found in $PATH");
  BOOST_TEST(refusal(lookup).second == 127);
}

BOOST_AUTO_TEST_CASE(an_empty_path_finds_nothing_and_a_relative_entry_is_left_to_the_runtime)
{
  FakeFs fs;
  // An init's execvp takes an empty PATH as the working directory; Go's LookPath finds nothing.
  CommandLookup empty(command("true", ""));
  BOOST_TEST((fs.look_up(empty) == CommandVerdict::undecided));
  BOOST_TEST(fs.asked.empty());
  CommandLookup relative(command("true", "/usr/bin::/bin"));
  BOOST_TEST((fs.look_up(relative) == CommandVerdict::undecided));
  BOOST_TEST((fs.asked == std::vector<std::string>{"/usr/bin/true"}));
}

BOOST_AUTO_TEST_CASE(a_path_is_taken_as_it_is_relative_to_the_working_directory)
{
  FakeFs fs;
  CommandLookup missing(command("./run.sh"));
  BOOST_TEST((fs.look_up(missing) == CommandVerdict::not_found));
  // Before the refusal, the directory above is stated too.
  BOOST_TEST((fs.asked == std::vector<std::string>{"/workspace/run.sh", "/workspace"}));
  BOOST_TEST(refusal(missing).first == "exec: \"./run.sh\": stat ./run.sh: no such file or directory");
  BOOST_TEST(refusal(missing).second == 127);

  fs.files["/etc"] = stat(k_dir | 0755);
  fs.files["/etc/passwd"] = stat(0644);
  for (const char* path : {"/etc", "/etc/passwd"}) {
    CommandLookup lookup(command(path));
    BOOST_TEST((fs.look_up(lookup) == CommandVerdict::cannot_run));
    // runc's words since Go 1.20: a directory is EISDIR.
    BOOST_TEST(refusal(lookup).first
               == "exec: \"" + std::string(path) + (path == std::string("/etc") ? "\": is a directory: permission denied" : "\": permission denied"));
    BOOST_TEST(refusal(lookup).second == 126);
  }
}

BOOST_AUTO_TEST_CASE(a_link_at_the_end_is_followed_absolute_or_relative)
{
  FakeFs fs;
  fs.files["/bin/true"] = stat(k_link | 0777, "/bin/busybox");
  fs.files["/bin/busybox"] = stat(0755);
  fs.files["/bin/ls"] = stat(k_link | 0777, "busybox");
  fs.files["/bin/dangling"] = stat(k_link | 0777, "/nowhere");
  fs.files["/bin/dir"] = stat(k_link | 0777, "/etc");
  fs.files["/etc"] = stat(k_dir | 0755);
  CommandLookup absolute(command("/bin/true"));
  BOOST_TEST((fs.look_up(absolute) == CommandVerdict::found));
  CommandLookup relative(command("ls", "/bin"));
  BOOST_TEST((fs.look_up(relative) == CommandVerdict::found));
  BOOST_TEST(fs.asked.back() == "/bin/busybox");
  CommandLookup dangling(command("/bin/dangling"));
  BOOST_TEST((fs.look_up(dangling) == CommandVerdict::not_found));
  CommandLookup dir(command("/bin/dir"));
  BOOST_TEST((fs.look_up(dir) == CommandVerdict::cannot_run));
}

BOOST_AUTO_TEST_CASE(a_link_loop_and_an_engine_error_leave_it_to_the_runtime)
{
  FakeFs fs;
  fs.files["/bin/a"] = stat(k_link | 0777, "/bin/b");
  fs.files["/bin/b"] = stat(k_link | 0777, "/bin/a");
  CommandLookup loop(command("/bin/a"));
  BOOST_TEST((fs.look_up(loop) == CommandVerdict::undecided));
  BOOST_TEST(fs.asked.size() <= 10u);
  CommandLookup failed(command("/etc/passwd/x"));
  failed.observe(500, Value());
  BOOST_TEST((failed.verdict() == CommandVerdict::undecided));
  BOOST_TEST(refusal(failed).second == 0);
}

BOOST_AUTO_TEST_CASE(an_unreadable_stat_is_one_error)
{
  CommandLookup lookup(command("/bin/true"));
  BOOST_CHECK_THROW(lookup.observe(200, Value()), sandbox::Error);
  CommandLookup garbage(command("/bin/true"));
  Value text = Value::object();
  text.set("mode", "rwx");
  BOOST_CHECK_THROW(garbage.observe(200, text), sandbox::Error);
}

BOOST_AUTO_TEST_CASE(the_command_comes_from_the_engines_inspect)
{
  Value inspect = sandbox::json::parse(R"({"Path":"python3","Config":{"Cmd":["python3"],"Env":["A=1","PATH=/opt/bin"],"WorkingDir":""}})");
  CommandToRun found = sandbox::run::command_to_run(inspect);
  BOOST_TEST(found.name == "python3");
  BOOST_TEST(found.path_env == "/opt/bin");
  BOOST_TEST(found.workdir == "/");
  Value bare = sandbox::json::parse(R"({"Path":"x","Config":{"WorkingDir":"/w"}})");
  BOOST_TEST(sandbox::run::command_to_run(bare).path_env == sandbox::run::k_default_path);
  BOOST_TEST(sandbox::run::command_to_run(bare).workdir == "/w");
  // Podman names its init as the Path and puts the command after "--".
  // The first word of Config.Entrypoint, else of Config.Cmd: Podman names its init as the Path.
  Value podman = sandbox::json::parse(
    R"({"Path":"/run/podman-init","Args":["--","nosuch","a"],"HostConfig":{"Init":true},"Config":{"Cmd":["nosuch","a"]}})");
  BOOST_TEST(sandbox::run::command_to_run(podman).name == "nosuch");
  Value entrypoint = sandbox::json::parse(R"({"Path":"tini","Config":{"Entrypoint":["/entry.sh"],"Cmd":["x"]}})");
  BOOST_TEST(sandbox::run::command_to_run(entrypoint).name == "/entry.sh");
  // Docker with its init: Path is the command, and a "--" among its arguments is the user's own.
  Value dashes = sandbox::json::parse(
    R"({"Path":"bash","Args":["--","./build.sh"],"HostConfig":{"Init":true},"Config":{"Cmd":["bash","--","./build.sh"]}})");
  BOOST_TEST(sandbox::run::command_to_run(dashes).name == "bash");
  // An entrypoint that is not a list of words: nothing is refused.
  Value odd = sandbox::json::parse(R"({"Path":"/run/podman-init","Config":{"Entrypoint":"/entry.sh","Cmd":["x"]}})");
  BOOST_TEST(sandbox::run::command_to_run(odd).name.empty());
  BOOST_TEST((CommandLookup(sandbox::run::command_to_run(odd)).verdict() == CommandVerdict::undecided));
  Value empty_entrypoint = sandbox::json::parse(R"({"Config":{"Entrypoint":"","Cmd":["x"]}})");
  BOOST_TEST(sandbox::run::command_to_run(empty_entrypoint).name == "x");

  // Where the sandbox has mounts: what the engine lists, its tmpfs, and what every runtime mounts.
  Value mounted = sandbox::json::parse(R"({"Path":"x","Mounts":[{"Destination":"/workspace"}],
                                           "HostConfig":{"Tmpfs":{"/tmp":"rw,exec","/home/sandbox/":""},
                                                         "Mounts":[{"Target":"/data/./in"}]},"Config":{}})");
  std::vector<std::string> points = sandbox::run::command_to_run(mounted).mount_points;
  for (const char* point : {"/workspace", "/tmp", "/home/sandbox", "/data/in", "/proc", "/sys", "/dev", "/etc/hosts"}) {
    BOOST_TEST((std::find(points.begin(), points.end(), point) != points.end()), point);
  }
}

// The lookup container has none of the sandbox's mounts: what lies under one is never looked at
// there, and a refusal is only given when nothing under a mount could change it.
CommandToRun mounted(std::string name, std::string path = "/usr/bin:/bin")
{
  CommandToRun out = command(std::move(name), std::move(path));
  out.mount_points = {"/workspace", "/home/sandbox", "/proc"};
  return out;
}

BOOST_AUTO_TEST_CASE(a_path_under_a_mount_is_left_to_the_runtime)
{
  FakeFs fs;
  fs.files["/workspace/run.sh"] = stat(0644); // what the image has under the mount point is hidden there
  for (const char* name : {"./run.sh", "/workspace/run.sh", "/proc/self/exe", "/workspace/../bin/true"}) {
    CommandLookup lookup(mounted(name));
    BOOST_TEST((fs.look_up(lookup) == CommandVerdict::undecided), name);
    BOOST_TEST(refusal(lookup).second == 0);
  }
  BOOST_TEST(fs.asked.empty());
}

BOOST_AUTO_TEST_CASE(a_path_entry_under_a_mount_is_passed_over_but_forbids_not_found)
{
  FakeFs fs;
  fs.files["/bin/true"] = stat(0755);
  CommandLookup found(mounted("true", "/home/sandbox/.local/bin:/bin"));
  BOOST_TEST((fs.look_up(found) == CommandVerdict::found));
  BOOST_TEST((fs.asked == std::vector<std::string>{"/bin/true"}));
  CommandLookup missing(mounted("nosuch", "/home/sandbox/.local/bin:/bin"));
  BOOST_TEST((fs.look_up(missing) == CommandVerdict::undecided));
  BOOST_TEST(refusal(missing).second == 0);
}

BOOST_AUTO_TEST_CASE(a_link_into_a_mount_is_left_to_the_runtime)
{
  FakeFs fs;
  fs.files["/usr/bin/tool"] = stat(k_link | 0777, "/workspace/tool");
  CommandLookup lookup(mounted("tool"));
  BOOST_TEST((fs.look_up(lookup) == CommandVerdict::undecided));
  // Passed over along PATH as if missing; found nowhere else, the miss proves nothing.
  BOOST_TEST((fs.asked == std::vector<std::string>{"/usr/bin/tool", "/bin/tool"}));
}

BOOST_AUTO_TEST_CASE(a_refusal_is_confirmed_by_the_directories_above)
{
  FakeFs fs;
  // Debian's merged /usr: /bin is a link to usr/bin, which the engine followed. Nothing hides.
  fs.files["/bin"] = stat(k_link | 0777, "/usr/bin");
  fs.files["/usr"] = stat(k_dir | 0755);
  fs.files["/usr/bin"] = stat(k_dir | 0755);
  CommandLookup missing(mounted("nosuch"));
  BOOST_TEST((fs.look_up(missing) == CommandVerdict::not_found));
  BOOST_TEST((fs.asked == std::vector<std::string>{"/usr/bin/nosuch", "/bin/nosuch", "/usr", "/usr/bin", "/bin"}));
  BOOST_TEST(refusal(missing).second == 127);

  // A directory above that is a link into a mount: the engine looked in the image, the runtime
  // will look in the mount.
  FakeFs hidden;
  hidden.files["/opt"] = stat(k_dir | 0755);
  hidden.files["/opt/tools"] = stat(k_link | 0777, "/workspace/tools");
  for (const char* name : {"/opt/tools/run", "/opt/tools"}) {
    CommandLookup lookup(mounted(name));
    BOOST_TEST((hidden.look_up(lookup) == CommandVerdict::undecided), name);
  }
  hidden.files["/opt/tools"] = stat(k_dir | 0755);
  CommandLookup plain_dir(mounted("/opt/tools"));
  BOOST_TEST((hidden.look_up(plain_dir) == CommandVerdict::cannot_run));
}

// A host bind (the workspace) is looked at on the host, following no link.
BOOST_AUTO_TEST_CASE(a_bind_is_stated_on_the_host_without_following_links)
{
  sandbox::test::TempDir dir;
  std::string root = dir.path;
  BOOST_REQUIRE(::mkdir((root + "/bin").c_str(), 0755) == 0);
  std::ofstream(root + "/run.sh") << "#!/bin/sh\n";
  ::chmod((root + "/run.sh").c_str(), 0644);
  std::ofstream(root + "/bin/tool") << "#!/bin/sh\n";
  ::chmod((root + "/bin/tool").c_str(), 0750);
  BOOST_REQUIRE(::symlink("/etc/passwd", (root + "/abs").c_str()) == 0);
  BOOST_REQUIRE(::symlink("../opt", (root + "/up").c_str()) == 0);
  BOOST_REQUIRE(::mkfifo((root + "/fifo").c_str(), 0755) == 0);
  sandbox::run::HostBind bind{"/workspace", root};
  auto mode = [](const std::pair<int, Value>& reply) { return reply.second["mode"].as_int(); };
  BOOST_TEST(mode(sandbox::run::stat_in_bind(bind, "run.sh")) == 0644);
  BOOST_TEST(mode(sandbox::run::stat_in_bind(bind, "bin/tool")) == 0750);
  BOOST_TEST(mode(sandbox::run::stat_in_bind(bind, "bin")) == (k_dir | 0755));
  BOOST_TEST(mode(sandbox::run::stat_in_bind(bind, "")) == (k_dir | 0700)); // the bind's root
  BOOST_TEST(sandbox::run::stat_in_bind(bind, "nosuch").first == 404);
  BOOST_TEST(sandbox::run::stat_in_bind(bind, "bin/nosuch/x").first == 404);
  BOOST_TEST(sandbox::run::stat_in_bind(bind, "run.sh/x").first == 500); // not a directory
  BOOST_TEST(sandbox::run::stat_in_bind(bind, "fifo").first == 500);
  // A link at the end is given as it is; a link above as where the rest of the path leads.
  BOOST_TEST(sandbox::run::stat_in_bind(bind, "abs").second.string_or("linkTarget") == "/etc/passwd");
  BOOST_TEST(sandbox::run::stat_in_bind(bind, "abs/x").second.string_or("linkTarget") == "/etc/passwd/x");
  BOOST_TEST(sandbox::run::stat_in_bind(bind, "up/bin/tool").second.string_or("linkTarget") == "/opt/bin/tool");
}

BOOST_AUTO_TEST_CASE(a_command_in_the_workspace_gets_docker_runs_words)
{
  sandbox::test::TempDir dir;
  std::ofstream(dir.path + "/noexec.sh") << "#!/bin/sh\n";
  ::chmod((dir.path + "/noexec.sh").c_str(), 0644);
  std::ofstream(dir.path + "/run.sh") << "#!/bin/sh\n";
  ::chmod((dir.path + "/run.sh").c_str(), 0755);
  BOOST_REQUIRE(::symlink("/bin/busybox", (dir.path + "/true").c_str()) == 0);
  BOOST_REQUIRE(::symlink("/workspace/nowhere", (dir.path + "/dangling").c_str()) == 0);
  FakeFs image;
  image.files["/bin/busybox"] = stat(0755);
  // Drives the lookup as the walk does: bind paths on the host, the rest from the image.
  auto verdict = [&](const std::string& name) {
    CommandToRun command = mounted(name);
    command.binds = {{"/workspace", dir.path}};
    CommandLookup lookup(command);
    while (std::optional<std::string> path = lookup.next()) {
      if (auto bound = lookup.in_bind(*path)) {
        auto [status, body] = sandbox::run::stat_in_bind(bound->first, bound->second);
        lookup.observe(status, body);
      } else {
        auto found = image.files.find(*path);
        lookup.observe(found == image.files.end() ? 404 : 200, found == image.files.end() ? Value() : found->second);
      }
    }
    return std::make_pair(lookup.verdict(), refusal(lookup).first);
  };
  BOOST_TEST((verdict("./run.sh").first == CommandVerdict::found));
  BOOST_TEST((verdict("./true").first == CommandVerdict::found)); // into the image
  BOOST_TEST(verdict("./noexec.sh").second == "exec: \"./noexec.sh\": permission denied");
  BOOST_TEST(verdict("/workspace/noexec.sh").second == "exec: \"/workspace/noexec.sh\": permission denied");
  BOOST_TEST(verdict("./nosuch").second == "exec: \"./nosuch\": stat ./nosuch: no such file or directory");
  BOOST_TEST(verdict("./dangling").second == "exec: \"./dangling\": stat ./dangling: no such file or directory");
  BOOST_TEST(verdict("./").second == "exec: \"./\": is a directory: permission denied");
  // Still nothing under a mount that is not a bind.
  BOOST_TEST((verdict("/home/sandbox/x").first == CommandVerdict::undecided));
}

// A directory above that is a link to, into or above a mount (a bind too): the engine followed it
// in the image, the runtime will follow it in the sandbox.
BOOST_AUTO_TEST_CASE(a_link_above_that_meets_a_mount_forbids_a_refusal)
{
  FakeFs image;
  image.files["/opt"] = stat(k_dir | 0755);
  image.files["/opt/tools"] = stat(k_link | 0777, "/workspace/tools"); // into a bind
  image.files["/bin"] = stat(k_link | 0777, "/usr/bin");              // merged /usr
  image.files["/usr"] = stat(k_dir | 0755);
  image.files["/usr/bin"] = stat(k_dir | 0755);
  image.files["/lib"] = stat(k_link | 0777, "/usr/lib");
  image.files["/usr/lib"] = stat(k_dir | 0755);
  auto verdict = [&](const std::string& name, std::vector<std::string> points, std::vector<sandbox::run::HostBind> binds) {
    CommandToRun run = command(name);
    run.mount_points = std::move(points);
    run.binds = std::move(binds);
    CommandLookup lookup(run);
    return image.look_up(lookup);
  };
  BOOST_TEST((verdict("/opt/tools/run", {"/workspace"}, {{"/workspace", "/nonexistent-host-dir"}}) == CommandVerdict::undecided));
  BOOST_TEST((verdict("/bin/mytool", {"/usr/bin/mytool"}, {{"/usr/bin/mytool", "/nonexistent-host-file"}}) == CommandVerdict::undecided));
  BOOST_TEST((verdict("/lib/node/bin/x", {"/usr/lib/node"}, {}) == CommandVerdict::undecided));
  // With no mount there, the link proves nothing away: still 127.
  BOOST_TEST((verdict("/bin/mytool", {"/workspace"}, {}) == CommandVerdict::not_found));
}

BOOST_AUTO_TEST_CASE(a_project_of_long_links_is_bounded)
{
  sandbox::test::TempDir dir;
  std::string chain;
  for (int i = 0; i < 200; ++i) {
    chain += "x/";
  }
  BOOST_REQUIRE(::symlink(("/workspace/" + chain).c_str(), (dir.path + "/l").c_str()) == 0);
  CommandToRun run = mounted("./l/" + chain + "run.sh");
  run.binds = {{"/workspace", dir.path}};
  CommandLookup lookup(run);
  int stats = 0;
  while (std::optional<std::string> path = lookup.next()) {
    BOOST_REQUIRE(++stats < 100);
    BOOST_TEST(path->size() <= 4096u);
    auto bound = lookup.in_bind(*path);
    auto [status, body] = bound ? sandbox::run::stat_in_bind(bound->first, bound->second) : std::make_pair(404, Value());
    lookup.observe(status, body);
  }
  BOOST_TEST(refusal(lookup).second != 126);
}

BOOST_AUTO_TEST_CASE(a_name_is_shown_escaped)
{
  FakeFs fs;
  CommandLookup lookup(command("evil\x1b[2J"));
  fs.look_up(lookup);
  BOOST_TEST(refusal(lookup).first == "exec: \"evil\\x1b[2J\": executable file not found in $PATH");
}

// The plan runner sends the lookup step once per path the walk names, and stops the plan with
// the walk's refusal.
BOOST_AUTO_TEST_CASE(the_runner_walks_the_step)
{
  struct FakeEngine : sandbox::plan::Executor
  {
    std::vector<std::string> sent;
    std::vector<std::string> others;
    sandbox::plan::Reply execute(const sandbox::plan::Step& step) override
    {
      sandbox::plan::Reply reply;
      reply.status = 200;
      if (step.method == "GET") {
        reply.body = sandbox::json::parse(R"({"Path":"ls","Config":{"Cmd":["ls"],"Env":["PATH=/usr/bin:/bin"]}})");
        return reply;
      }
      if (step.method != "HEAD") {
        others.push_back(step.method + " " + step.path);
        reply.status = step.method == "POST" ? 201 : 204;
        reply.body = sandbox::json::parse(R"({"Id":"L1"})");
        return reply;
      }
      BOOST_TEST(step.path == "/containers/L1/archive");
      sent.push_back(step.query.at(0).second);
      if (step.query.at(0).second == "/usr/bin/ls") {
        reply.status = 404;
      } else {
        reply.body = stat(k_link | 0777, "/bin/busybox");
        if (step.query.at(0).second == "/bin/busybox") {
          reply.body = stat(0755);
        }
      }
      return reply;
    }
    bool live() const override { return true; }
  };
  sandbox::plan::Plan plan;
  sandbox::run::RunOptions options;
  options.image = "img";
  plan.steps = {sandbox::plan::make_step("create", "the sandbox", "POST", "/containers/create")};
  sandbox::run::LookupSteps lookup = sandbox::run::command_lookup_steps(options, {});
  plan.steps.push_back(lookup.container);
  for (sandbox::plan::Step& step : lookup.look) {
    plan.steps.push_back(std::move(step));
  }
  plan.steps.push_back(lookup.remove);
  FakeEngine engine;
  sandbox::plan::run_plan(plan, engine);
  BOOST_TEST((engine.sent == std::vector<std::string>{"/usr/bin/ls", "/bin/ls", "/bin/busybox"}));
  // Created after the sandbox, removed once looked at.
  BOOST_TEST((engine.others == std::vector<std::string>{"POST /containers/create", "POST /containers/create", "DELETE /containers/L1"}));
}

BOOST_AUTO_TEST_SUITE_END()
