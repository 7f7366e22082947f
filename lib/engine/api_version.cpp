#include "engine/api_version.h"

#include "util/error.h"

#include <charconv>

namespace sandbox::engine {

namespace {

bool parse_number(const std::string& text, std::size_t begin, std::size_t end, int& out)
{
  // Digits only: from_chars would also take a sign ("1.-5").
  if (begin >= end || end - begin > 4 || text[begin] < '0' || text[begin] > '9') {
    return false;
  }
  auto [ptr, ec] = std::from_chars(text.data() + begin, text.data() + end, out);
  return ec == std::errc() && ptr == text.data() + end;
}

} // namespace

std::string ApiVersion::str() const
{
  return std::to_string(major) + "." + std::to_string(minor);
}

ApiVersion ApiVersion::parse(const std::string& text)
{
  std::size_t begin = !text.empty() && text[0] == 'v' ? 1 : 0;
  std::size_t dot = text.find('.', begin);
  ApiVersion version;
  if (dot == std::string::npos || !parse_number(text, begin, dot, version.major)
      || !parse_number(text, dot + 1, text.size(), version.minor)) {
    throw UsageError("invalid API version \"" + text + "\": expected MAJOR.MINOR, e.g. 1.41");
  }
  return version;
}

ApiVersion negotiate(const std::optional<std::string>& server_header)
{
  ApiVersion server{1, 24};
  if (server_header && !server_header->empty()) {
    try {
      server = ApiVersion::parse(*server_header);
    } catch (const UsageError&) {
      throw Error("the engine sent an invalid API version \"" + *server_header + "\"");
    }
  }
  if (server < k_min_api_version) {
    throw Error("the engine speaks API " + server.str() + ", older than " + k_min_api_version.str()
                  + ", the oldest docker-sandbox supports",
                "upgrade the engine to Docker 20.10 or newer");
  }
  return server < k_max_api_version ? server : k_max_api_version;
}

ApiVersion check_pinned(const std::string& text)
{
  ApiVersion version = ApiVersion::parse(text);
  if (version < k_min_api_version || version > k_max_api_version) {
    throw UsageError("API version " + version.str() + " is not supported: docker-sandbox speaks "
                     + k_min_api_version.str() + " to " + k_max_api_version.str());
  }
  return version;
}

ApiVersion clamp_pinned(const std::string& text, bool& clamped)
{
  ApiVersion version = ApiVersion::parse(text);
  clamped = k_max_api_version < version;
  return clamped ? k_max_api_version : check_pinned(text);
}

} // namespace sandbox::engine
