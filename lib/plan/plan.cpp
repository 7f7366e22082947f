#include "plan/plan.h"

#include "util/error.h"

namespace sandbox::plan {

namespace {

// Calls `on_reference(begin, end, step, field)` for each {step.Field} in text.
template <typename F> void for_each_reference(const std::string& text, F on_reference)
{
  std::size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string::npos) {
    std::size_t close = text.find('}', pos);
    std::size_t dot = text.find('.', pos);
    if (close == std::string::npos) {
      return;
    }
    if (dot != std::string::npos && dot < close) {
      on_reference(pos, close + 1, text.substr(pos + 1, dot - pos - 1), text.substr(dot + 1, close - dot - 1));
    }
    pos = close + 1;
  }
}

std::optional<std::string> lookup(const Results& results, const std::string& step, const std::string& field)
{
  const json::Value* reply = results.find(step);
  if (!reply) {
    return std::nullopt;
  }
  const json::Value& value = (*reply)[field];
  if (value.is_string()) {
    return value.as_string();
  }
  return std::nullopt;
}

} // namespace

void Results::record(const std::string& id, json::Value reply)
{
  for (auto& entry : m_replies) {
    if (entry.first == id) {
      entry.second = std::move(reply);
      return;
    }
  }
  m_replies.emplace_back(id, std::move(reply));
}

const json::Value* Results::find(const std::string& id) const
{
  for (const auto& entry : m_replies) {
    if (entry.first == id) {
      return &entry.second;
    }
  }
  return nullptr;
}

std::string Results::resolve(const std::string& text, bool strict) const
{
  std::string out;
  std::size_t copied = 0;
  for_each_reference(text, [&](std::size_t begin, std::size_t end, const std::string& step, const std::string& field) {
    std::optional<std::string> value = lookup(*this, step, field);
    if (!value && strict) {
      throw Error("internal error: no value for {" + step + "." + field + "}");
    }
    out += text.substr(copied, begin - copied);
    out += value ? *value : text.substr(begin, end - begin);
    copied = end;
  });
  out += text.substr(copied);
  return out;
}

bool Results::can_resolve(const std::string& text) const
{
  bool ok = true;
  for_each_reference(text, [&](std::size_t, std::size_t, const std::string& step, const std::string& field) {
    ok = ok && lookup(*this, step, field).has_value();
  });
  return ok;
}

Step resolve_step(const Step& step, const Results& results, bool strict)
{
  Step out = step;
  out.path = results.resolve(step.path, strict);
  for (auto& [name, value] : out.query) {
    value = results.resolve(value, strict);
  }
  return out;
}

} // namespace sandbox::plan
