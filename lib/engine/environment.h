#pragma once

// Environment lookups go through this function type so that tests can supply their own.

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace sandbox::engine {

// Returns the variable's value, or nullopt when it is not set.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The real process environment.
Environment process_environment();

// A fixed environment, for tests and for planning without side effects.
Environment fixed_environment(std::map<std::string, std::string> variables);

// The variable's value when set and non-empty, else nullopt (the CLI treats "" as unset).
std::optional<std::string> non_empty(const Environment& env, const std::string& name);

} // namespace sandbox::engine
