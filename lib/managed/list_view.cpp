#include "managed/list_view.h"

#include "managed/lifetime.h"
#include "util/error.h"
#include "util/units.h"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace sandbox::managed {

namespace {

const std::vector<std::string_view> k_states{"created", "restarting", "running", "removing", "paused", "exited", "dead"};

std::string keys_text(const std::vector<std::string_view>& keys)
{
  std::string text;
  for (std::string_view key : keys) {
    text += (text.empty() ? "" : ", ") + std::string(key);
  }
  return text;
}

// until=: a duration before now, an RFC 3339 time, or unix seconds; as unix seconds.
std::string until_cutoff(const std::string& value, std::int64_t now)
{
  if (std::optional<std::int64_t> at = parse_rfc3339_seconds(value)) {
    return std::to_string(*at);
  }
  std::int64_t seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && end == value.data() + value.size()) {
    return std::to_string(seconds);
  }
  std::chrono::milliseconds ago = parse_duration(value, "--filter until");
  return std::to_string(now - std::chrono::duration_cast<std::chrono::seconds>(ago).count());
}

bool has_label(const std::vector<std::pair<std::string, std::string>>& labels, const std::string& term)
{
  std::size_t equals = term.find('=');
  std::string key = term.substr(0, equals);
  return std::any_of(labels.begin(), labels.end(), [&](const auto& label) {
    return label.first == key && (equals == std::string::npos || label.second == term.substr(equals + 1));
  });
}

struct Subject
{
  const std::vector<std::pair<std::string, std::string>>& labels;
  const std::string& name;
  const std::string& tenant;
  const std::string& run;
  const std::string& state;
  std::int64_t created;
};

bool term_matches(const std::string& key, const std::string& value, const Subject& s)
{
  if (key == "label") {
    return has_label(s.labels, value);
  }
  if (key == "name") {
    return s.name.find(value) != std::string::npos;
  }
  if (key == "tenant") {
    return s.tenant == value;
  }
  if (key == "run") {
    return s.run == value;
  }
  if (key == "status") {
    return s.state == value;
  }
  return s.created != 0 && s.created < std::stoll(value); // until, as unix seconds
}

bool matches_subject(const ListFilter& filter, const Subject& subject)
{
  std::vector<std::string> keys;
  for (const auto& term : filter.terms) {
    if (std::find(keys.begin(), keys.end(), term.first) == keys.end()) {
      keys.push_back(term.first);
    }
  }
  for (const std::string& key : keys) {
    bool all = key == "label";
    bool any = false;
    bool every = true;
    for (const auto& [term_key, value] : filter.terms) {
      if (term_key == key) {
        bool hit = term_matches(key, value, subject);
        any = any || hit;
        every = every && hit;
      }
    }
    if (all ? !every : !any) {
      return false;
    }
  }
  return true;
}

format::Object with_sorted_fields(std::vector<std::pair<std::string, json::Value>> fields,
                                  const std::vector<std::pair<std::string, std::string>>& labels)
{
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  format::Object object;
  for (auto& [key, value] : fields) {
    object.fields.set(key, std::move(value));
  }
  object.labels = labels;
  return object;
}

// Go's time.Time.String() in UTC: "2026-12-01 08:05:20 +0000 UTC".
std::string go_time(std::int64_t seconds)
{
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
  return text;
}

// docker's formatter.Ellipsis: at most `width` characters, the last one "…" when cut.
std::string ellipsis(const std::string& text, std::size_t width)
{
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      starts.push_back(i);
    }
  }
  if (starts.size() <= width) {
    return text;
  }
  return text.substr(0, starts[width - 1]) + "\u2026";
}

// Go's strconv.Quote for the text our engines return (ASCII and UTF-8; printable() escapes the rest).
std::string quoted(const std::string& text)
{
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

} // namespace

ListFilter parse_list_filter(const std::vector<std::string>& values, const std::vector<std::string_view>& keys,
                             std::int64_t now)
{
  ListFilter filter;
  for (const std::string& value : values) {
    std::size_t equals = value.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageError("bad format of filter \"" + value + "\" (expected name=value)");
    }
    std::string key = value.substr(0, equals);
    std::string term = value.substr(equals + 1);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw UsageError("invalid filter '" + key + "': expected " + keys_text(keys));
    }
    if (key == "status" && std::find(k_states.begin(), k_states.end(), term) == k_states.end()) {
      throw UsageError("invalid filter 'status=" + term + "': expected " + keys_text(k_states));
    }
    if (key == "until") {
      term = until_cutoff(term, now);
    }
    filter.terms.emplace_back(key, term);
  }
  return filter;
}

bool matches(const ListFilter& filter, const ManagedContainer& c)
{
  return matches_subject(filter, {c.labels, c.name, c.tenant, c.run_id, c.state, c.created});
}

