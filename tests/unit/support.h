#pragma once

// Small helpers shared by the unit test files: reading the message of an expected exception,
// printing optional values in assertions, a scratch directory, an engine's reply to a step, a
// frame of the engine's multiplexed stream.

#include "plan/plan.h"
#include "util/file.h"
#include "util/json.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace sandbox::test {

// Runs `body` and returns the what() of the exception of type E it throws. Records a test
// error (and returns "") when nothing is thrown; an exception of another type propagates.
template <typename E, typename F> std::string message_of(F&& body)
{
  try {
    body();
  } catch (const E& e) {
    return e.what();
  }
  BOOST_ERROR("expected an exception, none was thrown");
  return "";
}

// The value, or "<unset>", so that an optional can be compared and printed by BOOST_TEST.
inline std::string shown(const std::optional<std::string>& value)
{
  return value ? *value : "<unset>";
}

inline std::string shown(const std::optional<bool>& value)
{
  if (!value) {
    return "<unset>";
  }
  return *value ? "true" : "false";
}

// A fresh directory under /tmp, removed with everything in it at the end of the scope.
struct TempDir
{
  std::string path;
  TempDir()
  {
    char pattern[] = "/tmp/sbx-unit.XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDir()
  {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// A reply with `status` and the JSON `body` ("" for none), as a step's check sees it.
inline plan::Reply reply_of(int status, const std::string& body)
{
  plan::Reply reply;
  reply.status = status;
  reply.body = body.empty() ? json::Value() : json::parse(body);
  return reply;
}

// Compares `actual` with the golden file `dir`/`name`; with SANDBOX_UPDATE_GOLDEN set, rewrites it
// instead (check the diff before committing it).
inline void check_golden_file(const std::string& dir, const std::string& name, const std::string& actual)
{
  std::string path = dir + "/" + name;
  if (std::getenv("SANDBOX_UPDATE_GOLDEN")) {
    std::ofstream(path) << actual;
    return;
  }
  std::optional<std::string> expected = sandbox::read_file_if_exists(path);
  BOOST_REQUIRE_MESSAGE(expected, "missing golden file " << path << " (run with SANDBOX_UPDATE_GOLDEN=1)");
  BOOST_TEST(actual == *expected, "golden mismatch: " << name);
}

// One frame of the engine's multiplexed stdio stream: [stream][0 0 0][size, big-endian] payload.
inline std::string stream_frame(int stream, const std::string& payload)
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

} // namespace sandbox::test
