#pragma once

// The egress log: one JSON line per decision of the proxy, which the plugin reads back (from the
// proxy container's output) to write --egress-log and its summary.

#include <chrono>
#include <cstdint>
#include <string>

namespace sandbox::egress {

struct LogEntry
{
  std::chrono::system_clock::time_point time;
  // CONNECT, GET, ...; "" when the request was refused before its method was read.
  std::string method;
  std::string host;
  std::uint16_t port = 0;
  // The address the proxy connected to or refused; "" when nothing was resolved.
  std::string address;
  bool allowed = false;
  std::string reason;
  // Bytes written to the destination and to the client.
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
  std::int64_t duration_ms = 0;
};

// The entry as one line of JSON with its newline; every string is made valid UTF-8 without control
// characters first, whatever a client sent.
std::string log_line(const LogEntry& entry);

// The line the proxy writes once it listens: {"time":...,"listening":"ADDRESS:PORT"}.
std::string listening_line(std::chrono::system_clock::time_point time, const std::string& endpoint);

// `time` in RFC 3339, UTC, with milliseconds: 2026-12-01T04:12:19.123Z.
std::string rfc3339_utc(std::chrono::system_clock::time_point time);

} // namespace sandbox::egress
