// The pure parts of a live run: the multiplexed stream demuxer, the chunked decoder used on the
// raw wait connection, units, and docker run's mapping of start failures to exit codes.

#include "engine/raw_http.h"
#include "managed/containers.h"
#include "run/run_session.h"
#include "run/stream_demuxer.h"
#include "util/error.h"
#include "util/units.h"

#include <boost/test/unit_test.hpp>

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
  sandbox::run::StreamDemuxer demuxer;
  std::string out, err;
  for (char c : input) {
    demuxer.feed(&c, 1, [&](sandbox::run::StdStream stream, const char* data, std::size_t size) {
      (stream == sandbox::run::StdStream::stderr_stream ? err : out).append(data, size);
    });
  }
  BOOST_TEST(out == "out1\nin" + std::string(70000, 'x'));
  BOOST_TEST(err == "err\n");
  BOOST_TEST(!demuxer.mid_frame());
}

BOOST_AUTO_TEST_CASE(reports_truncation_and_bad_types)
{
  sandbox::run::StreamDemuxer demuxer;
  std::string partial = frame(1, "abcdef").substr(0, 10);
  demuxer.feed(partial.data(), partial.size(), [](auto, auto, auto) {});
  BOOST_TEST(demuxer.mid_frame());
  sandbox::run::StreamDemuxer other;
  std::string bad = frame(9, "x");
  BOOST_CHECK_THROW(other.feed(bad.data(), bad.size(), [](auto, auto, auto) {}), sandbox::Error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chunked_decoder)

BOOST_AUTO_TEST_CASE(decodes_across_arbitrary_splits)
{
  std::string body = "19\r\n{\"StatusCode\":7,\"Error\":n\r\n5;ext=1\r\null}\n\r\n0\r\n\r\n";
  for (std::size_t split = 1; split < body.size(); ++split) {
    sandbox::engine::ChunkedDecoder decoder;
    std::string out = decoder.feed(body.data(), split);
    out += decoder.feed(body.data() + split, body.size() - split);
    BOOST_TEST(out == "{\"StatusCode\":7,\"Error\":null}\n");
    BOOST_TEST(decoder.done());
  }
}

BOOST_AUTO_TEST_CASE(garbage_is_an_error_not_a_crash)
{
  sandbox::engine::ChunkedDecoder decoder;
  std::string body = "zz\r\n";
  BOOST_CHECK_THROW(decoder.feed(body.data(), body.size()), sandbox::ConnectionError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(units)

BOOST_AUTO_TEST_CASE(sizes)
{
  BOOST_TEST(sandbox::parse_size("512m", "x") == 512LL * 1024 * 1024);
  BOOST_TEST(sandbox::parse_size("2G", "x") == 2LL * 1024 * 1024 * 1024);
  BOOST_TEST(sandbox::parse_size("1.5k", "x") == 1536);
  BOOST_TEST(sandbox::parse_size("64kb", "x") == 65536);
  BOOST_TEST(sandbox::parse_size("100", "x") == 100);
  for (const char* bad : {"", "m", "0", "1x", "-1m", "1..2m", "99999999999t"}) {
    BOOST_CHECK_THROW(sandbox::parse_size(bad, "--memory"), sandbox::UsageError);
  }
  BOOST_TEST(sandbox::format_size(2LL * 1024 * 1024 * 1024) == "2g");
  BOOST_TEST(sandbox::format_size(1536) == "1536");
}

BOOST_AUTO_TEST_CASE(durations)
{
  using std::chrono::milliseconds;
  BOOST_TEST(sandbox::parse_duration("30s", "x").count() == 30000);
  BOOST_TEST(sandbox::parse_duration("1h30m", "x").count() == 5400000);
  BOOST_TEST(sandbox::parse_duration("250ms", "x").count() == 250);
  BOOST_TEST(sandbox::parse_duration("1.5m", "x").count() == 90000);
  for (const char* bad : {"", "5", "s", "5d", "-1s", "0s", "1s5"}) {
    BOOST_CHECK_THROW(sandbox::parse_duration(bad, "--timeout"), sandbox::UsageError);
  }
  BOOST_TEST(sandbox::format_duration(milliseconds(5400000)) == "1h30m");
  BOOST_TEST(sandbox::format_duration(milliseconds(1500)) == "1500ms");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(start_failures)

BOOST_AUTO_TEST_CASE(map_like_docker_run)
{
  BOOST_TEST(sandbox::run::start_failure_exit_code(
               "OCI runtime create failed: exec: \"nope\": executable file not found in $PATH") == 127);
  BOOST_TEST(sandbox::run::start_failure_exit_code("exec: \"/x\": stat /x: no such file or directory") == 127);
  BOOST_TEST(sandbox::run::start_failure_exit_code("exec: \"/etc\": permission denied") == 126);
  BOOST_TEST(sandbox::run::start_failure_exit_code("invalid tmpfs option") == 125);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(leftovers)

BOOST_AUTO_TEST_CASE(prune_selects_finished_and_orphaned_only)
{
  using sandbox::managed::ManagedContainer;
  std::vector<ManagedContainer> all{
    {"a", "exited-old", "img", "exited", "", "", "", "h:1", 1000},
    {"b", "running-live", "img", "running", "", "", "", "h:2", 1000},
    {"c", "running-orphan", "img", "running", "", "", "", "h:3", 1000},
    {"d", "exited-young", "img", "exited", "", "", "", "h:1", 1990},
    {"e", "created-live", "img", "created", "", "", "", "h:1", 1000}, // a transfer helper in use
    {"f", "created-orphan", "img", "created", "", "", "", "h:3", 1000},
  };
  auto alive = [](const std::string& owner) { return owner != "h:3"; };
  std::vector<std::string> names;
  for (const auto& c : sandbox::managed::select_prunable(all, 2000, std::chrono::milliseconds(60'000), alive)) {
    names.push_back(c.name);
  }
  BOOST_TEST((names == std::vector<std::string>{"exited-old", "running-orphan", "created-orphan"}));
  BOOST_TEST(sandbox::managed::select_prunable(all, 2000, std::nullopt, alive).size() == 4u);
}

BOOST_AUTO_TEST_CASE(owner_check_is_conservative)
{
  auto alive = sandbox::managed::local_owner_check("this-host");
  BOOST_TEST(alive("other-host:1"));  // another host: never assume gone
  BOOST_TEST(alive(""));              // no owner label
  BOOST_TEST(!alive("this-host:1"));  // pid 1 is alive but not a docker-sandbox process
  BOOST_TEST(!alive("this-host:999999999"));
}

BOOST_AUTO_TEST_SUITE_END()
