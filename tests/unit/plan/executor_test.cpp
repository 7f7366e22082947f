// The runner every executor shares: the order of steps, on_exit and cleanup, cleanup on every
// exit path (skipped when nothing was created), conditions, checks and problems; and the dry-run
// printer's text and JSON output.

#include "plan/executor.h"
#include "plan/plan.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using sandbox::json::Value;
using sandbox::plan::Plan;
using sandbox::plan::Results;
using sandbox::plan::Step;
using sandbox::plan::StepKind;
using Lines = std::vector<std::string>;

// Records every step it is given (resolved) and answers with canned replies.
class Recorder : public sandbox::plan::Executor
{
public:
  explicit Recorder(bool live) : m_live(live) {}

  sandbox::plan::Reply execute(const Step& step) override
  {
    calls.push_back((m_in_cleanup ? "cleanup " : "") + step.method + " " + step.path
                    + sandbox::engine::encode_query(step.query));
    if (failing.count(step.id)) {
      throw sandbox::EngineError(409, "boom in " + step.id);
    }
    if (unreachable.count(step.id)) {
      throw sandbox::ConnectionError("lost the engine in " + step.id);
    }
    sandbox::plan::Reply out;
    auto status = statuses.find(step.id);
    out.status = status == statuses.end() ? 200 : status->second;
    auto reply = replies.find(step.id);
    out.body = reply == replies.end() ? Value() : reply->second;
    return out;
  }
  bool live() const override { return m_live; }
  void begin_cleanup() override
  {
    m_in_cleanup = true;
    calls.push_back("begin_cleanup");
  }
  void finish() override
  {
    ++finish_calls;
    calls_before_finish = calls.size();
  }

  std::map<std::string, Value> replies;
  std::map<std::string, int> statuses; // 200 unless named here
  std::set<std::string> failing; // step ids whose execute throws
  std::set<std::string> unreachable; // step ids whose execute loses the connection
  Lines calls;
  int finish_calls = 0;
  std::size_t calls_before_finish = 0;

private:
  bool m_live;
  bool m_in_cleanup = false;
};

Value object_of(const std::string& text)
{
  return sandbox::json::parse(text);
}

Step step_of(const std::string& id, const std::string& summary, const std::string& method, const std::string& path)
{
  return sandbox::plan::make_step(id, summary, method, path);
}

// create, attach, start; on exit inspect; cleanup remove.
Plan container_plan()
{
  Plan plan;
  plan.api_version = sandbox::engine::ApiVersion{1, 41};

  Step create = step_of("create", "create the container", "POST", "/containers/create");
  create.query = {{"name", "sbx-test"}};
  create.body = object_of(R"({"Image":"busybox","Cmd":["echo","hi there"]})");
  plan.steps.push_back(create);

  Step attach = step_of("attach", "attach to its output", "POST", "/containers/{create.Id}/attach");
  attach.query = {{"stream", "1"}, {"stdout", "1"}};
  attach.kind = StepKind::attach;
  plan.steps.push_back(attach);

  Step start = step_of("start", "start it", "POST", "/containers/{create.Id}/start");
  start.accepted = {304};
  plan.steps.push_back(start);

  plan.on_exit.push_back(step_of("inspect", "read its exit code", "GET", "/containers/{create.Id}/json"));

  Step remove = step_of("remove", "remove the container", "DELETE", "/containers/{create.Id}");
  remove.query = {{"force", "1"}};
  remove.accepted = {404};
  plan.cleanup.push_back(remove);
  return plan;
}

Recorder live_recorder()
{
  Recorder recorder(true);
  recorder.replies["create"] = object_of(R"({"Id":"c0ffee","Warnings":[]})");
  recorder.replies["inspect"] = object_of(R"({"State":{"ExitCode":7}})");
  return recorder;
}

