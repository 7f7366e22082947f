// The request heads the egress proxy reads: CONNECT, absolute-form forwarding, and every refusal
// with the status the client gets.

#include "egress/proxy_request.h"

#include <boost/test/unit_test.hpp>

#include <string>

using sandbox::egress::ProxyRequest;
using sandbox::egress::RequestError;
using sandbox::egress::RequestHeadParser;

namespace {

ProxyRequest parsed(const std::string& head)
{
  RequestHeadParser parser;
  BOOST_TEST(parser.feed(head) == head.size());
  BOOST_REQUIRE(parser.done());
  return parser.request();
}

// The status the proxy replies to `head`, or 0 when it is accepted or still incomplete.
int status_of(const std::string& head)
{
  RequestHeadParser parser;
  try {
    parser.feed(head);
  } catch (const RequestError& e) {
    return e.status();
  }
  return 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(proxy_request)

BOOST_AUTO_TEST_CASE(connect)
{
  ProxyRequest request = parsed("CONNECT pypi.org:443 HTTP/1.1\r\nHost: pypi.org:443\r\nProxy-Authorization: x\r\n\r\n");
  BOOST_TEST(request.is_connect());
  BOOST_TEST(request.host == "pypi.org");
  BOOST_TEST(request.port == 443);
  BOOST_TEST(parsed("CONNECT [2001:db8::1]:8443 HTTP/1.1\r\n\r\n").host == "2001:db8::1");
  BOOST_TEST(parsed("CONNECT 192.0.2.1:22 HTTP/1.0\n\n").port == 22);
}

BOOST_AUTO_TEST_CASE(absolute_form_becomes_origin_form)
{
  ProxyRequest request = parsed("GET http://Example.com:8080/a/b?c=d#frag HTTP/1.1\r\n"
                                "Host: wrong.example\r\n"
                                "User-Agent: pip/23\r\n"
                                "Proxy-Authorization: Basic eA==\r\n"
                                "Proxy-Connection: keep-alive\r\n"
                                "Connection: keep-alive, X-Secret\r\n"
                                "X-Secret: 1\r\n"
                                "Keep-Alive: 5\r\n"
                                "TE: trailers\r\n"
                                "Upgrade: websocket\r\n"
                                "Accept:   */*  \r\n"
                                "\r\n");
  BOOST_TEST(request.host == "Example.com");
  BOOST_TEST(request.port == 8080);
  BOOST_TEST(request.target == "/a/b?c=d");
  BOOST_TEST(request.origin_head() == "GET /a/b?c=d HTTP/1.1\r\n"
                                      "Host: Example.com:8080\r\n"
                                      "User-Agent: pip/23\r\n"
                                      "Accept: */*\r\n"
                                      "Connection: close\r\n\r\n");
  BOOST_TEST(parsed("GET http://example.com HTTP/1.1\r\n\r\n").target == "/");
  BOOST_TEST(parsed("GET http://example.com?q HTTP/1.1\r\n\r\n").target == "/?q");
  BOOST_TEST(parsed("HEAD HTTP://example.com/ HTTP/1.1\r\n\r\n").port == 80);
  BOOST_TEST(parsed("POST http://[::1]:81/x HTTP/1.1\r\nContent-Length: 3\r\n\r\n").origin_head() ==
             "POST /x HTTP/1.1\r\nHost: [::1]:81\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(the_body_stays_with_the_caller)
{
  RequestHeadParser parser;
  std::string wire = "POST http://example.com/ HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody";
  BOOST_TEST(parser.feed(wire) == wire.size() - 4);
  BOOST_TEST(parser.done());
  BOOST_TEST(parser.feed("more") == 0u);
}

BOOST_AUTO_TEST_CASE(any_split_gives_the_same_request)
{
  std::string wire = "CONNECT example.com:443 HTTP/1.1\r\nUser-Agent: curl\r\n\r\n\x16\x03\x01";
  for (std::size_t piece = 1; piece < 8; ++piece) {
    RequestHeadParser parser;
    std::size_t fed = 0;
    while (!parser.done()) {
      std::string_view next = std::string_view(wire).substr(fed, piece);
      fed += parser.feed(next);
    }
    BOOST_TEST(fed == wire.size() - 3);
    BOOST_TEST(parser.request().host == "example.com");
  }
}

BOOST_AUTO_TEST_CASE(not_a_proxy_request)
{
  BOOST_TEST(status_of("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n") == 400);
  BOOST_TEST(status_of("GET https://example.com/ HTTP/1.1\r\n\r\n") == 400);
  BOOST_TEST(status_of("GET ftp://example.com/ HTTP/1.1\r\n\r\n") == 400);
  BOOST_TEST(status_of("CONNECT example.com HTTP/1.1\r\n\r\n") == 400);
  BOOST_TEST(status_of("TRACE http://example.com/ HTTP/1.1\r\n\r\n") == 405);
  BOOST_TEST(status_of("BREW http://example.com/ HTTP/1.1\r\n\r\n") == 405);
  BOOST_TEST(status_of("get http://example.com/ HTTP/1.1\r\n\r\n") == 405);
}

BOOST_AUTO_TEST_CASE(malformed_heads_are_400)
{
  for (const char* bad : {
         "\r\n",
         "GET http://example.com/ HTTP/1.1 extra\r\n\r\n",
         "GET  http://example.com/ HTTP/1.1\r\n\r\n",
         "GET http://example.com/\r\n\r\n",
         "GET http://example.com/ HTTP/2.0\r\n\r\n",
         "G(T http://example.com/ HTTP/1.1\r\n\r\n",
         "CONNECT example.com:0 HTTP/1.1\r\n\r\n",
         "CONNECT example.com:65536 HTTP/1.1\r\n\r\n",
         "CONNECT example.com:44a HTTP/1.1\r\n\r\n",
         "CONNECT :443 HTTP/1.1\r\n\r\n",
         "CONNECT [example.com]:443 HTTP/1.1\r\n\r\n",
         "CONNECT [::1:443 HTTP/1.1\r\n\r\n",
         "CONNECT a:b:443 HTTP/1.1\r\n\r\n",
         "CONNECT ex%61mple.com:443 HTTP/1.1\r\n\r\n",
         "GET http://user:pw@example.com/ HTTP/1.1\r\n\r\n",
         "GET http:///path HTTP/1.1\r\n\r\n",
         "GET http://example.com/\x01 HTTP/1.1\r\n\r\n",
         "GET http://example.com/\xc3\xa9 HTTP/1.1\r\n\r\n",
         "GET http://example.com/ HTTP/1.1\r\nNo colon\r\n\r\n",
         "GET http://example.com/ HTTP/1.1\r\n: empty name\r\n\r\n",
         "GET http://example.com/ HTTP/1.1\r\nBad Name: x\r\n\r\n",
         "GET http://example.com/ HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
         "GET http://example.com/ HTTP/1.1\r\nA: b\x00c\r\n\r\n",
         "POST http://example.com/ HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
         "POST http://example.com/ HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
       }) {
    BOOST_TEST(status_of(std::string(bad, std::char_traits<char>::length(bad))) == 400, bad);
  }
  BOOST_TEST(status_of(std::string("GET http://example.com/ HTTP/1.1\r\nA: b\0c\r\n\r\n", 44)) == 400);
}

BOOST_AUTO_TEST_CASE(every_bound)
{
  std::string long_url = "GET http://example.com/" + std::string(sandbox::egress::k_max_request_line, 'a');
  BOOST_TEST(status_of(long_url) == 414);
  BOOST_TEST(status_of(std::string(sandbox::egress::k_max_request_line, 'G')) == 0);
  BOOST_TEST(status_of(std::string(sandbox::egress::k_max_request_line + 1, 'G')) == 414);

  std::string head = "GET http://example.com/ HTTP/1.1\r\n";
  std::string big = head + "X-Big: " + std::string(sandbox::egress::k_max_head, 'b');
  BOOST_TEST(status_of(big) == 431);

  std::string many = head;
  for (std::size_t i = 0; i < sandbox::egress::k_max_headers; ++i) {
    many += "X-" + std::to_string(i) + ": 1\r\n";
  }
  BOOST_TEST(status_of(many + "\r\n") == 0);
  BOOST_TEST(status_of(many + "X-One-More: 1\r\n\r\n") == 431);
}

BOOST_AUTO_TEST_CASE(the_method_of_a_refused_head)
{
  RequestHeadParser parser;
  BOOST_CHECK_THROW(parser.feed("TRACE http://x/ HTTP/1.1\r\n"), RequestError);
  BOOST_TEST(parser.method_so_far() == "TRACE");
  RequestHeadParser partial;
  partial.feed("CONNECT exa");
  BOOST_TEST(partial.method_so_far() == "CONNECT");
  RequestHeadParser none;
  none.feed("\x16\x03\x01\x02");
  BOOST_TEST(none.method_so_far() == "");
}

BOOST_AUTO_TEST_SUITE_END()
