// Fuzz target: the SOCKS5 greeting and request a sandboxed program sends to the egress proxy. Fed
// in pieces whose sizes the input chooses, the reader must reach the same verdict, send the same
// refusal, stop at the same byte and read the same host and port as when it is fed the whole input.
//
// Input: [piece sizes: one byte per piece, until a 0 byte] [the bytes the client sends]

#include "egress/socks5_request.h"
#include "fuzz_input.h"

#include <string>

namespace {

struct Outcome
{
  std::string refusal;
  bool greeting_done = false;
  bool done = false;
  std::size_t consumed = 0;
  std::string target;
};

Outcome read(const std::string& wire, const std::string& pieces)
{
  Outcome out;
  sandbox::egress::Socks5Parser parser;
  std::size_t fed = 0;
  std::size_t piece = 0;
  try {
    while (fed < wire.size() && !parser.done()) {
      std::size_t take = sandbox::fuzz::piece_size(pieces, piece++, wire.size() - fed);
      out.consumed += parser.feed(std::string_view(wire).substr(fed, take));
      fed += take;
    }
  } catch (const sandbox::egress::Socks5Error& e) {
    out.refusal = e.reply();
    out.consumed = 0; // how far the pieces before the refusal got depends on the split
  }
  out.greeting_done = parser.greeting_done();
  out.done = parser.done();
  if (out.done) {
    const sandbox::egress::ProxyRequest& request = parser.request();
    if (request.host.empty() || request.port == 0 || !request.is_connect()) {
      sandbox::fuzz::invariant_failed("an accepted SOCKS5 request has no host, no port or is not a tunnel");
    }
    out.target = request.host + " " + std::to_string(request.port);
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  auto [pieces, wire] = sandbox::fuzz::split_pieces(data, size);
  Outcome whole = read(wire, "");
  Outcome split = read(wire, pieces);
  if (whole.refusal != split.refusal || whole.done != split.done || whole.consumed != split.consumed ||
      whole.target != split.target || (whole.refusal.empty() && whole.greeting_done != split.greeting_done)) {
    sandbox::fuzz::invariant_failed("the SOCKS5 reader's verdict depends on how the bytes were split");
  }
  if (!whole.refusal.empty() && whole.refusal.size() != 2 && whole.refusal.size() != 10) {
    sandbox::fuzz::invariant_failed("a SOCKS5 refusal that is neither a method choice nor a reply");
  }
  return 0;
}