bool matches(const ListFilter& filter, const ManagedVolume& v)
{
  static const std::string k_no_state;
  return matches_subject(filter, {v.labels, v.name, v.tenant, v.run, k_no_state, v.created_at});
}

const format::Listing& container_listing()
{
  static const format::Listing k_listing{
    "table {{.ID}}\t{{.Names}}\t{{.State}}\t{{.RunningFor}}\t{{.TimeLeft}}\t{{.Tenant}}\t{{.Run}}\t{{.Image}}",
    {{"ID", "CONTAINER ID"}, {"Names", "NAMES"}, {"Image", "IMAGE"}, {"Command", "COMMAND"},
     {"CreatedAt", "CREATED AT"}, {"RunningFor", "CREATED"}, {"State", "STATE"}, {"Status", "STATUS"},
     {"Labels", "LABELS"}, {"Tenant", "TENANT"}, {"Run", "RUN"}, {"Owner", "OWNER"}, {"TimeLeft", "TIME LEFT"}},
  };
  return k_listing;
}

format::Object container_row(const ManagedContainer& c, bool truncate, std::int64_t now)
{
  return with_sorted_fields(
    {
      {"ID", truncate ? c.id.substr(0, 12) : c.id},
      {"Names", c.name},
      {"Image", c.image},
      {"Command", quoted(truncate ? ellipsis(c.command, 20) : c.command)},
      {"CreatedAt", go_time(c.created)},
      // The engine's Created, kept between the epoch and now: no difference overflows.
      {"RunningFor", human_duration(now - std::clamp<std::int64_t>(c.created, 0, std::max<std::int64_t>(now, 0))) + " ago"},
      {"State", c.state},
      {"Status", c.status},
      {"Labels", joined_labels(c.labels)},
      {"Tenant", c.tenant},
      {"Run", c.run_id},
      {"Owner", c.owner},
      {"TimeLeft", time_left(c, now)}, // a detached sandbox's (managed/lifetime.h); "" for a run's
    },
    c.labels);
}

const format::Listing& volume_listing()
{
  static const format::Listing k_listing{
    "table {{.Name}}\t{{.Tenant}}\t{{.Run}}\t{{.CreatedAt}}",
    {{"Name", "VOLUME NAME"}, {"Driver", "DRIVER"}, {"Scope", "SCOPE"}, {"Mountpoint", "MOUNTPOINT"},
     {"Labels", "LABELS"}, {"Links", "LINKS"}, {"Size", "SIZE"}, {"Status", "STATUS"},
     {"Availability", "AVAILABILITY"}, {"Group", "GROUP"}, {"Tenant", "TENANT"}, {"Run", "RUN"},
     {"CreatedAt", "CREATED AT"}},
  };
  return k_listing;
}

format::Object volume_row(const ManagedVolume& v)
{
  return with_sorted_fields(
    {
      {"Name", v.name},
      {"Driver", v.driver},
      {"Scope", v.scope},
      {"Mountpoint", v.mountpoint},
      {"Labels", joined_labels(v.labels)},
      {"Links", "N/A"},
      {"Size", "N/A"},
      {"Status", "N/A"},
      {"Availability", "N/A"},
      {"Group", "N/A"},
      {"Tenant", v.tenant},
      {"Run", v.run},
      {"CreatedAt", v.created},
    },
    v.labels);
}

std::string joined_labels(const std::vector<std::pair<std::string, std::string>>& labels)
{
  std::string text;
  for (const auto& [key, value] : labels) {
    text += (text.empty() ? "" : ",") + key + "=" + value;
  }
  return text;
}

std::string human_duration(std::int64_t seconds)
{
  if (seconds < 1) {
    return "Less than a second";
  }
  if (seconds == 1) {
    return "1 second";
  }
  if (seconds < 60) {
    return std::to_string(seconds) + " seconds";
  }
  std::int64_t minutes = seconds / 60;
  if (minutes == 1) {
    return "About a minute";
  }
  if (minutes < 60) {
    return std::to_string(minutes) + " minutes";
  }
  std::int64_t hours = (seconds + 1800) / 3600;
  if (hours == 1) {
    return "About an hour";
  }
  if (hours < 48) {
    return std::to_string(hours) + " hours";
  }
  if (hours < 24 * 7 * 2) {
    return std::to_string(hours / 24) + " days";
  }
  if (hours < 24 * 30 * 2) {
    return std::to_string(hours / 24 / 7) + " weeks";
  }
  if (hours < 24 * 365 * 2) {
    return std::to_string(hours / 24 / 30) + " months";
  }
  return std::to_string(seconds / 3600 / 24 / 365) + " years";
}

} // namespace sandbox::managed