// Records when a step is sent and when its reply is read.
class Overlapping : public Recorder
{
public:
  Overlapping() : Recorder(true) {}
  std::unique_ptr<sandbox::plan::PendingReply> send(const Step& step) override
  {
    struct Pending : sandbox::plan::PendingReply
    {
      Overlapping& owner;
      std::string id;
      Pending(Overlapping& o, std::string i) : owner(o), id(std::move(i)) {}
      sandbox::plan::Reply wait() override
      {
        owner.calls.push_back("read " + id);
        if (owner.failing.count(id)) {
          throw sandbox::EngineError(409, "boom in " + id);
        }
        if (owner.unreachable.count(id)) {
          throw sandbox::ConnectionError("lost the engine in " + id);
        }
        sandbox::plan::Reply reply;
        reply.status = 200;
        return reply;
      }
    };
    calls.push_back("sent " + step.id);
    return std::make_unique<Pending>(*this, step.id);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(executor)

BOOST_AUTO_TEST_CASE(run_plan_walks_steps_between_on_exit_then_cleanup)
{
  Plan plan = container_plan();
  Recorder recorder = live_recorder();
  Results results = sandbox::plan::run_plan(plan, recorder, [&](Results& so_far) {
    recorder.calls.push_back("between " + so_far.resolve("{create.Id}", true));
  });
  const Lines expected = {
    "POST /containers/create?name=sbx-test",
    "POST /containers/c0ffee/attach?stream=1&stdout=1",
    "POST /containers/c0ffee/start",
    "between c0ffee",
    "GET /containers/c0ffee/json",
    "begin_cleanup",
    "cleanup DELETE /containers/c0ffee?force=1",
  };
  BOOST_TEST(recorder.calls == expected, boost::test_tools::per_element());
  BOOST_TEST(recorder.finish_calls == 1);
  BOOST_TEST(recorder.calls_before_finish == expected.size());
  BOOST_REQUIRE(results.find("inspect"));
  BOOST_TEST((*results.find("inspect"))["State"]["ExitCode"].as_int() == 7);
  BOOST_TEST(results.resolve("{create.Id}", true) == "c0ffee");
}

BOOST_AUTO_TEST_CASE(a_failing_step_still_cleans_up_and_rethrows_the_original_error)
{
  Plan plan = container_plan();
  Recorder recorder = live_recorder();
  recorder.failing.insert("start");
  bool between_called = false;
  try {
    sandbox::plan::run_plan(plan, recorder, [&](Results&) { between_called = true; });
    BOOST_ERROR("expected the start failure to propagate");
  } catch (const sandbox::EngineError& e) {
    BOOST_TEST(e.status() == 409);
    BOOST_TEST(std::string(e.what()) == "boom in start");
  }
  const Lines expected = {
    "POST /containers/create?name=sbx-test",
    "POST /containers/c0ffee/attach?stream=1&stdout=1",
    "POST /containers/c0ffee/start",
    "begin_cleanup",
    "cleanup DELETE /containers/c0ffee?force=1",
  };
  BOOST_TEST(recorder.calls == expected, boost::test_tools::per_element());
  BOOST_TEST(!between_called);
}

BOOST_AUTO_TEST_CASE(cleanup_is_skipped_when_its_references_do_not_resolve)
{
  Plan plan = container_plan();
  plan.cleanup.push_back(step_of("scratch", "remove the scratch volume", "DELETE", "/volumes/sbx-scratch"));
  Recorder recorder = live_recorder();
  recorder.failing.insert("create");
  BOOST_CHECK_THROW(sandbox::plan::run_plan(plan, recorder), sandbox::EngineError);
  // Nothing was created, so there is no container to remove; the step without references runs.
  const Lines expected = {
    "POST /containers/create?name=sbx-test",
    "begin_cleanup",
    "cleanup DELETE /volumes/sbx-scratch",
  };
  BOOST_TEST(recorder.calls == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_failure_between_steps_and_on_exit_still_cleans_up)
{
  Plan plan = container_plan();
  Recorder recorder = live_recorder();
  BOOST_CHECK_THROW(sandbox::plan::run_plan(plan, recorder,
                                            [](Results&) { throw sandbox::ConnectionError("connection dropped"); }),
                    sandbox::ConnectionError);
  BOOST_TEST(recorder.calls.size() == 5u);
  BOOST_TEST(recorder.calls.back() == "cleanup DELETE /containers/c0ffee?force=1");
  for (const std::string& call : recorder.calls) {
    BOOST_TEST(call.find("/json") == std::string::npos); // on_exit never ran
  }
}

BOOST_AUTO_TEST_CASE(a_failing_on_exit_step_still_cleans_up)
{
  Plan plan = container_plan();
  Recorder recorder = live_recorder();
  recorder.failing.insert("inspect");
  BOOST_CHECK_THROW(sandbox::plan::run_plan(plan, recorder), sandbox::EngineError);
  BOOST_REQUIRE(recorder.calls.size() == 6u);
  BOOST_TEST(recorder.calls[3] == "GET /containers/c0ffee/json");
  BOOST_TEST(recorder.calls[5] == "cleanup DELETE /containers/c0ffee?force=1");
}

BOOST_AUTO_TEST_CASE(a_cleanup_failure_after_success_is_reported_after_all_cleanup_ran)
{
  Plan plan = container_plan();
  plan.cleanup.push_back(step_of("scratch", "remove the scratch volume", "DELETE", "/volumes/sbx-scratch"));
  Recorder recorder = live_recorder();
  recorder.failing.insert("remove");
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] { sandbox::plan::run_plan(plan, recorder); })
             == "cleanup failed: remove the container: boom in remove");
  BOOST_TEST(recorder.calls.back() == "cleanup DELETE /volumes/sbx-scratch");
  BOOST_TEST(recorder.finish_calls == 1);
}

