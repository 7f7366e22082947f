#include "egress/egress_log.h"

#include "util/json.h"
#include "util/printable.h"

#include <ctime>

namespace sandbox::egress {

std::string rfc3339_utc(std::chrono::system_clock::time_point time)
{
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  if (ms % 1000 < 0) {
    --seconds;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + n, sizeof buffer - n, ".%03dZ", static_cast<int>((ms % 1000 + 1000) % 1000));
  return buffer;
}

std::string log_line(const LogEntry& entry)
{
  json::Value line = json::Value::object();
  line.set("time", rfc3339_utc(entry.time));
  line.set("method", printable(entry.method));
  line.set("host", printable(entry.host));
  line.set("port", static_cast<unsigned>(entry.port));
  line.set("address", printable(entry.address));
  line.set("decision", entry.allowed ? "allowed" : "denied");
  line.set("reason", printable(entry.reason));
  line.set("bytes_up", static_cast<long long>(entry.bytes_up));
  line.set("bytes_down", static_cast<long long>(entry.bytes_down));
  line.set("duration_ms", static_cast<long long>(entry.duration_ms));
  return line.dump() + "\n";
}

std::string listening_line(std::chrono::system_clock::time_point time, const std::string& endpoint)
{
  json::Value line = json::Value::object();
  line.set("time", rfc3339_utc(time));
  line.set("listening", endpoint);
  return line.dump() + "\n";
}

} // namespace sandbox::egress
