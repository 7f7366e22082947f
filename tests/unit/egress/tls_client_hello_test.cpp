// The server name of a TLS ClientHello, read from a tunnel's first bytes: whole, in pieces, split
// across records; not TLS at all; malformed in each of its length fields.

#include "egress/tls_client_hello.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

using sandbox::egress::ClientHello;
using sandbox::egress::read_client_hello;
using Status = ClientHello::Status;

namespace {

std::string be(std::size_t value, std::size_t width)
{
  std::string out;
  for (std::size_t i = width; i > 0; --i) {
    out += static_cast<char>((value >> (8 * (i - 1))) & 0xff);
  }
  return out;
}

std::string vec(const std::string& data, std::size_t width)
{
  return be(data.size(), width) + data;
}

// The server_name extension with these host names (RFC 6066 3).
std::string sni_extension(const std::vector<std::string>& names)
{
  std::string list;
  for (const std::string& name : names) {
    list += '\0' + vec(name, 2);
  }
  return be(0, 2) + vec(vec(list, 2), 2);
}

// A ClientHello handshake message with these extensions (after a supported_versions one).
std::string handshake(const std::string& extensions)
{
  std::string body = be(0x0303, 2) + std::string(32, 'r') + vec("", 1) + vec(be(0x1301, 2), 2) + vec(std::string(1, '\0'), 1)
                     + vec(be(0x002b, 2) + vec(vec(be(0x0304, 2), 1), 2) + extensions, 2);
  return "\x01" + be(body.size(), 3) + body;
}

std::string record(const std::string& payload)
{
  return "\x16\x03\x01" + be(payload.size(), 2) + payload;
}

std::string hello_for(const std::string& name)
{
  return record(handshake(sni_extension({name})));
}

} // namespace

BOOST_AUTO_TEST_SUITE(tls_client_hello)

BOOST_AUTO_TEST_CASE(the_server_name_lowercase_without_its_trailing_dot)
{
  ClientHello hello = read_client_hello(hello_for("Evil.Example."));
  BOOST_TEST((hello.status == Status::complete));
  BOOST_TEST(hello.server_name.value_or("") == "evil.example");
  // What follows the ClientHello (the client may send more) does not change it.
  BOOST_TEST(read_client_hello(hello_for("a.test") + "\x17\x03\x03junk").server_name.value_or("") == "a.test");
}

BOOST_AUTO_TEST_CASE(no_server_name_is_complete_without_one)
{
  ClientHello hello = read_client_hello(record(handshake("")));
  BOOST_TEST((hello.status == Status::complete));
  BOOST_TEST(!hello.server_name);
}

