#include "util/identity.h"

#include "util/error.h"

#include <algorithm>
#include <ctime>
#include <sys/random.h>
#include <unistd.h>

namespace sandbox {

std::string random_hex(std::size_t length)
{
  std::string bytes((length + 1) / 2, '\0');
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n <= 0) {
      throw Error("cannot read random bytes for an identifier");
    }
    filled += static_cast<std::size_t>(n);
  }
  static const char* const k_hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += k_hex[c >> 4];
    out += k_hex[c & 15];
  }
  out.resize(length);
  return out;
}

std::string rfc3339_now()
{
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void validate_id(const std::string& value, const std::string& what)
{
  bool valid = !value.empty() && value.size() <= 63
               && std::all_of(value.begin(), value.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                           || c == '-';
                  });
  if (!valid) {
    throw UsageError("invalid " + what + " \"" + value + "\": use 1 to 63 of a-z, A-Z, 0-9, _ and -");
  }
}

std::string hostname()
{
  char host[256] = "localhost";
  ::gethostname(host, sizeof host - 1);
  return host;
}

std::string owner_tag()
{
  return hostname() + ":" + std::to_string(::getpid());
}

} // namespace sandbox
