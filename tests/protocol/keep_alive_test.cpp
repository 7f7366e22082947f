// Kept-alive connections against a scripted engine that counts the connections it accepts: whole
// requests share one connection; a reply that forbids it, an idle close, a stale connection, an
// endless body and a silent engine each end the connection, and only GET and HEAD are sent again.

#include "scripted_engine.h"

#include "engine/container_archive.h"
#include "engine/engine_client.h"
#include "engine/http.h"
#include "engine/raw_http.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/json.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using sandbox::ConnectionError;
using sandbox::engine::EngineClient;
using sandbox::test::ScriptedEngine;
using sandbox::test::ScriptedReply;
using Lines = std::vector<std::string>;

bool contains(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

ScriptedReply ok(const std::string& body = "{}", const std::string& extra_headers = "")
{
  return ScriptedReply{ScriptedEngine::json_reply(body, extra_headers), false, false};
}

// A request line starts with the method: "GET /v1.47/containers/json ...".
bool is(const std::string& request, const std::string& method_and_route)
{
  return request.rfind(method_and_route, 0) == 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(keep_alive)

BOOST_AUTO_TEST_CASE(whole_requests_share_one_connection)
{
  ScriptedEngine engine([](std::size_t, std::size_t, const std::string& request) {
    ScriptedReply reply = ok();
    if (is(request, "HEAD ")) { // the length of a body it does not send
      reply.bytes.erase(reply.bytes.size() - 2);
    }
    return reply;
  });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  client.call("GET", "/containers/json");
  client.call("POST", "/containers/create", {{"name", "x"}}, sandbox::json::parse("{}"));
  client.call("HEAD", "/containers/x/archive", {{"path", "/"}});
  client.call("DELETE", "/containers/x");
  BOOST_TEST(engine.request_lines().size() == 5u);
  BOOST_TEST(engine.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(a_reply_saying_connection_close_or_http_1_0_is_not_reused)
{
  // The engine keeps both connections open: only the replies say not to reuse them.
  ScriptedEngine engine([](std::size_t, std::size_t, const std::string& request) {
    if (is(request, "GET /_ping")) {
      return ok("OK", "Connection: close\r\n");
    }
    if (is(request, "GET /v1.47/info")) {
      ScriptedReply reply = ok();
      reply.bytes.replace(0, 8, "HTTP/1.0");
      return reply;
    }
    return ok();
  });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  client.call("GET", "/info");
  client.call("GET", "/containers/json");
  client.call("GET", "/containers/json");
  BOOST_TEST(engine.connections() == 3u);
}

BOOST_AUTO_TEST_CASE(an_idle_connection_the_engine_closed_is_dropped_before_use)
{
  // The engine closes every connection after its first reply, without saying so.
  ScriptedEngine engine([](std::size_t, std::size_t, const std::string&) {
    ScriptedReply reply = ok();
    reply.close = true;
    return reply;
  });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  BOOST_REQUIRE(engine.wait_closed(1));
  // Not replayable, so it must not meet the closed connection at all.
  client.call("POST", "/containers/create", {}, sandbox::json::parse("{}"));
  BOOST_REQUIRE(engine.wait_closed(2));
  client.call("POST", "/containers/x/start");
  BOOST_TEST(engine.request_lines().size() == 3u);
  BOOST_TEST(engine.connections() == 3u);
}

// The engine reads the second request of its first connection and closes it without a reply,
// as when its idle close crosses our request on the wire.
ScriptedReply close_on_second_request(std::size_t connection, std::size_t index, const std::string&)
{
  if (connection == 0 && index == 1) {
    return ScriptedReply{"", true, false};
  }
  return ok();
}

BOOST_AUTO_TEST_CASE(a_get_on_a_stale_connection_is_sent_again_on_a_fresh_one)
{
  ScriptedEngine engine(close_on_second_request);
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  sandbox::engine::HttpResponse response = client.call("GET", "/containers/x/json");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(engine.request_lines() == (Lines{"GET /_ping", "GET /v1.47/containers/x/json", "GET /v1.47/containers/x/json"}),
             boost::test_tools::per_element());
  BOOST_TEST(engine.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(a_create_on_a_stale_connection_is_not_sent_again)
{
  ScriptedEngine engine(close_on_second_request);
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  std::optional<std::string> error;
  try {
    client.call("POST", "/containers/create", {{"name", "x"}}, sandbox::json::parse("{}"));
  } catch (const ConnectionError& e) {
    error = e.what();
  }
  BOOST_REQUIRE(error);
  BOOST_TEST(contains(*error, "closed a kept-alive connection before answering POST"), *error);
  BOOST_TEST(contains(*error, "not sent again"), *error);
  BOOST_TEST(engine.request_lines() == (Lines{"GET /_ping", "POST /v1.47/containers/create?name=x"}),
             boost::test_tools::per_element());
  BOOST_TEST(engine.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(an_endless_body_on_a_kept_connection_is_still_bounded)
{
  ScriptedEngine engine([](std::size_t connection, std::size_t index, const std::string&) {
    if (connection == 0 && index == 1) {
      return ScriptedReply{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n",
                           false, true};
    }
    return ok();
  });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  std::optional<std::string> error;
  try {
    client.call("GET", "/containers/json");
  } catch (const ConnectionError& e) {
    error = e.what();
  }
  BOOST_REQUIRE(error);
  BOOST_TEST(contains(*error, "larger than 16 MiB"), *error);
  // The broken connection is not kept: the next request gets a fresh one and its answer.
  BOOST_TEST(client.call("GET", "/containers/json").status == 200);
  BOOST_TEST(engine.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(a_silent_engine_on_a_kept_connection_times_out_once)
{
  ScriptedEngine engine([](std::size_t connection, std::size_t index, const std::string&) {
    if (connection == 0 && index == 1) {
      return ScriptedReply{"", false, false}; // reads the request, answers nothing, stays open
    }
    return ok();
  });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  client.limit_time(1);
  auto started = std::chrono::steady_clock::now();
  std::optional<std::string> error;
  try {
    client.call("GET", "/containers/json");
  } catch (const ConnectionError& e) {
    error = e.what();
  }
  BOOST_REQUIRE(error);
  BOOST_TEST(contains(*error, "sent nothing for 1 s"), *error);
  bool bounded = std::chrono::steady_clock::now() - started < std::chrono::seconds(5);
  BOOST_TEST(bounded);
  BOOST_TEST(engine.request_lines().size() == 2u); // a timeout is not a stale connection: no retry
  BOOST_TEST(client.call("GET", "/containers/json").status == 200);
  BOOST_TEST(engine.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(a_request_in_flight_gets_its_own_connection_and_both_are_kept)
{
  ScriptedEngine engine([](std::size_t, std::size_t, const std::string&) { return ok(); });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  {
    sandbox::engine::PendingRequest pending(client, "POST", "/volumes/create", std::string("{}"));
    client.call("GET", "/containers/json");
    pending.finish({});
  }
  for (int i = 0; i < 4; ++i) {
    client.call("GET", "/containers/json");
  }
  sandbox::engine::PendingRequest again(client, "DELETE", "/volumes/v", std::nullopt);
  again.finish({});
  BOOST_TEST(engine.request_lines().size() == 8u);
  BOOST_TEST(engine.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(a_head_in_flight_reads_no_body_and_keeps_its_connection)
{
  // A HEAD reply announces the length of a body it never sends: reading one would wait for bytes
  // that never come (the engine would seem silent for the whole timeout).
  ScriptedEngine engine([](std::size_t, std::size_t, const std::string& request) {
    ScriptedReply reply = ok(R"({"some":"body"})", "X-Docker-Container-Path-Stat: e30=\r\n");
    if (is(request, "HEAD ")) {
      reply.bytes.erase(reply.bytes.find("\r\n\r\n") + 4);
    }
    return reply;
  });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  {
    sandbox::engine::PendingRequest first(client, "HEAD", "/containers/x/archive?path=%2Fa", std::nullopt);
    sandbox::engine::PendingRequest second(client, "HEAD", "/containers/x/archive?path=%2Fb", std::nullopt);
    BOOST_TEST(first.finish({}).status == 200);
    BOOST_TEST(second.finish({}).status == 200);
  }
  client.call("GET", "/containers/json");
  client.call("GET", "/containers/json");
  BOOST_TEST(engine.request_lines().size() == 5u);
  BOOST_TEST(engine.connections() == 2u, "both HEAD connections were kept and reused");
}

BOOST_AUTO_TEST_CASE(ctrl_c_stops_a_head_in_flight_that_the_engine_never_answers)
{
  ScriptedEngine engine([](std::size_t, std::size_t, const std::string& request) {
    if (is(request, "HEAD ")) {
      return ScriptedReply{"", false, false}; // reads the request, answers nothing, stays open
    }
    return ok();
  });
  // The cancel token is the process's own: it is raised in a child, so the other tests keep theirs
  // (the child shares the token's non-blocking pipe: the byte it writes is drained below).
  pid_t child = ::fork();
  if (child == 0) {
    int code = 1;
    try {
      EngineClient client(engine.endpoint(), std::nullopt);
      client.api_version();
      sandbox::engine::PendingRequest head(client, "HEAD", "/containers/x/archive?path=%2Fa", std::nullopt);
      sandbox::CancelToken::instance().request(SIGINT);
      head.finish({});
    } catch (const sandbox::Cancelled&) {
      code = 0;
    } catch (...) {
      code = 2; // the engine's silence ran into the time limit: the cancel was not heard
    }
    ::_exit(code);
  }
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  char drained[8];
  (void)!::read(sandbox::CancelToken::instance().fd(), drained, sizeof drained);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0, "exit " << WEXITSTATUS(status) << " (0: cancelled, 2: another error)");
}

BOOST_AUTO_TEST_CASE(an_archive_read_to_its_end_leaves_the_connection_kept)
{
  std::string tar(3000, 't');
  ScriptedEngine engine([&tar](std::size_t, std::size_t, const std::string& request) {
    if (is(request, "GET /v1.47/containers/x/archive")) {
      return ScriptedReply{"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: "
                             + std::to_string(tar.size()) + "\r\n\r\n" + tar,
                           false, false};
    }
    return ok();
  });
  EngineClient client(engine.endpoint(), std::nullopt);
  client.api_version();
  {
    sandbox::engine::ArchiveDownload download(client, "/containers/x/archive?path=%2Fout", -1);
    char buffer[1024];
    while (download.read(buffer, sizeof buffer) > 0) {
    }
    BOOST_TEST(download.received() == tar.size());
  }
  {
    // One read and away: the rest of the tar is still on the wire, so this connection goes.
    sandbox::engine::ArchiveDownload download(client, "/containers/x/archive?path=%2Fout", -1);
    char buffer[1024];
    BOOST_TEST(download.read(buffer, sizeof buffer) > 0u);
  }
  client.call("DELETE", "/containers/x");
  BOOST_TEST(engine.request_lines().size() == 4u);
  BOOST_TEST(engine.connections() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
