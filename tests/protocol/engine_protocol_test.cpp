// EngineClient, Transport and HttpExecutor against the fake engine: version negotiation and its
// refusals (reference §3.2), error bodies in both shapes (§3.3), the Host and Content-Type rules
// (§3.1), unreachable and broken connections, streaming, and a plan's cleanup on failure.

#include "fake_engine.h"

#include "engine/api_version.h"
#include "engine/engine_client.h"
#include "engine/http.h"
#include "engine/raw_http.h"
#include "engine/transport.h"
#include "plan/executor.h"
#include "plan/plan.h"
#include "util/error.h"
#include "util/json.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace {

using sandbox::ConnectionError;
using sandbox::EngineError;
using sandbox::engine::ApiVersion;
using sandbox::engine::EngineClient;
using sandbox::engine::k_max_api_version;
using sandbox::engine::k_min_api_version;
using sandbox::test::FakeEngine;
using sandbox::test::FakeEngineOptions;
using sandbox::test::FakeReply;
using sandbox::test::RecordedRequest;
using sandbox::test::Signal;
using Lines = std::vector<std::string>;

// Runs `body` and returns the exception of type E it throws; records a failure (and returns
// nullopt) when it throws nothing. Exceptions of other types propagate and fail the test.
template <typename E, typename F> std::optional<E> thrown(F&& body)
{
  try {
    body();
  } catch (const E& e) {
    return e;
  }
  BOOST_ERROR("expected an exception, none was thrown");
  return std::nullopt;
}

bool contains(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

std::string v(ApiVersion version)
{
  return "/v" + version.str();
}

sandbox::json::Value create_body()
{
  sandbox::json::Value body = sandbox::json::Value::object();
  body.set("Image", "busybox");
  sandbox::json::Value cmd = sandbox::json::Value::array();
  cmd.push("true");
  body.set("Cmd", std::move(cmd));
  return body;
}

sandbox::plan::Step step(const std::string& id, const std::string& method, const std::string& path)
{
  sandbox::plan::Step out;
  out.id = id;
  out.summary = id;
  out.method = method;
  out.path = path;
  return out;
}

// create, start; cleanup removes whatever create made.
sandbox::plan::Plan create_start_remove_plan()
{
  sandbox::plan::Plan plan;
  sandbox::plan::Step create = step("create", "POST", "/containers/create");
  create.query = {{"name", "sbx-test"}};
  create.body = create_body();
  plan.steps.push_back(create);
  sandbox::plan::Step start = step("start", "POST", "/containers/{create.Id}/start");
  start.accepted = {304};
  plan.steps.push_back(start);
  sandbox::plan::Step remove = step("remove", "DELETE", "/containers/{create.Id}");
  remove.query = {{"force", "1"}};
  remove.accepted = {404};
  plan.cleanup.push_back(remove);
  return plan;
}

} // namespace

BOOST_AUTO_TEST_SUITE(engine_protocol)

// ---- version negotiation ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(negotiates_the_older_of_ours_and_the_engines_and_versions_every_path)
{
  FakeEngine fake(FakeEngineOptions::speaking("1.43"));
  fake.route("GET", "/containers/json", FakeReply::json(200, "[]"));
  EngineClient client(fake.endpoint(), std::nullopt);

  BOOST_TEST(!client.negotiated());
  BOOST_TEST(client.get_json("/containers/json", {{"all", "1"}}).is_array());
  BOOST_TEST(client.api_version().str() == "1.43");
  client.get_json("/containers/json");

  // One /_ping per client, then every path carries the negotiated version.
  Lines expected{"GET /_ping", "GET /v1.43/containers/json?all=1", "GET /v1.43/containers/json"};
  BOOST_TEST(fake.request_lines() == expected, boost::test_tools::per_element());
  BOOST_TEST(fake.requests().at(1).route == "/containers/json");
}

