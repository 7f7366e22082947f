#pragma once

// Splits the engine's multiplexed stdio stream (non-TTY attach and logs): frames of
// [stream:1][0 0 0][size:4 big-endian] followed by `size` bytes. Frames may be split anywhere
// across reads; payloads are handed on as they arrive, never buffered whole.

#include <cstddef>
#include <cstdint>
#include <functional>

namespace sandbox::engine {

enum class StdStream { stdin_echo = 0, stdout_stream = 1, stderr_stream = 2, system_error = 3 };

class StreamDemuxer
{
public:
  using Sink = std::function<void(StdStream stream, const char* data, std::size_t size)>;

  // Feeds bytes; calls `sink` for each piece of payload. Throws Error on an unknown stream type.
  void feed(const char* data, std::size_t size, const Sink& sink);
  // True when the input stopped inside a frame (a truncated stream).
  bool mid_frame() const { return m_header_have != 0 || m_remaining != 0; }

private:
  unsigned char m_header[8] = {};
  std::size_t m_header_have = 0;
  std::uint32_t m_remaining = 0;
  StdStream m_stream = StdStream::stdout_stream;
};

} // namespace sandbox::engine
