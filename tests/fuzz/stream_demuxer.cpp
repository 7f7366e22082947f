// Fuzz target: the multiplexed stdout/stderr stream of a non-TTY attach. The engine's bytes are
// fed in pieces whose sizes the input chooses; what comes out must be exactly what a one-shot
// reference decoder of the whole buffer produces, and a bad frame type must be refused.
//
// Input: [piece sizes: one byte per piece, until a 0 byte] [the stream]

#include "fuzz_input.h"
#include "engine/stream_demuxer.h"
#include "util/error.h"

#include <array>
#include <string>

namespace {

using sandbox::engine::StdStream;

struct Decoded
{
  std::array<std::string, 4> streams;
  bool refused = false;
  bool mid_frame = false;
};

Decoded reference(const std::string& stream)
{
  Decoded out;
  std::size_t at = 0;
  while (at < stream.size()) {
    if (stream.size() - at < 8) {
      out.mid_frame = true;
      return out;
    }
    auto type = static_cast<unsigned char>(stream[at]);
    if (type > 3) {
      out.refused = true;
      return out;
    }
    std::size_t size = 0;
    for (int i = 4; i < 8; ++i) {
      size = (size << 8) | static_cast<unsigned char>(stream[at + i]);
    }
    at += 8;
    std::size_t have = std::min(size, stream.size() - at);
    out.streams[type].append(stream, at, have);
    at += have;
    if (have < size) {
      out.mid_frame = true;
    }
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  auto [pieces, stream] = sandbox::fuzz::split_pieces(data, size);

  Decoded got;
  sandbox::engine::StreamDemuxer demuxer;
  auto sink = [&](StdStream which, const char* bytes, std::size_t count) {
    if (count == 0) {
      sandbox::fuzz::invariant_failed("the sink was called with an empty piece");
    }
    got.streams[static_cast<int>(which)].append(bytes, count);
  };
  std::size_t fed = 0;
  std::size_t piece = 0;
  try {
    while (fed < stream.size()) {
      std::size_t take = sandbox::fuzz::piece_size(pieces, piece++, stream.size() - fed);
      demuxer.feed(stream.data() + fed, take, sink);
      fed += take;
    }
    got.mid_frame = demuxer.mid_frame();
  } catch (const sandbox::Error&) {
    got.refused = true;
  }

  Decoded want = reference(stream);
  if (got.refused != want.refused) {
    sandbox::fuzz::invariant_failed(want.refused ? "a bad frame type was accepted" : "a good stream was refused");
  }
  for (int i = 0; i < 4; ++i) {
    if (got.streams[i] != want.streams[i]) {
      sandbox::fuzz::invariant_failed("stream " + std::to_string(i) + " differs from the reference decoder");
    }
  }
  if (!want.refused && got.mid_frame != want.mid_frame) {
    sandbox::fuzz::invariant_failed("mid_frame() disagrees with the reference decoder");
  }
  return 0;
}
