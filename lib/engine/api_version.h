#pragma once

// Engine API versions and the negotiation rule: min(what we know, what the engine speaks).

#include <compare>
#include <optional>
#include <string>

namespace sandbox::engine {

struct ApiVersion
{
  int major = 1;
  int minor = 0;

  auto operator<=>(const ApiVersion&) const = default;
  // "1.41"
  std::string str() const;
  // Parses "1.41" (an optional leading "v" is accepted); throws UsageError otherwise.
  static ApiVersion parse(const std::string& text);
};

// The newest API whose request shapes this plugin has reviewed.
inline constexpr ApiVersion k_max_api_version{1, 47};
// The oldest engine API we support (Docker 20.10, as shipped by Debian 12).
inline constexpr ApiVersion k_min_api_version{1, 41};

// The version to speak, given the engine's Api-Version header (nullopt: header missing, which
// means 1.24 as in the Go client). Throws Error when the result is older than k_min_api_version.
ApiVersion negotiate(const std::optional<std::string>& server_header);

// Checks a version the user pinned (--api-version, DOCKER_API_VERSION). Throws UsageError when it
// is outside [k_min_api_version, k_max_api_version].
ApiVersion check_pinned(const std::string& text);

// DOCKER_API_VERSION, which a user may have set for a newer engine or client: as check_pinned,
// except that a version above k_max_api_version gives k_max_api_version, and `clamped` says so
// (the caller warns once, and negotiates up to it).
ApiVersion clamp_pinned(const std::string& text, bool& clamped);

} // namespace sandbox::engine
