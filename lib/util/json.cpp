#include "util/json.h"

#include "util/printable.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace sandbox::json {

namespace {

const Value k_null;

[[noreturn]] void wrong_type(const char* wanted)
{
  throw JsonError(std::string("expected a JSON ") + wanted);
}

Value from_rapid(const rapidjson::Value& in)
{
  switch (in.GetType()) {
  case rapidjson::kNullType:
    return Value();
  case rapidjson::kFalseType:
    return Value(false);
  case rapidjson::kTrueType:
    return Value(true);
  case rapidjson::kNumberType:
    if (in.IsInt64()) {
      return Value(static_cast<long long>(in.GetInt64()));
    }
    return Value(in.GetDouble());
  case rapidjson::kStringType:
    return Value(std::string(in.GetString(), in.GetStringLength()));
  case rapidjson::kArrayType: {
    Value out = Value::array();
    for (const auto& element : in.GetArray()) {
      out.push(from_rapid(element));
    }
    return out;
  }
  case rapidjson::kObjectType: {
    Value out = Value::object();
    for (const auto& member : in.GetObject()) {
      out.set(std::string(member.name.GetString(), member.name.GetStringLength()),
              from_rapid(member.value));
    }
    return out;
  }
  }
  return Value();
}

// Strings, keys among them, are escaped by json_string (util/printable.h), not by RapidJSON, which
// leaves DEL, C1 and bidi controls raw and passes bytes that are not UTF-8 through.
template <typename Writer> void write_string(Writer& writer, std::string_view text)
{
  std::string quoted = json_string(text);
  writer.RawValue(quoted.data(), quoted.size(), rapidjson::kStringType);
}

template <typename Writer> void write(Writer& writer, const Value& value)
{
  switch (value.type()) {
  case Value::Type::null:
    writer.Null();
    break;
  case Value::Type::boolean:
    writer.Bool(value.as_bool());
    break;
  case Value::Type::integer:
    writer.Int64(value.as_int());
    break;
  case Value::Type::real:
    writer.Double(value.as_double());
    break;
  case Value::Type::string:
    write_string(writer, value.as_string());
    break;
  case Value::Type::array:
    writer.StartArray();
    for (const Value& element : value.elements()) {
      write(writer, element);
    }
    writer.EndArray();
    break;
  case Value::Type::object:
    writer.StartObject();
    for (const Member& member : value.members()) {
      write_string(writer, member.first);
      write(writer, member.second);
    }
    writer.EndObject();
    break;
  }
}

} // namespace

Value Value::array()
{
  Value v;
  v.m_type = Type::array;
  return v;
}

Value Value::object()
{
  Value v;
  v.m_type = Type::object;
  return v;
}

bool Value::as_bool() const
{
  if (m_type != Type::boolean) {
    wrong_type("boolean");
  }
  return m_bool;
}

std::int64_t Value::as_int() const
{
  // A whole real converts; the range check comes first because casting a double outside int64
  // (1e300, NaN) is undefined behaviour.
  if (m_type == Type::real && m_double >= -9223372036854775808.0 && m_double < 9223372036854775808.0
      && m_double == static_cast<double>(static_cast<std::int64_t>(m_double))) {
    return static_cast<std::int64_t>(m_double);
  }
  if (m_type != Type::integer) {
    wrong_type("integer");
  }
  return m_int;
}

double Value::as_double() const
{
  if (m_type == Type::integer) {
    return static_cast<double>(m_int);
  }
  if (m_type != Type::real) {
    wrong_type("number");
  }
  return m_double;
}

const std::string& Value::as_string() const
{
  if (m_type != Type::string) {
    wrong_type("string");
  }
  return m_string;
}

const std::vector<Value>& Value::elements() const
{
  if (m_type != Type::array) {
    wrong_type("array");
  }
  return m_array;
}

std::vector<Value>& Value::elements()
{
  if (m_type != Type::array) {
    wrong_type("array");
  }
  return m_array;
}

const std::vector<Member>& Value::members() const
{
  if (m_type != Type::object) {
    wrong_type("object");
  }
  return m_object;
}

Value& Value::set(std::string key, Value value)
{
  if (m_type != Type::object) {
    wrong_type("object");
  }
  for (Member& member : m_object) {
    if (member.first == key) {
      member.second = std::move(value);
      return member.second;
    }
  }
  m_object.emplace_back(std::move(key), std::move(value));
  return m_object.back().second;
}

const Value* Value::find(std::string_view key) const
{
  if (m_type != Type::object) {
    return nullptr;
  }
  for (const Member& member : m_object) {
    if (member.first == key) {
      return &member.second;
    }
  }
  return nullptr;
}

Value* Value::find(std::string_view key)
{
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

const Value& Value::operator[](std::string_view key) const
{
  const Value* found = find(key);
  return found ? *found : k_null;
}

std::string Value::string_or(std::string_view key, std::string fallback) const
{
  const Value* found = find(key);
  return found && found->is_string() ? found->m_string : fallback;
}

Value& Value::push(Value value)
{
  if (m_type != Type::array) {
    wrong_type("array");
  }
  m_array.push_back(std::move(value));
  return m_array.back();
}

std::size_t Value::size() const
{
  if (m_type == Type::array) {
    return m_array.size();
  }
  if (m_type == Type::object) {
    return m_object.size();
  }
  return 0;
}

bool Value::operator==(const Value& other) const
{
  if (is_number() && other.is_number()) {
    return as_double() == other.as_double();
  }
  if (m_type != other.m_type) {
    return false;
  }
  switch (m_type) {
  case Type::null:
    return true;
  case Type::boolean:
    return m_bool == other.m_bool;
  case Type::string:
    return m_string == other.m_string;
  case Type::array:
    return m_array == other.m_array;
  case Type::object:
    return m_object == other.m_object;
  default:
    return false;
  }
}

std::string Value::dump() const
{
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  write(writer, *this);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Value::pretty() const
{
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  write(writer, *this);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void check_depth(std::string_view text)
{
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > k_max_depth) {
        throw JsonError("invalid JSON at offset " + std::to_string(i) + ": nested deeper than "
                        + std::to_string(k_max_depth) + " levels");
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

Value parse(std::string_view text)
{
  check_depth(text);
  rapidjson::Document document;
  document.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (document.HasParseError()) {
    throw JsonError("invalid JSON at offset " + std::to_string(document.GetErrorOffset()) + ": "
                    + rapidjson::GetParseError_En(document.GetParseError()));
  }
  return from_rapid(document);
}

} // namespace sandbox::json
