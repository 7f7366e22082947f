// The fake engine must be as strict as dockerd (reference §3.1–3.3), or the protocol tests
// would pass against it while the plugin fails against a real engine. These cases pin that
// strictness with hand-written requests on a raw socket.

#include "fake_engine.h"

#include "util/json.h"

#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <strings.h>
#include <sys/socket.h>

#include <string>

namespace {

using sandbox::test::FakeEngine;
using sandbox::test::FakeEngineOptions;
using sandbox::test::FakeReply;
using sandbox::test::raw_exchange;

struct RawReply
{
  int status = 0;
  sandbox::test::Fields headers;
  std::string body;

  std::string header(const std::string& name) const
  {
    for (const auto& [key, value] : headers) {
      if (strcasecmp(key.c_str(), name.c_str()) == 0) {
        return value;
      }
    }
    return "";
  }
  std::string message() const { return sandbox::json::parse(body).string_or("message"); }
};

// Splits an HTTP/1.1 reply with a Content-Length (or no) body into status, headers and body.
RawReply parse_reply(const std::string& text)
{
  RawReply reply;
  std::size_t end_of_head = text.find("\r\n\r\n");
  BOOST_REQUIRE_MESSAGE(end_of_head != std::string::npos, "no complete reply head in: " << text);
  std::string head = text.substr(0, end_of_head);
  reply.body = text.substr(end_of_head + 4);
  std::size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  BOOST_REQUIRE_MESSAGE(status_line.rfind("HTTP/1.1 ", 0) == 0, "bad status line: " << status_line);
  reply.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    std::size_t next = head.find("\r\n", line_end + 2);
    std::string field = head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    std::size_t colon = field.find(':');
    if (colon != std::string::npos) {
      std::size_t value = field.find_first_not_of(' ', colon + 1);
      reply.headers.emplace_back(field.substr(0, colon), value == std::string::npos ? "" : field.substr(value));
    }
    line_end = next;
  }
  return reply;
}

RawReply exchange(const FakeEngine& fake, const std::string& request_line, const std::string& fields,
                  const std::string& body = "")
{
  std::string request = request_line + " HTTP/1.1\r\n" + fields + "Connection: close\r\n";
  if (!body.empty()) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return parse_reply(raw_exchange(fake.socket_path(), request + "\r\n" + body));
}

} // namespace

BOOST_AUTO_TEST_SUITE(fake_engine)

BOOST_AUTO_TEST_CASE(refuses_a_socket_path_as_host_like_go_net_http)
{
  FakeEngine fake;
  RawReply reply = exchange(fake, "GET /_ping", "Host: " + fake.socket_path() + "\r\n");
  BOOST_TEST(reply.status == 400);
  BOOST_TEST(reply.header("Content-Type").rfind("text/plain", 0) == 0);
  BOOST_TEST(reply.body == "400 Bad Request: malformed Host header");
  BOOST_TEST(fake.requests().at(0).status == 400);
}

BOOST_AUTO_TEST_CASE(refuses_a_missing_or_repeated_host)
{
  FakeEngine fake;
  RawReply missing = exchange(fake, "GET /_ping", "");
  BOOST_TEST(missing.status == 400);
  BOOST_TEST(missing.body == "400 Bad Request: missing required Host header");
  RawReply repeated = exchange(fake, "GET /_ping", "Host: docker\r\nHost: docker\r\n");
  BOOST_TEST(repeated.status == 400);
  BOOST_TEST(repeated.body == "400 Bad Request: too many Host headers");
}

BOOST_AUTO_TEST_CASE(accepts_host_names_and_ports)
{
  FakeEngine fake;
  for (const char* host : {"docker", "localhost", "localhost:2375", "[::1]:2375", "api.moby.localhost"}) {
    RawReply reply = exchange(fake, "GET /_ping", std::string("Host: ") + host + "\r\n");
    BOOST_TEST(reply.status == 200, "Host: " << host);
    BOOST_TEST(reply.body == "OK");
    BOOST_TEST(reply.header("Api-Version") == "1.47");
  }
}

// The trap of reference §3.1: httplib 0.11.4 sends the socket path as Host on a unix socket
// unless the caller sets one. If this starts passing, httplib changed and the workaround in
// Transport could go.
BOOST_AUTO_TEST_CASE(plain_httplib_0_11_unix_client_is_refused)
{
  FakeEngine fake;
  httplib::ClientImpl client(fake.socket_path(), 80);
  client.set_address_family(AF_UNIX);
  httplib::Result result = client.Get("/_ping");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 400);
  BOOST_TEST(result->body == "400 Bad Request: malformed Host header");
  BOOST_TEST(fake.requests().at(0).header("Host") == fake.socket_path());
}

BOOST_AUTO_TEST_CASE(ping_reports_the_configured_api_version_or_none)
{
  FakeEngine modern(FakeEngineOptions::speaking("1.41", "1.12"));
  RawReply reply = exchange(modern, "HEAD /_ping", "Host: docker\r\n");
  BOOST_TEST(reply.status == 200);
  BOOST_TEST(reply.header("Api-Version") == "1.41");
  BOOST_TEST(reply.header("Ostype") == "linux");

  FakeEngine ancient(FakeEngineOptions::without_api_version());
  RawReply bare = exchange(ancient, "GET /_ping", "Host: docker\r\n");
  BOOST_TEST(bare.status == 200);
  BOOST_TEST(bare.header("Api-Version") == "");
}

