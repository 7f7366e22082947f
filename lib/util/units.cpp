#include "util/units.h"

#include "util/error.h"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>

namespace sandbox {

std::uint64_t parse_count(const std::string& text, const std::string& what)
{
  std::optional<std::int64_t> value = parse_integer(text);
  if (!value || *value <= 0) {
    throw UsageError("invalid " + what + " \"" + text + "\": expected a positive number");
  }
  return static_cast<std::uint64_t>(*value);
}

std::optional<std::int64_t> parse_integer(std::string_view text)
{
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

namespace {

// Splits "1.5g" into 1.5 and "g"; false when there is no leading number.
bool split_number(const std::string& text, double& number, std::string& unit)
{
  std::size_t i = 0;
  bool digits = false;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    digits = digits || text[i] != '.';
    ++i;
  }
  if (!digits || std::count(text.begin(), text.begin() + static_cast<long>(i), '.') > 1) {
    return false;
  }
  number = std::stod(text.substr(0, i));
  unit = text.substr(i);
  for (char& c : unit) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return true;
}

} // namespace

std::int64_t parse_size(const std::string& text, const std::string& what)
{
  double number = 0;
  std::string unit;
  if (!split_number(text, number, unit)) {
    throw UsageError("invalid " + what + " \"" + text + "\": expected a size such as 512m or 2g");
  }
  if (unit.size() == 2 && unit[1] == 'b') {
    unit.pop_back();
  } else if (unit == "b") {
    unit.clear();
  }
  double scale = 1;
  if (unit == "k") {
    scale = 1024.0;
  } else if (unit == "m") {
    scale = 1024.0 * 1024;
  } else if (unit == "g") {
    scale = 1024.0 * 1024 * 1024;
  } else if (unit == "t") {
    scale = 1024.0 * 1024 * 1024 * 1024;
  } else if (!unit.empty()) {
    throw UsageError("invalid " + what + " \"" + text + "\": unknown unit \"" + unit + "\" (use b, k, m, g or t)");
  }
  double bytes = number * scale;
  if (bytes < 1 || bytes > static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2)) {
    throw UsageError("invalid " + what + " \"" + text + "\": out of range");
  }
  return static_cast<std::int64_t>(bytes);
}

std::string format_bytes(std::uint64_t bytes)
{
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

std::string format_size(std::int64_t bytes)
{
  const char* units = "kmgt";
  std::string unit;
  for (int i = 0; i < 4 && bytes % 1024 == 0 && bytes != 0; ++i) {
    bytes /= 1024;
    unit = std::string(1, units[i]);
  }
  return std::to_string(bytes) + unit;
}

std::chrono::milliseconds parse_duration(const std::string& text, const std::string& what)
{
  auto bad = [&](const std::string& why) {
    return UsageError("invalid " + what + " \"" + text + "\": " + why);
  };
  if (text.empty()) {
    throw bad("expected a duration such as 30s, 5m or 1h30m");
  }
  double total_ms = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
      ++i;
    }
    if (start == i) {
      throw bad("expected a duration such as 30s, 5m or 1h30m");
    }
    double number = 0;
    std::string unit;
    if (!split_number(text.substr(start, i - start), number, unit)) {
      throw bad("expected a duration such as 30s, 5m or 1h30m");
    }
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    unit = text.substr(unit_start, i - unit_start);
    double scale;
    if (unit == "ms") {
      scale = 1;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "m") {
      scale = 60'000;
    } else if (unit == "h") {
      scale = 3'600'000;
    } else if (unit.empty()) {
      throw bad("missing unit (use ms, s, m or h)");
    } else {
      throw bad("unknown unit \"" + unit + "\" (use ms, s, m or h)");
    }
    total_ms += number * scale;
  }
  if (total_ms < 1 || total_ms > 1e12) {
    throw bad("out of range");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(total_ms)));
}

bool older_than(std::int64_t created, std::int64_t now, std::optional<std::chrono::milliseconds> until)
{
  if (!until) {
    return true;
  }
  return created != 0 && created <= now - std::chrono::duration_cast<std::chrono::seconds>(*until).count();
}

std::string format_duration(std::chrono::milliseconds duration)
{
  std::int64_t ms = duration.count();
  if (ms % 1000 != 0) {
    return std::to_string(ms) + "ms";
  }
  std::int64_t seconds = ms / 1000;
  std::string out;
  if (seconds >= 3600) {
    out += std::to_string(seconds / 3600) + "h";
    seconds %= 3600;
  }
  if (seconds >= 60) {
    out += std::to_string(seconds / 60) + "m";
    seconds %= 60;
  }
  if (seconds > 0 || out.empty()) {
    out += std::to_string(seconds) + "s";
  }
  return out;
}

namespace {

// Seconds since the epoch and the nanoseconds after them; nullopt for anything but
// YYYY-MM-DDTHH:MM:SS, an optional fraction of 1 to 9 or more digits, and Z, [+-]HH:MM or nothing.
std::optional<std::pair<std::int64_t, std::int64_t>> parse_rfc3339_parts(const std::string& text)
{
  std::tm tm{};
  const char* rest = text.size() >= 19 ? ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) : nullptr;
  if (!rest || rest != text.c_str() + 19) {
    return std::nullopt;
  }
  std::int64_t nanos = 0;
  if (*rest == '.') {
    int digits = 0;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest) {
      if (digits++ < 9) {
        nanos = nanos * 10 + (*rest - '0');
      }
    }
    if (digits == 0) {
      return std::nullopt;
    }
    for (; digits < 9; ++digits) {
      nanos *= 10;
    }
  }
  std::int64_t seconds = ::timegm(&tm);
  std::string zone(rest);
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':'
      && std::all_of(zone.begin() + 1, zone.end(), [](char c) { return c == ':' || (c >= '0' && c <= '9'); })) {
    std::int64_t offset = std::stoi(zone.substr(1, 2)) * 3600 + std::stoi(zone.substr(4, 2)) * 60;
    seconds += zone[0] == '+' ? -offset : offset;
  } else if (zone != "Z" && !zone.empty()) {
    return std::nullopt;
  }
  return std::make_pair(seconds, nanos);
}

} // namespace

std::optional<std::int64_t> parse_rfc3339_seconds(const std::string& text)
{
  std::optional<std::pair<std::int64_t, std::int64_t>> parts = parse_rfc3339_parts(text);
  return parts ? std::optional<std::int64_t>(parts->first) : std::nullopt;
}

std::optional<std::int64_t> parse_rfc3339_ns(const std::string& text)
{
  std::optional<std::pair<std::int64_t, std::int64_t>> parts = parse_rfc3339_parts(text);
  constexpr std::int64_t k_limit = std::numeric_limits<std::int64_t>::max() / 1000000000 - 1;
  if (!parts || parts->first > k_limit || parts->first < -k_limit) {
    return std::nullopt;
  }
  return parts->first * 1000000000 + parts->second;
}

} // namespace sandbox
