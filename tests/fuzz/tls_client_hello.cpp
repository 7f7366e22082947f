// Fuzz target: the first bytes a sandboxed program sends into a CONNECT tunnel, read by the egress
// proxy for the TLS server name. Whatever the bytes: the verdict on a whole ClientHello does not
// change with what follows it (the proxy reads on until it has one); a prefix of it is incomplete
// or already the same verdict; a name it returns is a lowercase host name.
//
// Input: the bytes the client sends.

#include "egress/tls_client_hello.h"
#include "fuzz_input.h"

#include <string>

namespace {

bool same(const sandbox::egress::ClientHello& a, const sandbox::egress::ClientHello& b)
{
  return a.status == b.status && a.server_name == b.server_name;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  using sandbox::egress::ClientHello;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  ClientHello whole = sandbox::egress::read_client_hello(bytes);
  if (whole.status != ClientHello::Status::incomplete) {
    if (!same(whole, sandbox::egress::read_client_hello(bytes + std::string("\x16\x03\x01\x00\x01\x01", 6)))) {
      sandbox::fuzz::invariant_failed("a ClientHello's verdict changed with the bytes after it");
    }
    ClientHello half = sandbox::egress::read_client_hello(bytes.substr(0, size / 2));
    if (half.status != ClientHello::Status::incomplete && !same(half, whole)) {
      sandbox::fuzz::invariant_failed("a prefix reached another verdict than the whole");
    }
  }
  if (whole.server_name) {
    const std::string& name = *whole.server_name;
    if (whole.status != ClientHello::Status::complete || name.empty() || name.ends_with('.')) {
      sandbox::fuzz::invariant_failed("a server name from an incomplete ClientHello, or empty, or with its trailing dot");
    }
    for (char c : name) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
        sandbox::fuzz::invariant_failed("a server name with a character no host name has");
      }
    }
  }
  return 0;
}
