#pragma once

// The project's one JSON seam: a small ordered value type. RapidJSON stays inside json.cpp.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::json {

class Value;
using Member = std::pair<std::string, Value>;

// Thrown when text is not valid JSON or a value is read as the wrong type.
class JsonError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

class Value
{
public:
  enum class Type { null, boolean, integer, real, string, array, object };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : m_type(Type::boolean), m_bool(b) {}
  Value(int i) : m_type(Type::integer), m_int(i) {}
  Value(long i) : m_type(Type::integer), m_int(i) {}
  Value(long long i) : m_type(Type::integer), m_int(i) {}
  Value(unsigned i) : m_type(Type::integer), m_int(i) {}
  Value(double d) : m_type(Type::real), m_double(d) {}
  Value(const char* s) : m_type(Type::string), m_string(s) {}
  Value(std::string s) : m_type(Type::string), m_string(std::move(s)) {}
  Value(std::string_view s) : m_type(Type::string), m_string(s) {}

  static Value array();
  static Value object();

  Type type() const { return m_type; }
  bool is_null() const { return m_type == Type::null; }
  bool is_bool() const { return m_type == Type::boolean; }
  bool is_int() const { return m_type == Type::integer; }
  bool is_number() const { return m_type == Type::integer || m_type == Type::real; }
  bool is_string() const { return m_type == Type::string; }
  bool is_array() const { return m_type == Type::array; }
  bool is_object() const { return m_type == Type::object; }

  // Typed reads; each throws JsonError when the value has another type.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_double() const;
  const std::string& as_string() const;
  const std::vector<Value>& elements() const;
  std::vector<Value>& elements();
  const std::vector<Member>& members() const;

  // Object access. set() replaces an existing key in place, else appends (order is kept).
  Value& set(std::string key, Value value);
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // Returns the member, or a null value when absent or when this is not an object.
  const Value& operator[](std::string_view key) const;
  // The member as a string, or `fallback` when it is absent or not a string.
  std::string string_or(std::string_view key, std::string fallback = "") const;

  // Array access.
  Value& push(Value value);
  std::size_t size() const;

  bool operator==(const Value& other) const;

  // Compact JSON text.
  std::string dump() const;
  // Indented JSON text (two spaces), as shown to people.
  std::string pretty() const;

private:
  Type m_type = Type::null;
  bool m_bool = false;
  std::int64_t m_int = 0;
  double m_double = 0;
  std::string m_string;
  std::vector<Value> m_array;
  std::vector<Member> m_object;
};

// How deep arrays and objects may nest. Parsing and validation recurse, and the text may come from
// a hostile project or engine: deeper input is refused before anything recurses.
inline constexpr std::size_t k_max_depth = 256;

// Throws JsonError when arrays and objects in `text` nest deeper than k_max_depth.
void check_depth(std::string_view text);

// Parses JSON text; throws JsonError with the offset and reason on bad input (check_depth first).
Value parse(std::string_view text);

} // namespace sandbox::json