BOOST_AUTO_TEST_CASE(a_cleanup_failure_does_not_hide_the_original_error)
{
  Plan plan = container_plan();
  Recorder recorder = live_recorder();
  recorder.failing = {"start", "remove"};
  BOOST_TEST(sandbox::test::message_of<sandbox::EngineError>([&] { sandbox::plan::run_plan(plan, recorder); })
             == "boom in start");
  BOOST_TEST(recorder.calls.back() == "cleanup DELETE /containers/c0ffee?force=1");
}

BOOST_AUTO_TEST_CASE(a_dry_run_keeps_references_as_written_and_shows_every_cleanup_step)
{
  Plan plan = container_plan();
  Recorder recorder(false); // replies are null, as from the dry-run printer
  sandbox::plan::run_plan(plan, recorder);
  const Lines expected = {
    "POST /containers/create?name=sbx-test",
    "POST /containers/{create.Id}/attach?stream=1&stdout=1",
    "POST /containers/{create.Id}/start",
    "GET /containers/{create.Id}/json",
    "begin_cleanup",
    "cleanup DELETE /containers/{create.Id}?force=1",
  };
  BOOST_TEST(recorder.calls == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_live_run_sends_only_the_steps_whose_conditions_hold)
{
  Plan plan;
  Step look = step_of("image", "look for the image", "GET", "/images/x/json");
  look.accepted = {404};
  plan.steps.push_back(look);
  Step import = step_of("import", "import it", "POST", "/images/create");
  import.only_if_status = std::make_pair(std::string("image"), 404);
  plan.steps.push_back(import);
  plan.steps.push_back(step_of("create", "create", "POST", "/containers/create"));
  Step removed = step_of("remove-now", "remove now", "DELETE", "/containers/{create.Id}");
  plan.steps.push_back(removed);
  Step inspect = step_of("inspect", "inspect", "GET", "/containers/{create.Id}/json");
  inspect.only_if_exit_code = 137;
  plan.on_exit.push_back(inspect);
  Step twin = step_of("remove", "remove", "DELETE", "/containers/{create.Id}");
  twin.unless_sent = "remove-now";
  plan.cleanup.push_back(twin);

  Recorder present = live_recorder();
  sandbox::plan::run_plan(plan, present, [](Results& so_far) { so_far.set_exit_code(0); });
  BOOST_TEST((present.calls == Lines{"GET /images/x/json", "POST /containers/create", "DELETE /containers/c0ffee",
                                     "begin_cleanup"}),
             "no import (the image is there), no inspect (exit 0), no second removal");

  Recorder missing = live_recorder();
  missing.statuses["image"] = 404;
  missing.failing.insert("remove-now");
  BOOST_CHECK_THROW(sandbox::plan::run_plan(plan, missing, [](Results& so_far) { so_far.set_exit_code(137); }),
                    sandbox::EngineError);
  BOOST_TEST((missing.calls == Lines{"GET /images/x/json", "POST /images/create", "POST /containers/create",
                                     "DELETE /containers/c0ffee", "begin_cleanup", "cleanup DELETE /containers/c0ffee"}),
             "the import after a 404, and the cleanup twin once the first removal failed");
}

BOOST_AUTO_TEST_CASE(overlapping_steps_are_in_flight_together_and_their_replies_read_in_order)
{
  Plan plan;
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    plan.steps.push_back(step_of(id, id, "POST", std::string("/") + id));
  }
  plan.steps[0].overlap = Step::Overlap::with_next;
  plan.steps[1].overlap = Step::Overlap::with_next;
  plan.steps[3].overlap = Step::Overlap::reply_later;
  Overlapping recorder;
  Results results = sandbox::plan::run_plan(plan, recorder);
  BOOST_TEST((recorder.calls == Lines{"sent a", "sent b", "POST /c", "read a", "read b", "sent d", "POST /e", "read d",
                                      "begin_cleanup"}),
             boost::test_tools::per_element());
  BOOST_TEST(results.status("d").value_or(0) == 200, "a reply read later is recorded like any other");

  std::ostringstream out;
  sandbox::plan::DryRunPrinter printer(out, sandbox::plan::DryRunFormat::text, sandbox::engine::ApiVersion{1, 41});
  sandbox::plan::run_plan(plan, printer);
  BOOST_TEST(out.str().find("# 1. a (sent together with the next step)\n") != std::string::npos, out.str());
  BOOST_TEST(out.str().find("# 4. d (its reply is read once the steps after it were sent)\n") != std::string::npos, out.str());
}

