// Fuzz target: the request heads a sandboxed program sends to the egress proxy. Fed in pieces whose
// sizes the input chooses, the parser must reach the same verdict, stop at the same byte and read
// the same request as when it is fed the whole input at once; a refusal carries one of the
// statuses the proxy replies; and the head it forwards to an origin holds exactly one line per
// kept header, so that nothing a client sends can add a line of its own.
//
// Input: [piece sizes: one byte per piece, until a 0 byte] [the bytes the client sends]

#include "egress/proxy_request.h"
#include "fuzz_input.h"

#include <string>

namespace {

struct Outcome
{
  int status = 0;
  bool done = false;
  std::size_t consumed = 0;
  std::string head;
};

Outcome parse(const std::string& wire, const std::string& pieces)
{
  Outcome out;
  sandbox::egress::RequestHeadParser parser;
  std::size_t fed = 0;
  std::size_t piece = 0;
  try {
    while (fed < wire.size() && !parser.done()) {
      std::size_t take = sandbox::fuzz::piece_size(pieces, piece++, wire.size() - fed);
      std::size_t used = parser.feed(std::string_view(wire).substr(fed, take));
      out.consumed += used;
      if (used != take && !parser.done()) {
        sandbox::fuzz::invariant_failed("the parser left bytes unread before the head ended");
      }
      fed += take;
    }
  } catch (const sandbox::egress::RequestError& e) {
    out.status = e.status();
    out.consumed = 0; // how far the pieces before the refusal got depends on the split
  }
  out.done = parser.done();
  if (out.done) {
    const sandbox::egress::ProxyRequest& request = parser.request();
    if (request.host.empty() || request.port == 0) {
      sandbox::fuzz::invariant_failed("an accepted request has no host or port");
    }
    out.head = request.method + " " + request.host + ":" + std::to_string(request.port) + "\n";
    if (!request.is_connect()) {
      out.head += request.origin_head();
      std::size_t lines = 0;
      for (std::size_t at = out.head.find("\r\n"); at != std::string::npos; at = out.head.find("\r\n", at + 2)) {
        ++lines;
      }
      if (lines != request.headers.size() + 3 || out.head.find_first_of("\r\n", 0) != out.head.find('\n')) {
        sandbox::fuzz::invariant_failed("the forwarded head has a line that is not a kept header");
      }
      if (!request.target.starts_with('/')) {
        sandbox::fuzz::invariant_failed("the forwarded target is not in origin form");
      }
    }
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  auto [pieces, wire] = sandbox::fuzz::split_pieces(data, size);
  Outcome whole = parse(wire, "");
  Outcome split = parse(wire, pieces);
  if (whole.status != split.status || whole.done != split.done || whole.consumed != split.consumed ||
      whole.head != split.head) {
    sandbox::fuzz::invariant_failed("the parser's verdict depends on how the head was split");
  }
  if (whole.status != 0 && whole.status != 400 && whole.status != 405 && whole.status != 414 && whole.status != 431) {
    sandbox::fuzz::invariant_failed("a refusal with a status the proxy does not reply");
  }
  return 0;
}
