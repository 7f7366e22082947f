// The volume work of a run as plan steps: their order, what each step refuses, when cleanup
// removes the volumes and when they stay, and the collects' checks below /outputs.

#include "plan/executor.h"
#include "run/run_options.h"
#include "run/run_volumes.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace {

using sandbox::plan::Step;
using sandbox::test::reply_of;
using sandbox::run::RunOptions;

RunOptions resolve(const sandbox::test::TempDir& dir, sandbox::run::RunFlags flags)
{
  flags.image = "img";
  flags.output = "none";
  sandbox::run::HostFacts host{dir.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  return sandbox::run::resolve_run_options(flags, host, {"0123456789ab", "2026-01-01T00:00:00Z", "h:7", "n0nce"});
}

RunOptions input_and_collect(const sandbox::test::TempDir& dir)
{
  std::ofstream(dir.path + "/file.txt") << "data";
  sandbox::run::RunFlags flags;
  flags.tenant = "acme";
  flags.inputs = {"file.txt"};
  flags.collects = {"/outputs/a/b:out"};
  flags.volumes = {"cache:/cache"};
  return resolve(dir, flags);
}

// The volume steps before the run, checks included, on Docker (true: one tar at /) or Podman.
std::vector<Step> steps_before_run(const RunOptions& options, bool put_reaches_mounts = true)
{
  sandbox::run::VolumeSteps steps = sandbox::run::volume_steps(options, put_reaches_mounts);
  std::vector<Step> all = std::move(steps.prepare);
  for (Step& step : steps.checks) {
    all.push_back(std::move(step));
  }
  return all;
}

std::vector<std::string> ids(const std::vector<Step>& steps)
{
  std::vector<std::string> out;
  for (const Step& step : steps) {
    out.push_back(step.id);
  }
  return out;
}

const Step& step_named(const std::vector<Step>& steps, const std::string& id)
{
  for (const Step& step : steps) {
    if (step.id == id) {
      return step;
    }
  }
  BOOST_FAIL("no step " << id);
  return steps.front();
}

} // namespace

BOOST_AUTO_TEST_SUITE(run_volumes)

