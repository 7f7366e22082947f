#include "engine/environment.h"

#include <cstdlib>

namespace sandbox::engine {

Environment process_environment()
{
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

Environment fixed_environment(std::map<std::string, std::string> variables)
{
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

std::optional<std::string> non_empty(const Environment& env, const std::string& name)
{
  std::optional<std::string> value = env(name);
  if (!value || value->empty()) {
    return std::nullopt;
  }
  return value;
}

} // namespace sandbox::engine