BOOST_AUTO_TEST_CASE(every_prefix_is_incomplete)
{
  std::string whole = hello_for("a.test");
  for (std::size_t size = 0; size < whole.size(); ++size) {
    BOOST_TEST_CONTEXT("the first " << size << " bytes")
    {
      BOOST_TEST((read_client_hello(whole.substr(0, size)).status == Status::incomplete));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_handshake_split_across_records)
{
  std::string message = handshake(sni_extension({"split.test"}));
  std::string wire = record(message.substr(0, 3)) + record(message.substr(3, 40)) + record(message.substr(43));
  BOOST_TEST(read_client_hello(wire).server_name.value_or("") == "split.test");
  BOOST_TEST((read_client_hello(wire.substr(0, wire.size() - 1)).status == Status::incomplete));
}

BOOST_AUTO_TEST_CASE(a_record_before_the_client_hello_does_not_hide_it)
{
  // Some servers skip a warning alert (or a change_cipher_spec) before the ClientHello: any TLS
  // record first is TLS, and only a ClientHello may come first.
  std::string alert("\x15\x03\x01\x00\x02\x01\x5a", 7);
  std::string change_cipher_spec("\x14\x03\x03\x00\x01\x01", 6);
  BOOST_TEST((read_client_hello(alert + hello_for("evil.test")).status == Status::malformed));
  BOOST_TEST((read_client_hello(change_cipher_spec + hello_for("evil.test")).status == Status::malformed));
  BOOST_TEST((read_client_hello(alert.substr(0, 3)).status == Status::incomplete));
}

BOOST_AUTO_TEST_CASE(an_encrypted_client_hello_is_said_so)
{
  // The server_name is then only the outer, public name.
  ClientHello hello = read_client_hello(record(handshake(sni_extension({"public.example"}) + be(0xfe0d, 2) + vec("inner", 2))));
  BOOST_TEST((hello.status == Status::complete));
  BOOST_TEST(hello.hides_server_name);
  BOOST_TEST(!read_client_hello(hello_for("a.test")).hides_server_name);
}

BOOST_AUTO_TEST_CASE(not_a_tls_handshake)
{
  BOOST_TEST((read_client_hello("GET / HTTP/1.1\r\n").status == Status::not_tls));
  BOOST_TEST((read_client_hello("SSH-2.0-OpenSSH_9.2\r\n").status == Status::not_tls));
  BOOST_TEST((read_client_hello("").status == Status::incomplete));
}

BOOST_AUTO_TEST_CASE(malformed_hellos_are_said_so)
{
  std::string message = handshake(sni_extension({"a.test"}));
  // A record of another type, or another major version, or empty, after the first byte said TLS.
  BOOST_TEST((read_client_hello(record(message.substr(0, 10)) + std::string("\x17\x03\x03\x00\x01x", 6)).status == Status::malformed));
  BOOST_TEST((read_client_hello(std::string("\x16\x02\x00\x00\x05hello", 10)).status == Status::malformed));
  BOOST_TEST((read_client_hello(std::string("\x16\x03\x01\x00\x00", 5)).status == Status::malformed));
  // A handshake message that is not a ClientHello, or longer than the cap.
  BOOST_TEST((read_client_hello(record("\x02" + message.substr(1))).status == Status::malformed));
  BOOST_TEST((read_client_hello(record("\x01" + be(sandbox::egress::k_max_client_hello_bytes, 3))).status == Status::malformed));
  // Lengths inside the body that run past it.
  std::string body = message.substr(4);
  std::string short_body = body.substr(0, 40);
  BOOST_TEST((read_client_hello(record("\x01" + be(short_body.size(), 3) + short_body)).status == Status::malformed));
  // Two server_name extensions, two host names, a name with a character no host name has.
  BOOST_TEST((read_client_hello(record(handshake(sni_extension({"a.test"}) + sni_extension({"b.test"})))).status == Status::malformed));
  BOOST_TEST((read_client_hello(record(handshake(sni_extension({"a.test", "b.test"})))).status == Status::malformed));
  BOOST_TEST((read_client_hello(hello_for("a.test\x1b[2J")).status == Status::malformed));
  BOOST_TEST((read_client_hello(hello_for(std::string("a\0b", 3))).status == Status::malformed));
  BOOST_TEST((read_client_hello(hello_for("")).status == Status::malformed));
  for (const char* name : {".", "a..", "..a", ".a", "a..b"}) {
    ClientHello hello = read_client_hello(hello_for(name));
    BOOST_TEST((hello.status == Status::malformed), name);
    BOOST_TEST(!hello.server_name, name); // a malformed ClientHello names nothing (found by fuzz.tls_client_hello)
  }
  // A ClientHello still incomplete when the cap is reached: the proxy reads no further.
  std::string endless = record("\x01" + be(65000, 3) + std::string(15996, 'x'));
  for (int i = 0; i < 3; ++i) {
    endless += record(std::string(16000, 'x'));
  }
  BOOST_TEST((read_client_hello(endless).status == Status::incomplete));
  endless += "\x16\x03\x01" + be(16000, 2) + std::string(2000, 'x');
  BOOST_TEST(endless.size() >= sandbox::egress::k_max_client_hello_bytes);
  BOOST_TEST((read_client_hello(endless).status == Status::malformed));
}

BOOST_AUTO_TEST_SUITE_END()
