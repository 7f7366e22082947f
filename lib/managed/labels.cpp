#include "managed/labels.h"

#include "util/json.h"

namespace sandbox::managed {

std::string label_filters(const std::vector<std::string>& labels, std::optional<bool> dangling)
{
  json::Value filter = json::Value::object();
  json::Value values = json::Value::array();
  for (const std::string& label : labels) {
    values.push(label);
  }
  filter.set("label", std::move(values));
  if (dangling) {
    json::Value flag = json::Value::array();
    flag.push(*dangling ? "true" : "false");
    filter.set("dangling", std::move(flag));
  }
  return filter.dump();
}

} // namespace sandbox::managed