BOOST_AUTO_TEST_CASE(steps_after_the_exit_overlap_too)
{
  // The exited container is removed while what it wrote is read.
  Plan plan;
  plan.steps.push_back(step_of("start", "start", "POST", "/start"));
  plan.on_exit.push_back(step_of("gone", "remove it", "DELETE", "/gone"));
  plan.on_exit.push_back(step_of("read", "read it", "GET", "/read"));
  plan.on_exit[0].overlap = Step::Overlap::reply_later;
  Overlapping recorder;
  Results results = sandbox::plan::run_plan(plan, recorder);
  BOOST_TEST((recorder.calls == Lines{"POST /start", "sent gone", "GET /read", "read gone", "begin_cleanup"}),
             boost::test_tools::per_element());
  BOOST_TEST(results.status("gone").value_or(0) == 200);
}

BOOST_AUTO_TEST_CASE(cleanup_sends_a_with_next_step_together_with_the_one_after_it)
{
  // The sandbox and the egress proxy are removed together; the network only once both are gone.
  // When the step after a with_next one is not sent, its reply is read at once.
  Plan plan;
  plan.steps.push_back(step_of("start", "start", "POST", "/start"));
  for (const char* id : {"sandbox", "proxy", "network", "other", "skipped", "last"}) {
    plan.cleanup.push_back(step_of(id, id, "DELETE", std::string("/") + id));
  }
  plan.cleanup[0].overlap = Step::Overlap::with_next;
  plan.cleanup[3].overlap = Step::Overlap::with_next;
  plan.cleanup[4].path = "/{never.Id}";
  Overlapping recorder;
  sandbox::plan::run_plan(plan, recorder);
  BOOST_TEST((recorder.calls == Lines{"POST /start", "begin_cleanup", "sent sandbox", "cleanup DELETE /proxy", "read sandbox",
                                      "cleanup DELETE /network", "sent other", "read other", "cleanup DELETE /last"}),
             boost::test_tools::per_element());

  // A failure read from a step in flight is a failure of cleanup like any other.
  Overlapping failing;
  failing.failing.insert("sandbox");
  BOOST_CHECK_EXCEPTION(sandbox::plan::run_plan(plan, failing), sandbox::Error, [](const sandbox::Error& e) {
    return std::string(e.what()) == "cleanup failed: sandbox: boom in sandbox";
  });
  BOOST_TEST(failing.calls.back() == "cleanup DELETE /last", "the rest of cleanup still ran");

  // The engine lost beside a step in flight: its reply is still read, nothing more is sent, and the
  // error names the step that lost it.
  Overlapping lost;
  lost.unreachable.insert("proxy");
  BOOST_CHECK_EXCEPTION(sandbox::plan::run_plan(plan, lost), sandbox::ConnectionError, [](const sandbox::ConnectionError& e) {
    return std::string(e.what()) == "cleanup failed: proxy: lost the engine in proxy";
  });
  BOOST_TEST((lost.calls == Lines{"POST /start", "begin_cleanup", "sent sandbox", "cleanup DELETE /proxy", "read sandbox"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(replies_in_flight_are_read_and_recorded_when_a_step_fails)
{
  // Two volumes created together: the second fails, the first is ours and must be removed; a third
  // in flight behind a failing one is still read.
  Plan plan;
  for (const char* id : {"v0", "v1", "v2"}) {
    Step create = step_of(id, "create", "POST", "/volumes/create");
    create.overlap = Step::Overlap::with_next;
    plan.steps.push_back(create);
  }
  plan.steps.back().overlap = Step::Overlap::none;
  for (const char* id : {"v0", "v1", "v2"}) {
    Step remove = step_of(std::string("remove-") + id, "remove", "DELETE", std::string("/volumes/") + id);
    remove.only_if_sent = {id};
    plan.cleanup.push_back(remove);
  }
  Overlapping last_fails;
  last_fails.failing.insert("v2");
  BOOST_CHECK_THROW(sandbox::plan::run_plan(plan, last_fails), sandbox::plan::StepFailed);
  BOOST_TEST((last_fails.calls == Lines{"sent v0", "sent v1", "POST /volumes/create", "read v0", "read v1", "begin_cleanup",
                                        "cleanup DELETE /volumes/v0", "cleanup DELETE /volumes/v1"}),
             boost::test_tools::per_element());

  Overlapping first_fails;
  first_fails.failing.insert("v0");
  BOOST_CHECK_THROW(sandbox::plan::run_plan(plan, first_fails), sandbox::plan::StepFailed);
  BOOST_TEST((first_fails.calls == Lines{"sent v0", "sent v1", "POST /volumes/create", "read v0", "read v1", "begin_cleanup",
                                         "cleanup DELETE /volumes/v1", "cleanup DELETE /volumes/v2"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_best_effort_failure_is_a_warning_and_the_plan_goes_on)
{
  Plan plan = container_plan();
  Step helper = step_of("helper-remove", "remove the helper container", "DELETE", "/containers/helper");
  helper.best_effort = true;
  plan.steps.insert(plan.steps.begin() + 1, helper);
  Step volume = step_of("volume-remove", "remove volume v", "DELETE", "/volumes/v");
  volume.best_effort = true;
  plan.cleanup.push_back(volume);
  Recorder recorder = live_recorder();
  recorder.failing = {"helper-remove", "volume-remove"};
  Results results = sandbox::plan::run_plan(plan, recorder);
  BOOST_TEST((results.warnings() == Lines{"remove the helper container: boom in helper-remove", "remove volume v: boom in volume-remove"}),
             boost::test_tools::per_element());
  BOOST_TEST(results.problems().empty());
}

BOOST_AUTO_TEST_CASE(a_check_refuses_a_reply_and_nothing_that_depends_on_it_is_sent)
{
  Plan plan;
  Step create = step_of("volume", "create volume", "POST", "/volumes/create");
  create.check = [](const sandbox::plan::Reply& reply) {
    if (reply.body.string_or("Name") != "mine") {
      throw sandbox::Error("volume mine already exists");
    }
  };
  plan.steps.push_back(create);
  plan.steps.push_back(step_of("next", "next", "POST", "/containers/create"));
  plan.cleanup.push_back(step_of("remove", "remove volume", "DELETE", "/volumes/{volume.Name}"));
  Recorder recorder(true);
  recorder.replies["volume"] = object_of(R"({"Name":"someone else's"})");
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] { sandbox::plan::run_plan(plan, recorder); })
             == "volume mine already exists");
  BOOST_TEST((recorder.calls == Lines{"POST /volumes/create", "begin_cleanup"}),
             "a refused reply is not recorded, so the volume that is not ours is never removed");
}

BOOST_AUTO_TEST_CASE(a_failed_step_with_a_problem_label_is_a_problem_and_the_plan_goes_on)
{
  Plan plan = container_plan();
  Step collect = step_of("collect", "download", "GET", "/containers/{create.Id}/archive");
  collect.problem_label = "--collect /outputs";
  plan.on_exit.push_back(collect);
  plan.on_exit.push_back(step_of("after", "after", "GET", "/containers/{create.Id}/json"));
  Step keep = step_of("volume-remove", "remove the volume", "DELETE", "/volumes/out");
  keep.unless_problems = true;
  plan.cleanup.push_back(keep);
  Recorder recorder = live_recorder();
  recorder.failing.insert("collect");
  Results results = sandbox::plan::run_plan(plan, recorder);
  BOOST_TEST(results.problems() == Lines{"--collect /outputs: boom in collect"});
  BOOST_TEST(recorder.calls.back() == "cleanup DELETE /containers/c0ffee?force=1", "the volume stays after a problem");
  BOOST_TEST(std::count(recorder.calls.begin(), recorder.calls.end(), "GET /containers/c0ffee/json") == 2,
             "the steps after the problem were sent");
}

BOOST_AUTO_TEST_CASE(the_dry_run_shows_every_condition_instead_of_deciding)
{
  Plan plan;
  Step import = step_of("import", "import it", "POST", "/images/create");
  import.only_if_status = std::make_pair(std::string("image"), 404);
  import.kind = StepKind::upload;
  import.upload = sandbox::plan::Upload{};
  plan.steps.push_back(import);
  Step collect = step_of("collect", "download /outputs", "GET", "/containers/{create.Id}/archive");
  collect.kind = StepKind::download;
  collect.download = sandbox::plan::Download{"/home/me/out", "outputs", false, 100, 5};
  collect.unless_interrupted = true;
  plan.on_exit.push_back(collect);
  std::ostringstream out;
  sandbox::plan::DryRunPrinter printer(out, sandbox::plan::DryRunFormat::text, sandbox::engine::ApiVersion{1, 41});
  sandbox::plan::run_plan(plan, printer);
  BOOST_TEST(out.str() == "# 1. import it (only if step image replied 404)\n"
                          "POST /v1.41/images/create\n"
                          "body: a tar of\n"
                          "  an empty tar\n"
                          "\n"
                          "# 2. download /outputs (not after an interrupt)\n"
                          "GET /v1.41/containers/{create.Id}/archive\n"
                          "reply: a tar, extracted safely into /home/me/out, at most 100 bytes and 5 files for all downloads together\n");
}

BOOST_AUTO_TEST_CASE(versioned_target_prefixes_the_version_and_encodes_the_query)
{
  Step step = step_of("list", "list", "GET", "/containers/json");
  step.query = {{"all", "1"}, {"filters", R"({"label":["a=b c"]})"}};
  BOOST_TEST(sandbox::plan::versioned_target(sandbox::engine::ApiVersion{1, 44}, step)
             == "/v1.44/containers/json?all=1&filters=%7B%22label%22%3A%5B%22a%3Db%20c%22%5D%7D");
  step.query.clear();
  BOOST_TEST(sandbox::plan::versioned_target(sandbox::engine::ApiVersion{1, 41}, step) == "/v1.41/containers/json");
}

BOOST_AUTO_TEST_CASE(dry_run_text_output)
{
  Plan plan = container_plan();
  std::ostringstream out;
  sandbox::plan::DryRunPrinter printer(out, sandbox::plan::DryRunFormat::text, plan.api_version);
  sandbox::plan::run_plan(plan, printer);
  const std::string expected = "# 1. create the container\n"
                               "POST /v1.41/containers/create?name=sbx-test\n"
                               "{\n"
                               "  \"Image\": \"busybox\",\n"
                               "  \"Cmd\": [\n"
                               "    \"echo\",\n"
                               "    \"hi there\"\n"
                               "  ]\n"
                               "}\n"
                               "\n"
                               "# 2. attach to its output\n"
                               "POST /v1.41/containers/{create.Id}/attach?stream=1&stdout=1\n"
                               "\n"
                               "# 3. start it\n"
                               "POST /v1.41/containers/{create.Id}/start\n"
                               "\n"
                               "# 4. read its exit code\n"
                               "GET /v1.41/containers/{create.Id}/json\n"
                               "\n"
                               "# 5. remove the container (cleanup, on every exit path)\n"
                               "DELETE /v1.41/containers/{create.Id}?force=1\n";
  BOOST_TEST(out.str() == expected);
}

BOOST_AUTO_TEST_CASE(dry_run_text_uses_the_given_api_version)
{
  Plan plan = container_plan();
  std::ostringstream out;
  sandbox::plan::DryRunPrinter printer(out, sandbox::plan::DryRunFormat::text, sandbox::engine::ApiVersion{1, 47});
  sandbox::plan::run_plan(plan, printer);
  BOOST_TEST(out.str().find("POST /v1.47/containers/create?name=sbx-test\n") != std::string::npos);
  BOOST_TEST(out.str().find("/v1.41/") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(dry_run_json_output)
{
  Plan plan = container_plan();
  std::ostringstream out;
  sandbox::plan::DryRunPrinter printer(out, sandbox::plan::DryRunFormat::json, plan.api_version);
  sandbox::plan::run_plan(plan, printer);
  const std::string text = out.str();
  BOOST_REQUIRE(!text.empty());
  BOOST_TEST(text.back() == '\n');
  Value steps = sandbox::json::parse(text);
  BOOST_REQUIRE(steps.is_array());
  BOOST_REQUIRE(steps.size() == 5u);
  BOOST_TEST(steps.elements()[0].dump()
             == R"({"step":"create","summary":"create the container","method":"POST","path":"/v1.41/containers/create",)"
                R"("query":{"name":"sbx-test"},"body":{"Image":"busybox","Cmd":["echo","hi there"]},)"
                R"("kind":"request","only_if_exit_code":null,"cleanup":false,)"
                R"("target":"/v1.41/containers/create?name=sbx-test","conditions":[]})");
  BOOST_TEST(steps.elements()[1].dump()
             == R"({"step":"attach","summary":"attach to its output","method":"POST",)"
                R"("path":"/v1.41/containers/{create.Id}/attach","query":{"stream":"1","stdout":"1"},"body":null,)"
                R"("kind":"attach","only_if_exit_code":null,"cleanup":false,)"
                R"("target":"/v1.41/containers/{create.Id}/attach?stream=1&stdout=1","conditions":[]})");
  BOOST_TEST(steps.elements()[4].dump()
             == R"({"step":"remove","summary":"remove the container","method":"DELETE",)"
                R"("path":"/v1.41/containers/{create.Id}","query":{"force":"1"},"body":null,)"
                R"("kind":"request","only_if_exit_code":null,"cleanup":true,)"
                R"("target":"/v1.41/containers/{create.Id}?force=1","conditions":[]})");
  BOOST_TEST(text == steps.pretty() + "\n");
}

BOOST_AUTO_TEST_CASE(dry_run_json_prints_only_at_finish)
{
  std::ostringstream out;
  sandbox::plan::DryRunPrinter printer(out, sandbox::plan::DryRunFormat::json, sandbox::engine::ApiVersion{1, 41});
  Step wait = step_of("wait", "wait", "POST", "/containers/x/wait");
  wait.kind = StepKind::wait;
  Step pull = step_of("pull", "pull", "POST", "/images/create");
  pull.kind = StepKind::progress;
  BOOST_TEST(printer.execute(wait).body.is_null());
  printer.execute(pull);
  BOOST_TEST(out.str().empty());
  printer.finish();
  Value steps = sandbox::json::parse(out.str());
  BOOST_REQUIRE(steps.size() == 2u);
  BOOST_TEST(steps.elements()[0]["kind"].as_string() == "wait");
  BOOST_TEST(steps.elements()[1]["kind"].as_string() == "progress");
  BOOST_TEST(!printer.live());
}

BOOST_AUTO_TEST_CASE(dry_run_shows_a_conditional_on_exit_step)
{
  Plan plan = container_plan();
  plan.on_exit.front().only_if_exit_code = 137;

  std::ostringstream text;
  sandbox::plan::DryRunPrinter text_printer(text, sandbox::plan::DryRunFormat::text, plan.api_version);
  sandbox::plan::run_plan(plan, text_printer);
  BOOST_TEST(text.str().find("# 4. read its exit code (only if it exited 137)\nGET /v1.41/containers/{create.Id}/json\n")
             != std::string::npos);

  std::ostringstream json;
  sandbox::plan::DryRunPrinter json_printer(json, sandbox::plan::DryRunFormat::json, plan.api_version);
  sandbox::plan::run_plan(plan, json_printer);
  Value steps = sandbox::json::parse(json.str());
  BOOST_REQUIRE(steps.size() == 5u);
  BOOST_TEST(steps.elements()[3]["only_if_exit_code"].as_int() == 137);
  BOOST_TEST(steps.elements()[2]["only_if_exit_code"].is_null());
}

BOOST_AUTO_TEST_CASE(dry_run_of_an_empty_plan)
{
  Plan plan;
  std::ostringstream text_out;
  sandbox::plan::DryRunPrinter text_printer(text_out, sandbox::plan::DryRunFormat::text, plan.api_version);
  sandbox::plan::run_plan(plan, text_printer);
  BOOST_TEST(text_out.str().empty());

  std::ostringstream json_out;
  sandbox::plan::DryRunPrinter json_printer(json_out, sandbox::plan::DryRunFormat::json, plan.api_version);
  sandbox::plan::run_plan(plan, json_printer);
  BOOST_TEST(json_out.str() == "[]\n");
}

BOOST_AUTO_TEST_SUITE_END()