BOOST_AUTO_TEST_CASE(steps_come_in_the_order_the_engine_needs)
{
  sandbox::test::TempDir dir;
  RunOptions options = input_and_collect(dir);
  BOOST_TEST((ids(steps_before_run(options))
              == std::vector<std::string>{"mount-check-0", "volume-0", "volume-1", "helper-image", "helper-import", "helper",
                                          "upload", "upload-check-1"}),
             boost::test_tools::per_element());
  BOOST_TEST((ids(steps_before_run(options, false))
              == std::vector<std::string>{"mount-check-0", "volume-0", "volume-1", "helper-image", "helper-import", "helper",
                                          "upload", "upload-1", "upload-root", "upload-check-1"}),
             boost::test_tools::per_element());
  BOOST_TEST((ids(sandbox::run::collect_steps(options))
              == std::vector<std::string>{"collect-0-stat1", "collect-0-stat2", "collect-0-stat3", "collect-0", "collector-remove"}),
             boost::test_tools::per_element());
  BOOST_TEST((ids(sandbox::run::volume_cleanup_steps(options))
              == std::vector<std::string>{"helper-cleanup", "collector-cleanup", "volume-remove-0", "volume-remove-1"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(independent_steps_overlap)
{
  sandbox::test::TempDir dir;
  RunOptions options = input_and_collect(dir);
  std::vector<Step> steps = steps_before_run(options);
  BOOST_TEST((step_named(steps, "volume-0").overlap == Step::Overlap::with_next), "the two volumes are created together");
  BOOST_TEST((step_named(steps, "volume-1").overlap == Step::Overlap::none));
  BOOST_TEST((step_named(steps, "upload").overlap == Step::Overlap::with_next), "the sandbox is created during the upload");
  std::vector<Step> podman = steps_before_run(options, false);
  BOOST_TEST((step_named(podman, "upload").overlap == Step::Overlap::with_next), "the uploads go out together");
  BOOST_TEST((step_named(podman, "upload-1").overlap == Step::Overlap::with_next));
  BOOST_TEST((step_named(podman, "upload-root").overlap == Step::Overlap::with_next));
  std::optional<Step> remove = sandbox::run::helper_removal_step(options);
  BOOST_REQUIRE(remove);
  BOOST_TEST((remove->overlap == Step::Overlap::reply_later), "nothing waits for the helper's removal");
  BOOST_TEST(!sandbox::run::helper_removal_step(resolve(dir, {})));
}

BOOST_AUTO_TEST_CASE(one_tar_at_the_root_fills_every_volume_where_the_engine_writes_through_mounts)
{
  // Docker: v0 (the input volume's root, for its owner), the input below it, v1 (the output's root).
  sandbox::test::TempDir dir;
  std::vector<Step> steps = steps_before_run(input_and_collect(dir));
  const Step& upload = step_named(steps, "upload");
  BOOST_REQUIRE(upload.upload);
  BOOST_TEST(sandbox::engine::encode_query(upload.query) == "?path=%2F&noOverwriteDirNonDir=1");
  const std::vector<sandbox::plan::TarEntry>& entries = upload.upload->entries;
  BOOST_REQUIRE(entries.size() == 3u);
  BOOST_TEST(entries[0].member == "v0");
  BOOST_TEST((entries[0].source == sandbox::plan::TarEntry::Source::directory));
  BOOST_TEST(entries[1].member == "v0/file.txt");
  BOOST_TEST(entries[1].host_path == dir.path + "/file.txt");
  BOOST_TEST(entries[2].member == "v1");
  for (const sandbox::plan::TarEntry& entry : entries) {
    BOOST_TEST(entry.uid == 1000);
    BOOST_TEST(entry.gid == 1000);
  }
}

BOOST_AUTO_TEST_CASE(the_upload_gives_the_sandbox_user_each_volume_and_the_input_by_name)
{
  // Podman: each volume is filled through its own mount point (Podman writes a PUT at / into the
  // helper's layer); the roots' owner goes both as "." there (Podman) and as v0, v1 at / (Docker).
  sandbox::test::TempDir dir;
  std::vector<Step> steps = steps_before_run(input_and_collect(dir), false);
  const Step& upload = step_named(steps, "upload");
  BOOST_REQUIRE(upload.upload);
  BOOST_TEST(sandbox::engine::encode_query(upload.query) == "?path=%2Fv0&noOverwriteDirNonDir=1");
  const std::vector<sandbox::plan::TarEntry>& entries = upload.upload->entries;
  BOOST_REQUIRE(entries.size() == 2u);
  BOOST_TEST(entries[0].member == ".");
  BOOST_TEST(entries[1].member == "file.txt");
  BOOST_TEST(entries[1].host_path == dir.path + "/file.txt");
  const Step& output = step_named(steps, "upload-1");
  BOOST_TEST(sandbox::engine::encode_query(output.query) == "?path=%2Fv1&noOverwriteDirNonDir=1");
  BOOST_REQUIRE(output.upload->entries.size() == 1u);
  BOOST_TEST(output.upload->entries[0].member == ".");
  const Step& roots = step_named(steps, "upload-root");
  BOOST_TEST(sandbox::engine::encode_query(roots.query) == "?path=%2F&noOverwriteDirNonDir=1");
  BOOST_REQUIRE(roots.upload->entries.size() == 2u);
  BOOST_TEST(roots.upload->entries[0].member == "v0");
  BOOST_TEST(roots.upload->entries[1].member == "v1");
  for (const Step* step : {&upload, &output, &roots}) {
    for (const sandbox::plan::TarEntry& entry : step->upload->entries) {
      BOOST_TEST(entry.uid == 1000);
      BOOST_TEST(entry.gid == 1000);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_upload_the_engine_lost_is_an_error)
{
  // What each upload sent is compared with what the volume holds afterwards, whichever tar held it.
  sandbox::test::TempDir dir;
  for (bool put_reaches_mounts : {true, false}) {
    std::vector<Step> steps = steps_before_run(input_and_collect(dir), put_reaches_mounts);
    const Step& check = step_named(steps, "upload-check-1");
    BOOST_TEST(check.method == "HEAD");
    BOOST_TEST(sandbox::engine::encode_query(check.query) == "?path=%2Fv0%2Ffile.txt");
    BOOST_REQUIRE(check.check_recorded);
    sandbox::plan::Results results;
    results.record("upload", sandbox::json::parse(put_reaches_mounts
                                                      ? R"({"Sent":{"v0":{"Type":"directory","Size":0},"v0/file.txt":{"Type":"file","Size":5}}})"
                                                      : R"({"Sent":{".":{"Type":"directory","Size":0},"file.txt":{"Type":"file","Size":5}}})"));
    check.check_recorded(reply_of(200, R"({"name":"file.txt","size":5,"mode":420})"), results);
    std::string missing = sandbox::test::message_of<sandbox::Error>([&] { check.check_recorded(reply_of(404, ""), results); });
    BOOST_TEST(missing.find("does not hold file.txt") != std::string::npos, missing);
    std::string size = sandbox::test::message_of<sandbox::Error>(
      [&] { check.check_recorded(reply_of(200, R"({"name":"file.txt","size":0,"mode":420})"), results); });
    BOOST_TEST(size.find("with 0 bytes, not the 5 that were sent") != std::string::npos, size);
    std::string type = sandbox::test::message_of<sandbox::Error>(
      [&] { check.check_recorded(reply_of(200, R"({"name":"file.txt","size":4096,"mode":2147484141})"), results); });
    BOOST_TEST(type.find("as a directory, not the file") != std::string::npos, type);
  }
}

BOOST_AUTO_TEST_CASE(a_volume_of_the_same_name_that_is_not_ours_is_refused)
{
  sandbox::test::TempDir dir;
  std::vector<Step> steps = steps_before_run(input_and_collect(dir));
  const Step& create = step_named(steps, "volume-0");
  BOOST_REQUIRE(create.check);
  std::string ours = create.body->dump();
  BOOST_TEST(ours.find("\"docker-sandbox.creator\":\"h:7:n0nce:0\"") != std::string::npos, ours);
  create.check(reply_of(201, R"({"Name":"x","Labels":{"docker-sandbox.creator":"h:7:n0nce:0"}})"));
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] {
               create.check(reply_of(201, R"({"Name":"x","Labels":{"docker-sandbox.creator":"someone else"}})"));
             }).find("already exists") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_mounted_volume_must_belong_to_the_run_s_tenant)
{
  sandbox::test::TempDir dir;
  std::vector<Step> steps = steps_before_run(input_and_collect(dir));
  const Step& check = step_named(steps, "mount-check-0");
  check.check(reply_of(200, R"({"Name":"cache","Labels":{"docker-sandbox.managed":"true","docker-sandbox.tenant":"acme"}})"));
  auto refusal = [&](int status, const std::string& body) {
    return sandbox::test::message_of<sandbox::Error>([&] { check.check(reply_of(status, body)); });
  };
  BOOST_TEST(refusal(404, "") == "--volume cache: no such volume");
  BOOST_TEST(refusal(200, R"({"Name":"cache","Labels":{"docker-sandbox.managed":"true","docker-sandbox.tenant":"other"}})")
             == "--volume cache: the volume belongs to tenant other, not to tenant acme; refusing to mount it");
  BOOST_TEST(refusal(200, R"({"Name":"cache","Labels":{}})")
             == "--volume cache: the volume belongs to no tenant, not to tenant acme; refusing to mount it");
}

BOOST_AUTO_TEST_CASE(collects_refuse_a_planted_link_and_a_missing_path_as_problems)
{
  sandbox::test::TempDir dir;
  std::vector<Step> all = sandbox::run::collect_steps(input_and_collect(dir));
  BOOST_REQUIRE(all.size() == 5u);
  // Read from the collector (only the output volume, read-only), never from the sandbox.
  std::optional<Step> collector = sandbox::run::collector_step(input_and_collect(dir));
  BOOST_REQUIRE(collector.has_value());
  BOOST_TEST(collector->body->dump().find(R"("Target":"/outputs","ReadOnly":true)") != std::string::npos, collector->body->dump());
  BOOST_TEST(collector->body->dump().find("bind") == std::string::npos);
  BOOST_TEST(all.back().id == "collector-remove");
  BOOST_TEST(all.back().only_if_sent == std::vector<std::string>{"collector"});
  std::vector<Step> steps(all.begin(), all.end() - 1);
  for (const Step& step : steps) {
    BOOST_TEST(step.problem_label == "--collect /outputs/a/b");
    BOOST_TEST(step.unless_interrupted);
    BOOST_TEST(step.path.find("{collector.Id}") != std::string::npos, step.path);
  }
  BOOST_REQUIRE(steps.size() == 4u);
  BOOST_TEST(steps[0].query.front().second == "/outputs", "the mount point too");
  BOOST_TEST(steps[1].query.front().second == "/outputs/a");
  BOOST_TEST(steps[1].only_if_sent == (std::vector<std::string>{"collect-0-stat1", "collector"}));
  BOOST_TEST(steps[3].only_if_sent == (std::vector<std::string>{"collect-0-stat3", "collector"}));
  BOOST_TEST(steps[3].download->destination == dir.path + "/out");
  BOOST_TEST(steps[3].download->root_name == "b");
  // A symbolic link in the mode bits (Go's os.ModeSymlink, 1 << 27).
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] {
               steps[1].check(reply_of(200, R"({"name":"a","mode":134218239,"linkTarget":"/workspace"})"));
             }) == "/outputs/a is a symbolic link (to /workspace); refusing to read through a link that the sandbox could have made");
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] { steps[2].check(reply_of(404, "")); })
             == "the sandbox left nothing there");
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] { steps[2].check(reply_of(200, "")); })
             == "the engine described /outputs/a/b without its file mode; refusing to read it");
  steps[2].check(reply_of(200, R"({"name":"b","mode":2147484159})")); // a directory
}

