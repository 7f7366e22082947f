#include "engine/stream_demuxer.h"

#include "util/error.h"

#include <algorithm>

namespace sandbox::engine {

void StreamDemuxer::feed(const char* data, std::size_t size, const Sink& sink)
{
  while (size > 0) {
    if (m_remaining == 0) {
      std::size_t take = std::min(size, sizeof m_header - m_header_have);
      std::copy(data, data + take, m_header + m_header_have);
      m_header_have += take;
      data += take;
      size -= take;
      if (m_header_have < sizeof m_header) {
        return;
      }
      m_header_have = 0;
      if (m_header[0] > 3) {
        throw Error("the engine sent an invalid stream frame (type " + std::to_string(m_header[0]) + ")");
      }
      m_stream = static_cast<StdStream>(m_header[0]);
      m_remaining = (std::uint32_t(m_header[4]) << 24) | (std::uint32_t(m_header[5]) << 16)
                    | (std::uint32_t(m_header[6]) << 8) | std::uint32_t(m_header[7]);
      continue;
    }
    std::size_t take = std::min<std::size_t>(size, m_remaining);
    sink(m_stream, data, take);
    data += take;
    size -= take;
    m_remaining -= static_cast<std::uint32_t>(take);
  }
}

} // namespace sandbox::engine
