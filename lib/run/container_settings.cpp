#include "run/container_settings.h"

#include "util/error.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sandbox::run {

namespace {

std::int64_t ulimit_value(const std::string& text, const std::string& whole)
{
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < -1) {
    throw UsageError("invalid --ulimit \"" + whole + "\": expected NAME=SOFT[:HARD], whole numbers or -1 for unlimited");
  }
  return value;
}

} // namespace

Ulimit parse_ulimit(const std::string& text)
{
  static const char* const k_names[] = {"as",  "core",  "cpu", "data",   "fsize",      "locks", "memlock",
                                        "msgqueue", "nofile", "nproc", "rss", "rttime", "sigpending", "stack"};
  std::size_t equals = text.find('=');
  Ulimit out;
  out.name = text.substr(0, equals);
  if (out.name == "rtprio" || out.name == "nice") {
    // Either lets the sandbox raise its own scheduling priority (real-time with rtprio, past
    // --cpus on a cgroup v2 host): a relaxation no flag of ours asks for.
    throw UsageError("--ulimit " + out.name + " is not taken: it would let the sandbox raise its own scheduling priority");
  }
  if (equals == std::string::npos
      || std::none_of(std::begin(k_names), std::end(k_names), [&](const char* name) { return out.name == name; })) {
    throw UsageError("invalid --ulimit \"" + text + "\": expected NAME=SOFT[:HARD] with a NAME such as nofile, nproc, core or stack");
  }
  std::string values = text.substr(equals + 1);
  std::size_t colon = values.find(':');
  out.soft = ulimit_value(values.substr(0, colon), text);
  out.hard = colon == std::string::npos ? out.soft : ulimit_value(values.substr(colon + 1), text);
  bool soft_above_hard = out.hard != -1 && (out.soft == -1 || out.soft > out.hard);
  if (soft_above_hard) {
    throw UsageError("invalid --ulimit \"" + text + "\": the soft limit is above the hard one");
  }
  return out;
}

void check_hostname(const std::string& name)
{
  bool ok = !name.empty() && name.size() <= 63 && name[0] != '-' && name[0] != '.'
            && std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
  if (!ok) {
    throw UsageError("invalid --hostname \"" + name + "\": 1 to 63 letters, digits, '-' and '.'");
  }
}

void check_platform(const std::string& platform)
{
  int parts = 1;
  bool ok = !platform.empty() && platform.front() != '/' && platform.back() != '/';
  for (std::size_t i = 0; ok && i < platform.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(platform[i]);
    if (c == '/') {
      ok = platform[i - 1] != '/' && ++parts <= 3;
    } else {
      ok = std::isalnum(c) || c == '_';
    }
  }
  if (!ok) {
    throw UsageError("invalid --platform \"" + platform + "\": expected OS[/ARCH[/VARIANT]], e.g. linux/amd64");
  }
}

} // namespace sandbox::run