BOOST_AUTO_TEST_CASE(volumes_stay_when_kept_or_when_something_could_not_be_collected)
{
  sandbox::test::TempDir dir;
  RunOptions options = input_and_collect(dir);
  for (const Step& step : sandbox::run::volume_cleanup_steps(options)) {
    if (step.id != "helper-cleanup" && step.id != "collector-cleanup") {
      BOOST_TEST(step.unless_problems, step.id);
    }
  }
  sandbox::plan::Results results;
  results.record("volume-0", sandbox::json::Value(), 201);
  results.record("volume-1", sandbox::json::Value(), 201);
  BOOST_TEST(sandbox::run::kept_volumes(options, results, false).empty());
  BOOST_TEST(sandbox::run::kept_volumes(options, results, true).empty());
  results.add_problem("--collect /outputs/a/b: the sandbox left nothing there");
  BOOST_TEST(sandbox::run::kept_volumes(options, results, false).size() == 2u);

  options.keep_volumes = true;
  for (const Step& step : sandbox::run::volume_cleanup_steps(options)) {
    if (step.id != "helper-cleanup" && step.id != "collector-cleanup") {
      BOOST_TEST(step.unless_sent == "start", "kept once the sandbox started, removed when the run failed before: " << step.id);
    }
  }
}

BOOST_AUTO_TEST_CASE(kept_volumes_are_removed_when_the_run_failed_while_its_sandbox_was_being_created)
{
  // The sandbox is created while the engine unpacks the upload: a failed upload leaves a created
  // sandbox behind it, and --keep-volumes must not keep half-filled volumes for it.
  sandbox::test::TempDir dir;
  RunOptions options = input_and_collect(dir);
  options.keep_volumes = true;
  sandbox::plan::Results results;
  results.record("volume-0", sandbox::json::Value(), 201);
  results.record("volume-1", sandbox::json::Value(), 201);
  results.record("create", sandbox::json::Value(), 201);
  BOOST_TEST(sandbox::run::kept_volumes(options, results, false).empty());
  results.record("start", sandbox::json::Value(), 204);
  BOOST_TEST(sandbox::run::kept_volumes(options, results, false).size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_run_without_volumes_has_no_volume_steps)
{
  sandbox::test::TempDir dir;
  RunOptions options = resolve(dir, {});
  BOOST_TEST(steps_before_run(options).empty());
  BOOST_TEST(sandbox::run::collect_steps(options).empty());
  BOOST_TEST(!sandbox::run::collector_step(options));
  BOOST_TEST(sandbox::run::volume_cleanup_steps(options).empty());
}

BOOST_AUTO_TEST_CASE(a_copied_workspace_never_stays_and_a_copied_output_stays_after_an_interrupt)
{
  sandbox::test::TempDir dir;
  sandbox::run::RunFlags flags;
  flags.image = "img";
  flags.workspace_mode = "copy";
  sandbox::run::HostFacts host{dir.path, 1000, 1000, sandbox::engine::fixed_environment({}), ""};
  RunOptions options = sandbox::run::resolve_run_options(flags, host, {"0123456789ab", "2026-01-01T00:00:00Z", "h:7", "n0nce"});
  std::vector<Step> cleanup = sandbox::run::volume_cleanup_steps(options);
  // The helper, the collector, the workspace, the output (before its sandbox started, and after it ran).
  BOOST_TEST_REQUIRE(cleanup.size() == 5u);
  BOOST_TEST(cleanup[1].id == "collector-cleanup");
  BOOST_TEST(!cleanup[2].unless_problems);
  BOOST_TEST(!cleanup[2].unless_interrupted);
  BOOST_TEST(cleanup[3].unless_sent == "start");
  BOOST_TEST(!cleanup[3].unless_interrupted);
  BOOST_TEST(cleanup[4].unless_problems);
  BOOST_TEST(cleanup[4].unless_interrupted);
  sandbox::plan::Results results;
  results.record("volume-0", sandbox::json::Value(), 201);
  results.record("volume-1", sandbox::json::Value(), 201);
  // Ctrl-C before the sandbox started: nothing was written, nothing stays.
  BOOST_TEST(sandbox::run::kept_volumes(options, results, true).empty());
  results.record("start", sandbox::json::Value(), 204);
  BOOST_TEST(sandbox::run::kept_volumes(options, results, false).empty());
  BOOST_TEST((sandbox::run::kept_volumes(options, results, true) == std::vector<std::string>{"run-0123456789ab-output"}));
  // A removal that went through is never reported as kept (a signal after the cleanup).
  sandbox::plan::Results removed = results;
  removed.record("volume-remove-1-after-run", sandbox::json::Value(), 204);
  BOOST_TEST(sandbox::run::kept_volumes(options, removed, true).empty());
  results.add_problem("the output: too big");
  BOOST_TEST((sandbox::run::kept_volumes(options, results, false) == std::vector<std::string>{"run-0123456789ab-output"}));
  // The output is read back only when the run was not interrupted, and the upload checks that
  // the workspace is still the directory that was checked.
  std::vector<Step> on_exit = sandbox::run::collect_steps(options);
  BOOST_TEST_REQUIRE(on_exit.size() >= 3u);
  BOOST_TEST(on_exit[on_exit.size() - 2].unless_interrupted);
  BOOST_TEST(on_exit.back().id == "collector-remove"); // the collector goes anyway
  bool checked = false;
  for (const Step& step : steps_before_run(options)) {
    if (step.upload) {
      for (const sandbox::plan::TarEntry& entry : step.upload->entries) {
        checked = checked || (entry.host_path == dir.path && entry.identity.has_value() && entry.uid == -1);
      }
    }
  }
  BOOST_TEST(checked);
}

BOOST_AUTO_TEST_SUITE_END()
