#pragma once

// cxxopts, configured in one place: repeated flags keep their commas, so that
// `--tmpfs /x:size=1m,exec` stays one value. Include this, never <cxxopts.hpp> directly.

#define CXXOPTS_VECTOR_DELIMITER '\0'
#include <cxxopts.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sandbox::cli {

// The value of flag `name`, or nullopt when it was not given.
template <typename T> std::optional<T> optional_flag(const cxxopts::ParseResult& parsed, const char* name)
{
  if (!parsed.count(name)) {
    return std::nullopt;
  }
  return parsed[name].as<T>();
}

// Every value of a repeatable flag (or positional list) `name`; empty when it was not given.
inline std::vector<std::string> list_flag(const cxxopts::ParseResult& parsed, const char* name)
{
  return parsed.count(name) ? parsed[name].as<std::vector<std::string>>() : std::vector<std::string>{};
}

} // namespace sandbox::cli
