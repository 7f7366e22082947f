// The engine's multiplexed stdio stream, split into stdout and stderr however it is cut.

#include "engine/stream_demuxer.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

std::string frame(int stream, const std::string& payload)
{
  std::string out(8, '\0');
  out[0] = static_cast<char>(stream);
  std::uint32_t size = static_cast<std::uint32_t>(payload.size());
  out[4] = static_cast<char>(size >> 24);
  out[5] = static_cast<char>(size >> 16);
  out[6] = static_cast<char>(size >> 8);
  out[7] = static_cast<char>(size);
  return out + payload;
}

} // namespace

BOOST_AUTO_TEST_SUITE(stream_demuxer)

BOOST_AUTO_TEST_CASE(splits_frames_fed_one_byte_at_a_time)
{
  std::string input = frame(1, "out1\n") + frame(2, "err\n") + frame(1, "") + frame(0, "in") + frame(1, std::string(70000, 'x'));
  sandbox::engine::StreamDemuxer demuxer;
  std::string out, err;
  for (char c : input) {
    demuxer.feed(&c, 1, [&](sandbox::engine::StdStream stream, const char* data, std::size_t size) {
      (stream == sandbox::engine::StdStream::stderr_stream ? err : out).append(data, size);
    });
  }
  BOOST_TEST(out == "out1\nin" + std::string(70000, 'x'));
  BOOST_TEST(err == "err\n");
  BOOST_TEST(!demuxer.mid_frame());
}

BOOST_AUTO_TEST_CASE(reports_truncation_and_bad_types)
{
  sandbox::engine::StreamDemuxer demuxer;
  std::string partial = frame(1, "abcdef").substr(0, 10);
  demuxer.feed(partial.data(), partial.size(), [](auto, auto, auto) {});
  BOOST_TEST(demuxer.mid_frame());
  sandbox::engine::StreamDemuxer other;
  std::string bad = frame(9, "x");
  BOOST_CHECK_THROW(other.feed(bad.data(), bad.size(), [](auto, auto, auto) {}), sandbox::Error);
}

BOOST_AUTO_TEST_SUITE_END()
