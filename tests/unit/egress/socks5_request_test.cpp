// SOCKS5 as the egress proxy speaks it: no authentication, CONNECT only, any split of the bytes.

#include "egress/socks5_request.h"

#include <boost/test/unit_test.hpp>

#include <string>

using sandbox::egress::Socks5Error;
using sandbox::egress::Socks5Parser;
using sandbox::egress::Socks5Reply;
using namespace std::string_literals;

namespace {

const std::string k_greeting = "\x05\x02\x02\x00"s; // offers username/password and none

// The reply the client gets for `bytes`, or "" when they are accepted.
std::string refusal(const std::string& bytes)
{
  Socks5Parser parser;
  try {
    parser.feed(bytes);
  } catch (const Socks5Error& e) {
    return e.reply();
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(socks5_request)

BOOST_AUTO_TEST_CASE(a_name_an_ipv4_and_an_ipv6_address)
{
  Socks5Parser parser;
  BOOST_TEST(parser.feed(k_greeting) == 4u);
  BOOST_TEST(parser.greeting_done());
  BOOST_TEST(!parser.done());
  std::string request = "\x05\x01\x00\x03\x08pypi.org\x01\xbb"s;
  BOOST_TEST(parser.feed(request + "tls") == request.size());
  BOOST_REQUIRE(parser.done());
  BOOST_TEST(parser.request().method == "SOCKS5");
  BOOST_TEST(parser.request().is_connect());
  BOOST_TEST(parser.request().host == "pypi.org");
  BOOST_TEST(parser.request().port == 443);

  Socks5Parser v4;
  v4.feed(k_greeting + "\x05\x01\x00\x01\xc0\x00\x02\x01\x00\x50"s);
  BOOST_TEST(v4.request().host == "192.0.2.1");
  BOOST_TEST(v4.request().port == 80);

  Socks5Parser v6;
  v6.feed(k_greeting + "\x05\x01\x00\x04\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01\x1f\x90"s);
  BOOST_TEST(v6.request().host == "2001:db8::1");
  BOOST_TEST(v6.request().port == 8080);
}

BOOST_AUTO_TEST_CASE(byte_by_byte)
{
  std::string wire = k_greeting + "\x05\x01\x00\x03\x0b\x65xample.com\x00\x50"s;
  Socks5Parser parser;
  std::size_t used = 0;
  for (char c : wire) {
    used += parser.feed(std::string(1, c));
  }
  BOOST_TEST(used == wire.size());
  BOOST_TEST(parser.request().host == "example.com");
}

BOOST_AUTO_TEST_CASE(refusals)
{
  std::string failure = sandbox::egress::socks5_reply(Socks5Reply::general_failure);
  BOOST_TEST(failure == "\x05\x01\x00\x01\0\0\0\0\0\0"s);
  BOOST_TEST(refusal("\x04\x01\x00\x50"s) == failure);
  BOOST_TEST(refusal("\x05\x01\x02"s) == "\x05\xff"s);
  BOOST_TEST(refusal("\x05\x00"s) == "\x05\xff"s);
  BOOST_TEST(refusal(k_greeting + "\x04\x01\x00\x01"s) == failure);
  BOOST_TEST(refusal(k_greeting + "\x05\x02\x00\x01"s) == sandbox::egress::socks5_reply(Socks5Reply::command_not_supported));
  BOOST_TEST(refusal(k_greeting + "\x05\x03\x00\x01"s) == sandbox::egress::socks5_reply(Socks5Reply::command_not_supported));
  BOOST_TEST(refusal(k_greeting + "\x05\x01\x00\x05"s) ==
             sandbox::egress::socks5_reply(Socks5Reply::address_type_not_supported));
  BOOST_TEST(refusal(k_greeting + "\x05\x01\x00\x03\x00\x00\x50"s) == failure);
  BOOST_TEST(refusal(k_greeting + "\x05\x01\x00\x03\x03\x61\x0a\x62\x00\x50"s) == failure);
  BOOST_TEST(refusal(k_greeting + "\x05\x01\x00\x03\x01\x61\x00\x00"s) == failure);
  BOOST_TEST(refusal(k_greeting + "\x05\x01\x00\x03\x05"s) == "");
}

BOOST_AUTO_TEST_SUITE_END()
