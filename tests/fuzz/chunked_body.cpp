// Fuzz target: the chunked transfer decoding of engine replies read over the raw connection
// (archive GET, hijacked upgrades). Fed in pieces whose sizes the input chooses, the decoder must
// produce the same bytes, end at the same place and refuse the same inputs as when it is fed
// the whole reply at once.
//
// Input: [piece sizes: one byte per piece, until a 0 byte] [the reply body as sent]

#include "engine/raw_http.h"
#include "fuzz_input.h"
#include "util/error.h"

#include <string>

namespace {

struct Outcome
{
  std::string body;
  bool refused = false;
  bool done = false;
};

Outcome decode(const std::string& wire, const std::string& pieces)
{
  Outcome out;
  sandbox::engine::ChunkedDecoder decoder;
  std::size_t fed = 0;
  std::size_t piece = 0;
  try {
    while (fed < wire.size() && !decoder.done()) {
      std::size_t take = sandbox::fuzz::piece_size(pieces, piece++, wire.size() - fed);
      out.body += decoder.feed(wire.data() + fed, take);
      fed += take;
    }
  } catch (const sandbox::ConnectionError&) {
    out.refused = true;
  }
  out.done = decoder.done();
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  auto [pieces, wire] = sandbox::fuzz::split_pieces(data, size);
  Outcome whole = decode(wire, "");
  Outcome split = decode(wire, pieces);
  if (whole.refused != split.refused || whole.done != split.done) {
    sandbox::fuzz::invariant_failed("the decoder's verdict depends on how the reply was split");
  }
  if (!whole.refused && whole.body != split.body) {
    sandbox::fuzz::invariant_failed("the decoded body depends on how the reply was split");
  }
  if (whole.body.size() > wire.size()) {
    sandbox::fuzz::invariant_failed("the decoded body is longer than the reply");
  }
  return 0;
}
