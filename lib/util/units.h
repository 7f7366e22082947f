#pragma once

// Sizes and durations as users type them on docker's command line.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

// A whole decimal number (an optional minus sign, then digits only), or nullopt.
std::optional<std::int64_t> parse_integer(std::string_view text);

// A positive whole number, e.g. a count of files. Throws UsageError naming `what` otherwise.
std::uint64_t parse_count(const std::string& text, const std::string& what);

// "512m", "2g", "1.5g", "64k", "1024" (bytes), "2GB": docker's RAMInBytes (binary units).
// Throws UsageError naming `what` on bad input, zero, or overflow.
std::int64_t parse_size(const std::string& text, const std::string& what);

// The shortest docker-style spelling of a byte count: 2147483648 -> "2g".
// A byte count for people: "512 B", "97.7 KiB", "1.0 GiB".
std::string format_bytes(std::uint64_t bytes);

std::string format_size(std::int64_t bytes);

// Go durations: "30s", "1m30s", "500ms", "2h", "1.5h". Throws UsageError naming `what` on bad
// input or a non-positive value.
std::chrono::milliseconds parse_duration(const std::string& text, const std::string& what);

// "1m30s", "500ms".
std::string format_duration(std::chrono::milliseconds duration);

// An RFC 3339 time as the engine writes it ("2026-11-30T10:16:15.123456789+01:00", "Z", or no
// zone: UTC) in seconds, or nanoseconds (years 1678 to 2261), since the epoch; nullopt when it is
// not one.
std::optional<std::int64_t> parse_rfc3339_seconds(const std::string& text);
std::optional<std::int64_t> parse_rfc3339_ns(const std::string& text);

// Whether something created at `created` (unix seconds; 0 when unknown) is old enough for
// `--until`: true without `until`; an unknown age is never old enough.
bool older_than(std::int64_t created, std::int64_t now, std::optional<std::chrono::milliseconds> until);

} // namespace sandbox