BOOST_AUTO_TEST_CASE(refuses_json_bodies_without_json_content_type)
{
  FakeEngine fake;
  fake.route("POST", "/containers/create", FakeReply::json(201, R"({"Id":"abc"})"));

  RawReply none = exchange(fake, "POST /v1.47/containers/create", "Host: docker\r\n", "{}");
  BOOST_TEST(none.status == 400);
  BOOST_TEST(none.header("Content-Type") == "application/json");
  BOOST_TEST(none.message() == "Content-Type specified () must be 'application/json'");

  RawReply text = exchange(fake, "POST /v1.47/containers/create", "Host: docker\r\nContent-Type: text/plain\r\n", "{}");
  BOOST_TEST(text.status == 400);
  BOOST_TEST(text.message() == "Content-Type specified (text/plain) must be 'application/json'");

  RawReply charset = exchange(fake, "POST /v1.47/containers/create",
                              "Host: docker\r\nContent-Type: application/json; charset=utf-8\r\n", "{}");
  BOOST_TEST(charset.status == 201);

  RawReply no_body = exchange(fake, "POST /v1.47/containers/create", "Host: docker\r\nContent-Length: 0\r\n");
  BOOST_TEST(no_body.status == 201);
}

BOOST_AUTO_TEST_CASE(unknown_route_is_404_page_not_found_at_any_version)
{
  FakeEngine fake;
  for (const char* target : {"/v1.47/nonsense", "/nonsense", "/v1.99/nonsense"}) {
    RawReply reply = exchange(fake, std::string("GET ") + target, "Host: docker\r\n");
    BOOST_TEST(reply.status == 404, target);
    BOOST_TEST(reply.header("Content-Type") == "application/json");
    BOOST_TEST(reply.message() == "page not found");
  }
}

BOOST_AUTO_TEST_CASE(refuses_versions_outside_its_range_like_dockerd)
{
  FakeEngine fake(FakeEngineOptions::speaking("1.41", "1.12"));
  fake.route("GET", "/version", FakeReply::json(200, R"({"ApiVersion":"1.41"})"));

  RawReply too_new = exchange(fake, "GET /v1.50/version", "Host: docker\r\n");
  BOOST_TEST(too_new.status == 400);
  BOOST_TEST(too_new.header("Content-Type") == "application/json");
  BOOST_TEST(too_new.message() == "client version 1.50 is too new. Maximum supported API version is 1.41");

  RawReply too_old = exchange(fake, "GET /v1.11/version", "Host: docker\r\n");
  BOOST_TEST(too_old.status == 400);
  BOOST_TEST(too_old.header("Content-Type").rfind("text/plain", 0) == 0);
  BOOST_TEST(too_old.body
             == "client version 1.11 is too old. Minimum supported API version is 1.12, please upgrade your client "
                "to a newer version\n");

  // Versions compare per component: 1.9 is older than 1.12, 1.100 newer than 1.41.
  BOOST_TEST(exchange(fake, "GET /v1.9/version", "Host: docker\r\n").status == 400);
  BOOST_TEST(exchange(fake, "GET /v1.100/version", "Host: docker\r\n").status == 400);
  BOOST_TEST(exchange(fake, "GET /v1.41/version", "Host: docker\r\n").status == 200);
  BOOST_TEST(exchange(fake, "GET /v1.12/version", "Host: docker\r\n").status == 200);
  BOOST_TEST(exchange(fake, "GET /version", "Host: docker\r\n").status == 200);
}

BOOST_AUTO_TEST_CASE(records_what_it_received)
{
  FakeEngine fake;
  fake.route("POST", "/containers/create", FakeReply::json(201, R"({"Id":"abc"})"));
  exchange(fake, "POST /v1.45/containers/create?name=a%20b&platform=linux", "Host: docker\r\nContent-Type: application/json\r\n",
           R"({"Image":"busybox"})");
  std::vector<sandbox::test::RecordedRequest> requests = fake.requests();
  BOOST_REQUIRE(requests.size() == 1);
  const sandbox::test::RecordedRequest& request = requests[0];
  BOOST_TEST(request.method == "POST");
  BOOST_TEST(request.target == "/v1.45/containers/create?name=a%20b&platform=linux");
  BOOST_TEST(request.path == "/v1.45/containers/create");
  BOOST_TEST(request.route == "/containers/create");
  BOOST_TEST(request.version.value_or("<none>") == "1.45");
  BOOST_TEST(request.query_value("name") == "a b");
  BOOST_TEST(request.query_value("platform") == "linux");
  BOOST_TEST(request.header("content-type") == "application/json");
  BOOST_TEST(request.body == R"({"Image":"busybox"})");
  BOOST_TEST(request.status == 201);
}

BOOST_AUTO_TEST_SUITE_END()
