#include "managed/lifetime.h"

#include "managed/labels.h"
#include "managed/list_view.h"
#include "util/units.h"

namespace sandbox::managed {

namespace {

constexpr std::string_view k_detached = "detached";
constexpr std::string_view k_never = "never";

std::string label_of(const ManagedContainer& c, std::string_view key)
{
  for (const auto& [name, value] : c.labels) {
    if (name == key) {
      return value;
    }
  }
  return "";
}

} // namespace

std::vector<std::pair<std::string, std::string>> lifetime_labels(const std::optional<Lifetime>& detached)
{
  if (!detached) {
    return {{std::string(k_label_lifetime), "run"}};
  }
  return {{std::string(k_label_lifetime), std::string(k_detached)},
          {std::string(k_label_expires), detached->deadline ? std::to_string(*detached->deadline) : std::string(k_never)},
          {std::string(k_label_idle_timeout), std::to_string(detached->idle_seconds)}};
}

std::optional<Lifetime> lifetime_of(const ManagedContainer& c)
{
  if (label_of(c, k_label_lifetime) != k_detached) {
    return std::nullopt;
  }
  Lifetime lifetime;
  std::string expires = label_of(c, k_label_expires);
  if (expires != k_never) {
    // A deadline that is not a number ends it at once: a create of ours always writes one.
    std::optional<std::int64_t> deadline = parse_integer(expires);
    lifetime.deadline = deadline.value_or(0);
  }
  lifetime.idle_seconds = parse_integer(label_of(c, k_label_idle_timeout)).value_or(0);
  return lifetime;
}

bool expired(const ManagedContainer& c, std::int64_t now)
{
  std::optional<Lifetime> lifetime = lifetime_of(c);
  return lifetime && lifetime->deadline && *lifetime->deadline <= now;
}

std::string time_left(const ManagedContainer& c, std::int64_t now)
{
  std::optional<Lifetime> lifetime = lifetime_of(c);
  if (!lifetime) {
    return "";
  }
  if (!lifetime->deadline) {
    return std::string(k_never);
  }
  if (*lifetime->deadline <= now) {
    return "expired";
  }
  return human_duration(*lifetime->deadline - now);
}

std::string detached_filters()
{
  return label_filters({std::string(k_label_managed) + "=true", std::string(k_label_lifetime) + "=" + std::string(k_detached)});
}

} // namespace sandbox::managed
