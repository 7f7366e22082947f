// The engine's multiplexed stdio stream, split into stdout and stderr however it is cut.

#include "engine/stream_demuxer.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(stream_demuxer)

BOOST_AUTO_TEST_CASE(splits_frames_fed_one_byte_at_a_time)
{
  std::string input = sandbox::test::stream_frame(1, "out1\n") + sandbox::test::stream_frame(2, "err\n") + sandbox::test::stream_frame(1, "") + sandbox::test::stream_frame(0, "in") + sandbox::test::stream_frame(1, std::string(70000, 'x'));
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
  std::string partial = sandbox::test::stream_frame(1, "abcdef").substr(0, 10);
  demuxer.feed(partial.data(), partial.size(), [](auto, auto, auto) {});
  BOOST_TEST(demuxer.mid_frame());
  sandbox::engine::StreamDemuxer other;
  std::string bad = sandbox::test::stream_frame(9, "x");
  BOOST_CHECK_THROW(other.feed(bad.data(), bad.size(), [](auto, auto, auto) {}), sandbox::Error);
}

BOOST_AUTO_TEST_SUITE_END()
