#include "plan/plan.h"

#include "util/error.h"

#include <charconv>

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

// The element of an array named by `key`, its index; nullptr when there is none.
template <typename V> V* element(V& array, std::string_view key)
{
  std::size_t index = 0;
  auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
  bool whole = !key.empty() && error == std::errc() && end == key.data() + key.size();
  return whole && index < array.size() ? &array.elements()[index] : nullptr;
}

const json::Value* lookup_value(const Results& results, const std::string& step, const std::string& field)
{
  const json::Value* value = results.find(step);
  // A field may name a member of a member, {proxy-inspect.NetworkSettings.Networks.NAME.IPAddress},
  // or an element of an array by its index, {network-inspect.IPAM.Config.0.Subnet}.
  std::size_t begin = 0;
  while (value && begin <= field.size()) {
    std::size_t dot = field.find('.', begin);
    std::string_view key = std::string_view(field).substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
    value = value->is_object() ? value->find(key) : value->is_array() ? element(*value, key) : nullptr;
    begin = dot == std::string::npos ? field.size() + 1 : dot + 1;
  }
  return value;
}

std::optional<std::string> lookup(const Results& results, const std::string& step, const std::string& field)
{
  const json::Value* value = lookup_value(results, step, field);
  if (value && value->is_string()) {
    return value->as_string();
  }
  return std::nullopt;
}

// Fills the references of the string, or of each string of the array, at `keys` in `body`; a key
// may be an array's index ({"Cmd", "0"}: the first argument alone).
void resolve_member(json::Value& body, const std::vector<std::string>& keys, const Results& results, bool strict)
{
  json::Value* member = &body;
  for (const std::string& key : keys) {
    member = member->is_object() ? member->find(key) : member->is_array() ? element(*member, key) : nullptr;
    if (!member) {
      return;
    }
  }
  if (keys.empty()) {
    return;
  }
  if (member->is_string()) {
    *member = json::Value(results.resolve(member->as_string(), strict));
  } else if (member->is_array()) {
    json::Value filled = json::Value::array();
    for (const json::Value& item : member->elements()) {
      filled.push(item.is_string() ? json::Value(results.resolve(item.as_string(), strict)) : item);
    }
    *member = std::move(filled);
  }
}

// The elements that one splice reference stands for: its array's strings once its step replied;
// unless `strict` (a live run), the reference itself when there is no array (the dry run shows it).
std::vector<json::Value> splice_elements(const std::string& reference, const Results& results, bool strict)
{
  std::vector<json::Value> out;
  for_each_reference(reference, [&](std::size_t, std::size_t, const std::string& step, const std::string& field) {
    const json::Value* array = lookup_value(results, step, field);
    if (!strict && !(array && array->is_array())) {
      out.emplace_back(reference);
      return;
    }
    if (!results.find(step)) {
      throw Error("a request needs " + reference + ", which no earlier reply gave");
    }
    if (!array || array->is_null()) {
      return;
    }
    if (!array->is_array()) {
      throw Error(reference + " is not a list of words in the engine's reply");
    }
    for (const json::Value& item : array->elements()) {
      if (!item.is_string()) {
        throw Error(reference + " holds something that is not a word in the engine's reply");
      }
      out.push_back(item);
    }
  });
  return out;
}

void splice(json::Value& body, const Step::Splice& where, const Results& results, bool strict)
{
  json::Value* member = &body;
  for (const std::string& key : where.path) {
    member = member && member->is_object() ? member->find(key) : nullptr;
  }
  if (!member || !member->is_array()) {
    return;
  }
  json::Value filled = json::Value::array();
  std::size_t index = 0;
  auto insert = [&] {
    for (const std::string& reference : where.references) {
      for (json::Value& item : splice_elements(reference, results, strict)) {
        filled.push(std::move(item));
      }
    }
  };
  for (const json::Value& item : member->elements()) {
    if (index++ == where.at) {
      insert();
    }
    filled.push(item);
  }
  if (where.at >= member->size()) {
    insert();
  }
  *member = std::move(filled);
}

} // namespace

Step make_step(std::string id, std::string summary, std::string method, std::string path)
{
  Step step;
  step.id = std::move(id);
  step.summary = std::move(summary);
  step.method = std::move(method);
  step.path = std::move(path);
  return step;
}

void Results::record(const std::string& id, json::Value reply, int status)
{
  for (Recorded& entry : m_replies) {
    if (entry.id == id) {
      entry.reply = std::move(reply);
      entry.status = status;
      return;
    }
  }
  m_replies.push_back({id, std::move(reply), status});
}

const json::Value* Results::find(const std::string& id) const
{
  for (const Recorded& entry : m_replies) {
    if (entry.id == id) {
      return &entry.reply;
    }
  }
  return nullptr;
}

std::optional<int> Results::status(const std::string& id) const
{
  for (const Recorded& entry : m_replies) {
    if (entry.id == id) {
      return entry.status;
    }
  }
  return std::nullopt;
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

bool conditions_hold(const Step& step, const Results& results, bool interrupted)
{
  if (step.only_if_exit_code && results.exit_code() != *step.only_if_exit_code) {
    return false;
  }
  if (step.only_if_status && results.status(step.only_if_status->first) != step.only_if_status->second) {
    return false;
  }
  for (const std::string& id : step.only_if_sent) {
    if (!results.status(id)) {
      return false;
    }
  }
  if (!step.unless_sent.empty() && results.status(step.unless_sent)) {
    return false;
  }
  if (step.unless_detached && results.detached()) {
    return false;
  }
  return !(step.unless_interrupted && interrupted) && !(step.unless_problems && !results.problems().empty());
}

std::vector<std::string> condition_texts(const Step& step)
{
  std::vector<std::string> out;
  if (step.only_if_exit_code) {
    out.push_back("only if it exited " + std::to_string(*step.only_if_exit_code));
  }
  if (step.only_if_status) {
    out.push_back("only if step " + step.only_if_status->first + " replied " + std::to_string(step.only_if_status->second));
  }
  for (const std::string& id : step.only_if_sent) {
    out.push_back("only if step " + id + " succeeded");
  }
  if (!step.unless_sent.empty()) {
    out.push_back("unless step " + step.unless_sent + " succeeded");
  }
  if (step.unless_interrupted) {
    out.push_back("not after an interrupt");
  }
  if (step.unless_detached) {
    out.push_back("not after a detach: the sandbox goes on");
  }
  if (step.unless_problems) {
    out.push_back("not when something could not be collected: it stays for 'volume get'");
  }
  return out;
}

Step resolve_step(const Step& step, const Results& results, bool strict)
{
  Step out = step;
  out.path = results.resolve(step.path, strict);
  for (auto& [name, value] : out.query) {
    value = results.resolve(value, strict);
  }
  for (const std::vector<std::string>& keys : step.body_references) {
    if (out.body) {
      resolve_member(*out.body, keys, results, strict);
    }
  }
  for (const Step::Splice& where : step.body_splices) {
    if (out.body) {
      splice(*out.body, where, results, strict);
    }
  }
  return out;
}

} // namespace sandbox::plan
