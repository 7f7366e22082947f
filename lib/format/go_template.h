#pragma once

// The subset of Go's text/template that docker's --format users type: {{.Field}}, {{.A.B}},
// {{.Label "key"}}, literal text, string and number arguments, pipelines (`|`), parentheses,
// {{/* comments */}}, {{- trim markers -}}, and docker's functions json, join, split, upper, lower,
// title, truncate, pad, plus Go's index and len. Actions such as range and if are refused.

#include "util/error.h"
#include "util/json.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::format {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// A bad template, or a template that names what the object does not have. what() is docker's
// "template parsing error: ..." line.
class FormatError : public Error
{
public:
  using Error::Error;
};

// What a template runs over: `fields` (an object) is what {{.Field}} reads and {{json .}} prints;
// `labels`, when set, is what {{.Label "key"}} reads.
struct Object
{
  json::Value fields = json::Value::object();
  std::optional<Pairs> labels;
};

class Template
{
public:
  // Parses `text` (escapes already applied). Throws FormatError.
  explicit Template(std::string_view text);
  ~Template();
  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;

  // The template's output for `dot`. Every value an action prints passes through printable(), so
  // a name or label cannot forge lines or columns. Throws FormatError: a field `dot` lacks (an
  // unknown key of a nested object prints "<no value>", as on a Go map), a bad function argument.
  std::string execute(const Object& dot) const;

  // The header row docker prints for a table: each field is replaced by its header in `headers`
  // (field name to header), {{.Label "a.b-c"}} by "b c", and functions return their argument.
  std::string header(const Pairs& headers) const;

  // Throws FormatError when the template reads a top-level field that is not one of `fields`.
  void check_fields(const Pairs& headers) const;

  struct Parsed;

private:
  std::unique_ptr<Parsed> m_parsed;
};

// Go's %v of a value: strings as they are, "[a b]" for arrays, "map[k:v]" for objects (keys
// sorted), "<nil>" for null.
std::string go_string(const json::Value& value);

} // namespace sandbox::format