BOOST_AUTO_TEST_CASE(asking_who_the_engine_is_before_the_version_sends_one_ping)
{
  // A command asks for the engine's features and its version in either order (volume put does).
  FakeEngine fake(FakeEngineOptions::speaking("1.43"));
  fake.route("GET", "/info", FakeReply::json(200, "{}"));
  EngineClient client(fake.endpoint(), std::nullopt);
  client.identity();
  BOOST_TEST(client.api_version().str() == "1.43");
  client.get_json("/info");
  Lines expected{"GET /_ping", "GET /v1.43/info"};
  BOOST_TEST(fake.request_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_newer_engine_is_spoken_to_at_our_newest_version)
{
  FakeEngine fake(FakeEngineOptions::speaking("1.99"));
  fake.route("GET", "/info", FakeReply::json(200, "{}"));
  EngineClient client(fake.endpoint(), std::nullopt);

  client.get_json("/info");
  BOOST_TEST(client.api_version().str() == k_max_api_version.str());
  BOOST_TEST(k_max_api_version.str() == "1.47");
  Lines expected{"GET /_ping", "GET " + v(k_max_api_version) + "/info"};
  BOOST_TEST(fake.request_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_oldest_supported_engine_is_accepted)
{
  FakeEngine fake(FakeEngineOptions::speaking("1.41", "1.12")); // Docker 20.10
  fake.route("GET", "/info", FakeReply::json(200, "{}"));
  EngineClient client(fake.endpoint(), std::nullopt);

  client.get_json("/info");
  Lines expected{"GET /_ping", "GET /v1.41/info"};
  BOOST_TEST(fake.request_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_missing_api_version_header_means_1_24_and_is_refused)
{
  FakeEngine fake(FakeEngineOptions::without_api_version());
  fake.route("POST", "/containers/create", FakeReply::json(201, R"({"Id":"abc"})"));
  EngineClient client(fake.endpoint(), std::nullopt);

  std::optional<sandbox::Error> error =
    thrown<sandbox::Error>([&] { client.call("POST", "/containers/create", {}, create_body()); });
  BOOST_REQUIRE(error);
  BOOST_TEST(contains(error->what(), "1.24"), error->what());
  BOOST_TEST(contains(error->what(), "older than " + k_min_api_version.str()), error->what());
  BOOST_TEST(!error->hint().empty());
  BOOST_TEST(fake.request_lines() == Lines{"GET /_ping"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_engine_at_1_40_is_refused_before_anything_else_is_sent)
{
  FakeEngine fake(FakeEngineOptions::speaking("1.40", "1.12")); // Docker 19.03
  fake.route("POST", "/containers/create", FakeReply::json(201, R"({"Id":"abc"})"));
  fake.route("DELETE", "/containers/abc", FakeReply::no_content());
  EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::plan::HttpExecutor executor(client);

  // Refused as the engine's age, not as an HTTP or connection failure.
  bool refused_for_age = false;
  try {
    sandbox::plan::run_plan(create_start_remove_plan(), executor);
  } catch (const EngineError& e) {
    BOOST_ERROR("an engine error instead of a refusal: " << e.what());
  } catch (const ConnectionError& e) {
    BOOST_ERROR("a connection error instead of a refusal: " << e.what());
  } catch (const sandbox::Error& e) {
    refused_for_age = contains(e.what(), "1.40") && contains(e.what(), k_min_api_version.str());
    BOOST_TEST(refused_for_age, e.what());
  }
  BOOST_TEST(refused_for_age);
  BOOST_TEST(fake.request_lines() == Lines{"GET /_ping"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_pinned_version_skips_ping)
{
  FakeEngine fake;
  fake.route("GET", "/containers/json", FakeReply::json(200, "[]"));
  EngineClient client(fake.endpoint(), ApiVersion{1, 44});

  BOOST_TEST(client.negotiated());
  client.get_json("/containers/json");
  BOOST_TEST(client.api_version().str() == "1.44");
  BOOST_TEST(fake.request_lines() == Lines{"GET /v1.44/containers/json"}, boost::test_tools::per_element());
}

// Docker 29.0–29.2 refuse anything below 1.44, as plain text (reference §3.2).
BOOST_AUTO_TEST_CASE(a_pinned_version_below_the_engines_minimum_reports_the_plain_text_refusal)
{
  FakeEngine fake(FakeEngineOptions::speaking("1.52", "1.44"));
  fake.route("GET", "/containers/json", FakeReply::json(200, "[]"));
  EngineClient client(fake.endpoint(), ApiVersion{1, 41});

  std::optional<EngineError> error = thrown<EngineError>([&] { client.get_json("/containers/json"); });
  BOOST_REQUIRE(error);
  BOOST_TEST(error->status() == 400);
  BOOST_TEST(std::string(error->what())
             == "client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client "
                "to a newer version");
  BOOST_TEST(!error->hint().empty());
}

BOOST_AUTO_TEST_CASE(a_pinned_version_above_the_engines_maximum_reports_the_json_refusal)
{
  FakeEngine fake(FakeEngineOptions::speaking("1.41", "1.12"));
  fake.route("GET", "/containers/json", FakeReply::json(200, "[]"));
  EngineClient client(fake.endpoint(), ApiVersion{1, 47});

  std::optional<EngineError> error = thrown<EngineError>([&] { client.get_json("/containers/json"); });
  BOOST_REQUIRE(error);
  BOOST_TEST(error->status() == 400);
  BOOST_TEST(std::string(error->what()) == "client version 1.47 is too new. Maximum supported API version is 1.41");
  BOOST_TEST(!error->hint().empty());
}

// ---- error bodies -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_plain_text_error_body_is_reported_as_its_text)
{
  FakeEngine fake;
  fake.route("POST", "/containers/abc/start",
             FakeReply::text(500, "OCI runtime create failed: exec: \"nope\": not found\nsecond line\n"));
  EngineClient client(fake.endpoint(), std::nullopt);

  std::optional<EngineError> error = thrown<EngineError>([&] { client.call("POST", "/containers/abc/start"); });
  BOOST_REQUIRE(error);
  BOOST_TEST(error->status() == 500);
  BOOST_TEST(std::string(error->what()) == "OCI runtime create failed: exec: \"nope\": not found");
}

BOOST_AUTO_TEST_CASE(the_message_of_a_json_error_body_is_extracted)
{
  FakeEngine fake;
  fake.route("GET", "/containers/nope/json", FakeReply::error(404, "No such container: nope"));
  fake.route("POST", "/containers/create", FakeReply::error(409, "Conflict. The container name \"/x\" is already in use"));
  EngineClient client(fake.endpoint(), std::nullopt);

  std::optional<EngineError> missing = thrown<EngineError>([&] { client.get_json("/containers/nope/json"); });
  BOOST_REQUIRE(missing);
  BOOST_TEST(missing->status() == 404);
  BOOST_TEST(std::string(missing->what()) == "No such container: nope");

  std::optional<EngineError> conflict =
    thrown<EngineError>([&] { client.call("POST", "/containers/create", {{"name", "x"}}, create_body()); });
  BOOST_REQUIRE(conflict);
  BOOST_TEST(conflict->status() == 409);
  BOOST_TEST(std::string(conflict->what()) == "Conflict. The container name \"/x\" is already in use");

  std::optional<EngineError> unknown = thrown<EngineError>([&] { client.get_json("/no/such/route"); });
  BOOST_REQUIRE(unknown);
  BOOST_TEST(unknown->status() == 404);
  BOOST_TEST(std::string(unknown->what()) == "page not found");
}

BOOST_AUTO_TEST_CASE(accepted_statuses_are_returned_not_thrown)
{
  FakeEngine fake;
  FakeReply not_modified = FakeReply::no_content();
  not_modified.status = 304;
  fake.route("POST", "/containers/abc/start", not_modified);
  EngineClient client(fake.endpoint(), std::nullopt);

  BOOST_TEST(client.call("POST", "/containers/abc/start", {}, std::nullopt, {304}).status == 304);
  std::optional<EngineError> error = thrown<EngineError>([&] { client.call("POST", "/containers/abc/start"); });
  BOOST_REQUIRE(error);
  BOOST_TEST(error->status() == 304);
}

// ---- what the client sends --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_host_header_is_one_a_strict_engine_accepts)
{
  FakeEngine fake;
  fake.route("GET", "/info", FakeReply::json(200, "{}"));
  EngineClient client(fake.endpoint(), std::nullopt);

  client.get_json("/info");
  std::vector<RecordedRequest> requests = fake.requests();
  BOOST_REQUIRE(requests.size() == 2);
  for (const RecordedRequest& request : requests) {
    BOOST_TEST(request.status == 200, request.line());
    BOOST_TEST(request.header_count("Host") == 1u);
    BOOST_TEST(!request.header("Host").empty());
    BOOST_TEST(!contains(request.header("Host"), "/"), "Host: " << request.header("Host"));
  }
}

BOOST_AUTO_TEST_CASE(json_bodies_carry_content_type_application_json)
{
  FakeEngine fake;
  fake.route("POST", "/containers/create", [](const RecordedRequest& request) {
    return FakeReply::json(201, R"({"Id":")" + request.query_value("name") + R"(-id","Warnings":[]})");
  });
  EngineClient client(fake.endpoint(), std::nullopt);

  sandbox::engine::HttpResponse response = client.call("POST", "/containers/create", {{"name", "box"}}, create_body());
  BOOST_TEST(response.status == 201);
  BOOST_TEST(sandbox::json::parse(response.body).string_or("Id") == "box-id");

  RecordedRequest request = fake.requests().at(1);
  BOOST_TEST(request.line() == "POST " + v(k_max_api_version) + "/containers/create?name=box");
  BOOST_TEST(request.header("Content-Type").rfind("application/json", 0) == 0u);
  BOOST_TEST(sandbox::json::parse(request.body).dump() == create_body().dump());
}

// ---- unreachable and broken connections -------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_missing_socket_is_a_connection_error_naming_endpoint_and_context)
{
  sandbox::test::TempDir dir;
  sandbox::engine::Endpoint endpoint;
  endpoint.context = "default";
  endpoint.address = dir.path() + "/no-engine.sock";
  endpoint.host = "unix://" + endpoint.address;
  EngineClient client(endpoint, std::nullopt);

  std::optional<ConnectionError> error = thrown<ConnectionError>([&] { client.api_version(); });
  BOOST_REQUIRE(error);
  BOOST_TEST(contains(error->what(), "unix://" + endpoint.address), error->what());
  BOOST_TEST(contains(error->what(), "context \"default\""), error->what());
}

BOOST_AUTO_TEST_CASE(a_socket_nobody_listens_on_is_a_connection_error_naming_endpoint_and_context)
{
  FakeEngine fake; // only for its directory and endpoint shape
  std::string dead = fake.directory() + "/dead.sock";
  sandbox::test::make_dead_socket(dead);
  sandbox::engine::Endpoint endpoint = fake.endpoint("remote-box");
  endpoint.address = dead;
  endpoint.host = "unix://" + dead;
  EngineClient client(endpoint, std::nullopt);

  std::optional<ConnectionError> error =
    thrown<ConnectionError>([&] { client.call("POST", "/containers/create", {}, create_body()); });
  BOOST_REQUIRE(error);
  BOOST_TEST(contains(error->what(), "unix://" + dead), error->what());
  BOOST_TEST(contains(error->what(), "context \"remote-box\""), error->what());
  BOOST_TEST(fake.requests().empty());
}

BOOST_AUTO_TEST_CASE(the_engine_closing_the_connection_mid_response_is_a_connection_error)
{
  FakeEngine fake;
  FakeReply cut = FakeReply::json(200, R"([{"Id":"abc","Names":["/one"]},{"Id":"def","Names":["/two"]}])");
  cut.cut_after = 10;
  fake.route("GET", "/containers/json", cut);
  FakeReply headers_only = FakeReply::json(200, R"({"Id":"abc"})");
  headers_only.cut_after = 0;
  fake.route("GET", "/containers/abc/json", headers_only);
  EngineClient client(fake.endpoint(), std::nullopt);

  std::optional<ConnectionError> mid_body = thrown<ConnectionError>([&] { client.get_json("/containers/json"); });
  BOOST_REQUIRE(mid_body);
  BOOST_TEST(contains(mid_body->what(), fake.endpoint().host), mid_body->what());

  std::optional<ConnectionError> after_head =
    thrown<ConnectionError>([&] { client.get_json("/containers/abc/json"); });
  BOOST_REQUIRE(after_head);
}

BOOST_AUTO_TEST_CASE(the_engine_closing_the_connection_during_ping_is_a_connection_error)
{
  FakeEngine fake;
  FakeReply cut = FakeReply::text(200, "OK");
  cut.cut_after = 1;
  fake.route("GET", "/_ping", cut);
  EngineClient client(fake.endpoint(), std::nullopt);

  BOOST_TEST(thrown<ConnectionError>([&] { client.api_version(); }).has_value());
  BOOST_TEST(!client.negotiated());
}

// ---- streaming --------------------------------------------------------------------------------

// The fake holds each chunk back until the client has seen what came before: the headers before
// the first, the previous chunk before the next. A transport that buffered the whole response
// would leave the fake waiting, and the order checks below would fail.
BOOST_AUTO_TEST_CASE(streaming_delivers_headers_first_and_the_body_in_pieces)
{
  const std::array<std::string, 3> pieces{"line one\n", "line two\n", "line three\n"};
  Signal headers_seen;
  std::array<Signal, 3> piece_seen;
  std::array<std::atomic<bool>, 3> waited_in_order{};
  std::vector<std::string> events;
  std::string received;

  FakeEngine fake; // after the state above, so that its threads end before that state does
  FakeReply stream;
  stream.content_type = "application/vnd.docker.raw-stream";
  stream.chunked = true;
  stream.chunks.assign(pieces.begin(), pieces.end());
  stream.before_chunk = [&](std::size_t index) {
    waited_in_order[index] = index == 0 ? headers_seen.wait() : piece_seen[index - 1].wait();
  };
  fake.route("GET", "/containers/abc/logs", stream);

  sandbox::engine::Transport transport(fake.endpoint());
  sandbox::engine::HttpRequest request;
  request.method = "GET";
  request.target = v(k_max_api_version) + "/containers/abc/logs?follow=1&stdout=1";
  request.timeout_seconds = 0;
  request.on_headers = [&](const sandbox::engine::HttpResponse& head) {
    events.push_back("headers " + std::to_string(head.status) + " " + head.header("Content-Type"));
    headers_seen.raise();
    return true;
  };
  request.on_data = [&](const char* data, std::size_t size) {
    events.push_back("data " + std::string(data, size));
    received.append(data, size);
    std::size_t expected = 0;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      expected += pieces[i].size();
      if (received.size() >= expected) {
        piece_seen[i].raise();
      }
    }
    return true;
  };

  sandbox::engine::HttpResponse response = transport.send(request);
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body.empty());
  BOOST_TEST(received == "line one\nline two\nline three\n");
  for (std::size_t i = 0; i < waited_in_order.size(); ++i) {
    BOOST_TEST(waited_in_order[i].load(), "chunk " << i << " was sent only after its wait timed out");
  }
  BOOST_REQUIRE(events.size() >= 4u);
  BOOST_TEST(events.front() == "headers 200 application/vnd.docker.raw-stream");
  BOOST_TEST(events[1] == "data line one\n");
}

BOOST_AUTO_TEST_CASE(an_error_status_on_a_streaming_request_fills_the_body_instead)
{
  FakeEngine fake;
  fake.route("GET", "/containers/gone/logs", FakeReply::error(404, "No such container: gone"));

  sandbox::engine::Transport transport(fake.endpoint());
  sandbox::engine::HttpRequest request;
  request.method = "GET";
  request.target = v(k_max_api_version) + "/containers/gone/logs?follow=1";
  bool headers_called = false;
  std::string streamed;
  request.on_headers = [&](const sandbox::engine::HttpResponse&) {
    headers_called = true;
    return true;
  };
  request.on_data = [&](const char* data, std::size_t size) {
    streamed.append(data, size);
    return true;
  };

  sandbox::engine::HttpResponse response = transport.send(request);
  BOOST_TEST(response.status == 404);
  BOOST_TEST(!headers_called);
  BOOST_TEST(streamed.empty());
  BOOST_TEST(sandbox::engine::error_message(response) == "No such container: gone");
}

BOOST_AUTO_TEST_CASE(a_stream_broken_off_mid_body_is_a_connection_error)
{
  std::string received;
  FakeEngine fake;
  FakeReply stream;
  stream.chunked = true;
  stream.chunks = {"first\n", "second\n", "third\n"};
  stream.cut_after = 1;
  fake.route("GET", "/containers/abc/logs", stream);

  sandbox::engine::Transport transport(fake.endpoint());
  sandbox::engine::HttpRequest request;
  request.method = "GET";
  request.target = v(k_max_api_version) + "/containers/abc/logs?follow=1";
  request.timeout_seconds = 0;
  request.on_data = [&](const char* data, std::size_t size) {
    received.append(data, size);
    return true;
  };

  std::optional<ConnectionError> error = thrown<ConnectionError>([&] { transport.send(request); });
  BOOST_REQUIRE(error);
  BOOST_TEST(contains(error->what(), fake.endpoint().host), error->what());
  BOOST_TEST(received == "first\n");
}

// ---- plans over HTTP --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cleanup_runs_after_a_failing_step_with_references_filled)
{
  FakeEngine fake;
  fake.route("POST", "/containers/create", FakeReply::json(201, R"({"Id":"c0ffee","Warnings":[]})"));
  fake.route("POST", "/containers/c0ffee/start", FakeReply::error(500, "failed to create task: no such file"));
  fake.route("DELETE", "/containers/c0ffee", FakeReply::no_content());
  EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::plan::HttpExecutor executor(client);

  std::optional<EngineError> error =
    thrown<EngineError>([&] { sandbox::plan::run_plan(create_start_remove_plan(), executor); });
  BOOST_REQUIRE(error);
  BOOST_TEST(error->status() == 500);
  BOOST_TEST(std::string(error->what()) == "failed to create task: no such file");

  std::string prefix = v(k_max_api_version);
  Lines expected{"GET /_ping", "POST " + prefix + "/containers/create?name=sbx-test",
                 "POST " + prefix + "/containers/c0ffee/start", "DELETE " + prefix + "/containers/c0ffee?force=1"};
  BOOST_TEST(fake.request_lines() == expected, boost::test_tools::per_element());
  std::vector<RecordedRequest> requests = fake.requests();
  BOOST_REQUIRE(requests.size() == 4u);
  BOOST_TEST(requests[3].status == 204);
}

BOOST_AUTO_TEST_CASE(cleanup_skips_what_was_never_created)
{
  FakeEngine fake;
  fake.route("POST", "/containers/create", FakeReply::error(409, "Conflict. The container name is already in use"));
  EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::plan::HttpExecutor executor(client);

  std::optional<EngineError> error =
    thrown<EngineError>([&] { sandbox::plan::run_plan(create_start_remove_plan(), executor); });
  BOOST_REQUIRE(error);
  BOOST_TEST(error->status() == 409);
  Lines expected{"GET /_ping", "POST " + v(k_max_api_version) + "/containers/create?name=sbx-test"};
  BOOST_TEST(fake.request_lines() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(references_are_filled_from_replies)
{
  FakeEngine fake;
  fake.route("POST", "/containers/create", FakeReply::json(201, R"({"Id":"0123abcd","Warnings":[]})"));
  fake.route("POST", "/containers/0123abcd/start", FakeReply::no_content());
  fake.route("GET", "/containers/0123abcd/json",
             FakeReply::json(200, R"({"Id":"0123abcd","State":{"Status":"running"},"Name":"/sbx-test"})"));
  fake.route("POST", "/containers/0123abcd/kill", FakeReply::no_content());
  fake.route("DELETE", "/containers/0123abcd", FakeReply::no_content());
  EngineClient client(fake.endpoint(), std::nullopt);
  sandbox::plan::HttpExecutor executor(client);

  sandbox::plan::Plan plan = create_start_remove_plan();
  plan.steps.push_back(step("inspect", "GET", "/containers/{create.Id}/json"));
  sandbox::plan::Step kill = step("kill", "POST", "/containers/{inspect.Id}/kill");
  kill.query = {{"signal", "SIGTERM"}};
  plan.on_exit.push_back(kill);

  bool between_called = false;
  sandbox::plan::Results results = sandbox::plan::run_plan(plan, executor, [&](sandbox::plan::Results& so_far) {
    between_called = true;
    BOOST_TEST(so_far.resolve("{create.Id}", true) == "0123abcd");
  });
  BOOST_TEST(between_called);
  const sandbox::json::Value* inspect = results.find("inspect");
  BOOST_REQUIRE(inspect);
  BOOST_TEST((*inspect)["State"].string_or("Status") == "running");

  std::string prefix = v(k_max_api_version);
  Lines expected{"GET /_ping",
                 "POST " + prefix + "/containers/create?name=sbx-test",
                 "POST " + prefix + "/containers/0123abcd/start",
                 "GET " + prefix + "/containers/0123abcd/json",
                 "POST " + prefix + "/containers/0123abcd/kill?signal=SIGTERM",
                 "DELETE " + prefix + "/containers/0123abcd?force=1"};
  BOOST_TEST(fake.request_lines() == expected, boost::test_tools::per_element());
}

// Podman answers a refused attach with a Content-Length body and keeps the connection open: the
// error must be read by its length, not until a close that never comes.
BOOST_AUTO_TEST_CASE(a_refused_attach_on_a_connection_kept_open_fails_at_once)
{
  sandbox::test::FakeEngineOptions options = sandbox::test::FakeEngineOptions::speaking("1.47");
  options.keep_alive_seconds = 60;
  sandbox::test::FakeEngine fake(options);
  fake.route("POST", "/containers/abc/attach", false, [](const sandbox::test::RecordedRequest&) {
    return sandbox::test::FakeReply::error(409, "container abc is not running");
  });
  sandbox::engine::EngineClient client(fake.endpoint(), std::nullopt);
  std::future<std::string> refused = std::async(std::launch::async, [&] {
    try {
      sandbox::engine::hijack(client, "/containers/abc/attach?stream=1&stdout=1");
    } catch (const sandbox::EngineError& e) {
      return std::to_string(e.status()) + " " + e.what();
    }
    return std::string("attached");
  });
  BOOST_TEST_REQUIRE((refused.wait_for(std::chrono::seconds(20)) == std::future_status::ready), "the attach hangs");
  BOOST_TEST(refused.get() == "409 container abc is not running");
}

BOOST_AUTO_TEST_SUITE_END()
