// A small Go-template interpreter. docker's --format takes a Go template; users copy theirs from
// `docker ps` and `docker volume ls`, so the same text must give the same output here. Only what
// those templates use is built: a template is a list of text and actions, an action a pipeline of
// commands, a command a function call, a method call (.Label "key") or one operand. The header
// row of a table is the same template evaluated over field names, as docker's formatter does it.

#include "format/go_template.h"

#include "util/printable.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>

namespace sandbox::format {

namespace {

struct Pipeline;

struct Operand
{
  enum class Kind { field, dot, string, number, boolean, identifier, pipeline };
  Kind kind = Kind::dot;
  std::vector<std::string> path; // field: .A.B is {"A", "B"}
  std::string text;              // string literal, identifier
  std::int64_t number = 0;
  std::shared_ptr<Pipeline> pipeline;
  std::size_t pos = 0;
};

struct Command
{
  std::vector<Operand> words;
};

struct Pipeline
{
  std::vector<Command> commands;
};

struct Node
{
  std::string text;                // literal text, when no action
  std::optional<Pipeline> action;
  std::size_t pos = 0;
};

// Functions: docker's template functions and Go's index and len, with their argument counts.
const std::map<std::string, std::size_t, std::less<>>& function_arity()
{
  static const std::map<std::string, std::size_t, std::less<>> k_functions{
    {"json", 1}, {"join", 2}, {"split", 2}, {"upper", 1}, {"lower", 1}, {"title", 1},
    {"truncate", 2}, {"pad", 3}, {"index", 2}, {"len", 1},
  };
  return k_functions;
}

std::string where(std::string_view source, std::size_t pos, bool column)
{
  pos = std::min(pos, source.size());
  std::size_t line = 1 + static_cast<std::size_t>(std::count(source.begin(), source.begin() + static_cast<long>(pos), '\n'));
  std::size_t start = source.rfind('\n', pos == 0 ? 0 : pos - 1);
  std::size_t col = start == std::string_view::npos || pos == 0 ? pos + 1 : pos - start;
  return "template: :" + std::to_string(line) + (column ? ":" + std::to_string(col) : "") + ": ";
}

[[noreturn]] void fail(std::string_view source, std::size_t pos, const std::string& message, bool column = false)
{
  throw FormatError("template parsing error: " + where(source, pos, column) + printable(message));
}

bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_word(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Parses the inside of one action, from `pos` (after "{{" and any trim marker).
class ActionParser
{
public:
  ActionParser(std::string_view source, std::size_t pos) : m_source(source), m_pos(pos) {}

  // The pipeline, and where the text after "}}" starts; `trim_after` when it ended with " -}}".
  Pipeline parse(std::size_t& end, bool& trim_after)
  {
    Pipeline pipeline = parse_pipeline(false);
    skip_space();
    trim_after = false;
    if (m_source.compare(m_pos, 3, "-}}") == 0 && m_pos > 0 && is_space(m_source[m_pos - 1])) {
      trim_after = true;
      m_pos += 1;
    }
    if (m_source.compare(m_pos, 2, "}}") != 0) {
      if (m_pos >= m_source.size()) {
        fail(m_source, m_pos, "unclosed action");
      }
      fail(m_source, m_pos, "unexpected \"" + std::string(1, m_source[m_pos]) + "\" in command");
    }
    end = m_pos + 2;
    return pipeline;
  }

private:
  void skip_space()
  {
    while (m_pos < m_source.size() && is_space(m_source[m_pos])) {
      ++m_pos;
    }
  }

  bool at_end_of_command()
  {
    skip_space();
    return m_pos >= m_source.size() || m_source[m_pos] == '|' || m_source[m_pos] == ')'
           || m_source.compare(m_pos, 2, "}}") == 0 || m_source.compare(m_pos, 3, "-}}") == 0;
  }

  Pipeline parse_pipeline(bool nested)
  {
    Pipeline pipeline;
    std::size_t start = m_pos;
    while (true) {
      Command command;
      while (!at_end_of_command()) {
        command.words.push_back(parse_operand());
      }
      if (command.words.empty()) {
        fail(m_source, start, nested || !pipeline.commands.empty() ? "missing command" : "missing value for command");
      }
      pipeline.commands.push_back(std::move(command));
      if (m_pos < m_source.size() && m_source[m_pos] == '|') {
        ++m_pos;
        continue;
      }
      break;
    }
    if (nested) {
      if (m_pos >= m_source.size() || m_source[m_pos] != ')') {
        fail(m_source, m_pos, "unclosed left paren");
      }
      ++m_pos;
    } else if (m_pos < m_source.size() && m_source[m_pos] == ')') {
      fail(m_source, m_pos, "unexpected right paren");
    }
    return pipeline;
  }

  Operand parse_operand()
  {
    Operand operand;
    operand.pos = m_pos;
    char c = m_source[m_pos];
    if (c == '.') {
      ++m_pos;
      if (m_pos < m_source.size() && is_word(m_source[m_pos])) {
        operand.kind = Operand::Kind::field;
        --m_pos;
        while (m_pos < m_source.size() && m_source[m_pos] == '.') {
          std::size_t begin = ++m_pos;
          while (m_pos < m_source.size() && is_word(m_source[m_pos])) {
            ++m_pos;
          }
          if (begin == m_pos) {
            fail(m_source, m_pos, "bad character after \".\"");
          }
          operand.path.emplace_back(m_source.substr(begin, m_pos - begin));
        }
      }
    } else if (c == '"' || c == '`') {
      operand.kind = Operand::Kind::string;
      operand.text = parse_string(c);
    } else if (std::isdigit(static_cast<unsigned char>(c))
               || (c == '-' && m_pos + 1 < m_source.size() && std::isdigit(static_cast<unsigned char>(m_source[m_pos + 1])))) {
      operand.kind = Operand::Kind::number;
      std::size_t begin = m_pos++;
      while (m_pos < m_source.size() && is_word(m_source[m_pos])) {
        ++m_pos;
      }
      std::string_view digits = m_source.substr(begin, m_pos - begin);
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), operand.number);
      if (error != std::errc() || end != digits.data() + digits.size()) {
        fail(m_source, begin, "bad number syntax: \"" + std::string(digits) + "\"");
      }
    } else if (c == '(') {
      // Parsing and evaluation recurse once per level: a format of 100,000 "(" must not take the stack.
      if (++m_depth > k_max_depth) {
        fail(m_source, m_pos, "more than " + std::to_string(k_max_depth) + " nested parentheses");
      }
      ++m_pos;
      operand.kind = Operand::Kind::pipeline;
      operand.pipeline = std::make_shared<Pipeline>(parse_pipeline(true));
      --m_depth;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t begin = m_pos;
      while (m_pos < m_source.size() && is_word(m_source[m_pos])) {
        ++m_pos;
      }
      operand.text = std::string(m_source.substr(begin, m_pos - begin));
      if (operand.text == "true" || operand.text == "false") {
        operand.kind = Operand::Kind::boolean;
      } else if (function_arity().count(operand.text)) {
        operand.kind = Operand::Kind::identifier;
      } else if (operand.text == "if" || operand.text == "range" || operand.text == "with" || operand.text == "end"
                 || operand.text == "else" || operand.text == "define" || operand.text == "template"
                 || operand.text == "block") {
        fail(m_source, begin, "{{" + operand.text + "}} is not supported here", true);
      } else {
        fail(m_source, begin, "function \"" + operand.text + "\" not defined");
      }
    } else if (c == '$') {
      fail(m_source, m_pos, "variables are not supported here", true);
    } else {
      fail(m_source, m_pos, "unexpected \"" + std::string(1, c) + "\" in operand");
    }
    return operand;
  }

  std::string parse_string(char quote)
  {
    std::size_t begin = m_pos++;
    std::string text;
    while (m_pos < m_source.size() && m_source[m_pos] != quote) {
      char c = m_source[m_pos++];
      if (c == '\\' && quote == '"' && m_pos < m_source.size()) {
        char e = m_source[m_pos++];
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
      } else if (c == '\n' && quote == '"') {
        break;
      }
      text += c;
    }
    if (m_pos >= m_source.size() || m_source[m_pos] != quote) {
      fail(m_source, begin, "unterminated quoted string");
    }
    ++m_pos;
    return text;
  }

  static constexpr std::size_t k_max_depth = 100;

  std::string_view m_source;
  std::size_t m_pos;
  std::size_t m_depth = 0;
};

std::vector<Node> parse_nodes(std::string_view source)
{
  std::vector<Node> nodes;
  std::size_t pos = 0;
  bool trim_next = false;
  while (pos <= source.size()) {
    std::size_t open = source.find("{{", pos);
    std::string text(source.substr(pos, open == std::string_view::npos ? std::string_view::npos : open - pos));
    if (trim_next) {
      text.erase(0, text.find_first_not_of(" \t\r\n") == std::string::npos ? text.size() : text.find_first_not_of(" \t\r\n"));
    }
    if (open == std::string_view::npos) {
      nodes.push_back({text, std::nullopt, pos});
      break;
    }
    std::size_t inside = open + 2;
    if (source.compare(inside, 1, "-") == 0 && inside + 1 < source.size() && is_space(source[inside + 1])) {
      std::size_t keep = text.find_last_not_of(" \t\r\n");
      text.erase(keep == std::string::npos ? 0 : keep + 1);
      inside += 1;
    }
    nodes.push_back({text, std::nullopt, pos});
    std::size_t body = inside;
    while (body < source.size() && is_space(source[body])) {
      ++body;
    }
    if (source.compare(body, 2, "/*") == 0) {
      std::size_t close = source.find("*/", body + 2);
      if (close == std::string_view::npos) {
        fail(source, open, "unclosed comment");
      }
      std::size_t after = close + 2;
      while (after < source.size() && is_space(source[after])) {
        ++after;
      }
      trim_next = source.compare(after, 3, "-}}") == 0;
      after += trim_next ? 1 : 0;
      if (source.compare(after, 2, "}}") != 0) {
        fail(source, close, "comment ends before closing delimiter");
      }
      pos = after + 2;
      continue;
    }
    ActionParser parser(source, inside);
    std::size_t end = 0;
    Pipeline pipeline = parser.parse(end, trim_next);
    nodes.push_back({"", std::move(pipeline), inside});
    pos = end;
  }
  return nodes;
}

// A value while a template runs; nullopt is a key an object lacks (Go prints "<no value>").
using Val = std::optional<json::Value>;

std::string label_header(std::string_view key)
{
  std::string last(key.substr(key.rfind('.') == std::string_view::npos ? 0 : key.rfind('.') + 1));
  std::replace(last.begin(), last.end(), '-', ' ');
  std::replace(last.begin(), last.end(), '_', ' ');
  return last;
}

// The first `n` characters (not bytes: a cut never splits a UTF-8 sequence).
std::string first_runes(const std::string& text, std::int64_t n)
{
  std::size_t pos = 0;
  for (std::int64_t seen = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80 && seen++ == n) {
      break;
    }
  }
  return text.substr(0, pos);
}

class Evaluator
{
public:
  Evaluator(std::string_view source, const Object* dot, const Pairs* headers)
    : m_source(source), m_dot(dot), m_headers(headers)
  {
  }

  std::string run(const std::vector<Node>& nodes)
  {
    std::string out;
    for (const Node& node : nodes) {
      if (!node.action) {
        out += node.text;
      } else if (m_headers) {
        out += header_of(*node.action);
      } else {
        Val value = pipeline(*node.action);
        out += printable(value ? go_string(*value) : "<no value>");
      }
    }
    return out;
  }

private:
  [[noreturn]] void error(std::size_t pos, const std::string& message) const
  {
    fail(m_source, pos, message, true);
  }

  Val pipeline(const Pipeline& p)
  {
    Val last;
    for (std::size_t i = 0; i < p.commands.size(); ++i) {
      last = command(p.commands[i], i == 0 ? nullptr : &last);
    }
    return last;
  }

  Val command(const Command& c, const Val* piped)
  {
    const Operand& first = c.words.front();
    if (first.kind == Operand::Kind::identifier) {
      std::vector<Val> args;
      for (std::size_t i = 1; i < c.words.size(); ++i) {
        args.push_back(operand(c.words[i]));
      }
      if (piped) {
        args.push_back(*piped);
      }
      return call(first, args);
    }
    if (first.kind == Operand::Kind::field && first.path.size() == 1 && first.path[0] == "Label" && m_dot->labels) {
      if (c.words.size() + (piped ? 1 : 0) != 2) {
        error(first.pos, "wrong number of args for Label: want 1 got " + std::to_string(c.words.size() - 1 + (piped ? 1 : 0)));
      }
      Val key = piped ? *piped : operand(c.words[1]);
      std::string wanted = key && key->is_string() ? key->as_string() : (key ? go_string(*key) : "");
      for (const auto& [name, value] : *m_dot->labels) {
        if (name == wanted) {
          return json::Value(value);
        }
      }
      return json::Value("");
    }
    if (c.words.size() > 1 || piped) {
      error(first.pos, "can't give argument to non-function " + describe(first));
    }
    return operand(first);
  }

  static std::string describe(const Operand& o)
  {
    if (o.kind == Operand::Kind::field) {
      std::string text;
      for (const std::string& part : o.path) {
        text += "." + part;
      }
      return text;
    }
    return o.kind == Operand::Kind::dot ? "." : o.text;
  }

  Val operand(const Operand& o)
  {
    switch (o.kind) {
    case Operand::Kind::dot:
      return m_dot->fields;
    case Operand::Kind::string:
      return json::Value(o.text);
    case Operand::Kind::number:
      return json::Value(static_cast<long long>(o.number));
    case Operand::Kind::boolean:
      return json::Value(o.text == "true");
    case Operand::Kind::pipeline:
      return pipeline(*o.pipeline);
    case Operand::Kind::identifier:
      return call(o, {});
    case Operand::Kind::field:
      break;
    }
    const json::Value* at = &m_dot->fields;
    for (std::size_t i = 0; i < o.path.size(); ++i) {
      if (!at->is_object()) {
        error(o.pos, "can't evaluate field " + o.path[i] + " in type " + type_name(*at));
      }
      const json::Value* next = at->find(o.path[i]);
      if (!next) {
        if (i == 0) {
          error(o.pos, "can't evaluate field " + o.path[i] + fields_hint());
        }
        return std::nullopt;
      }
      at = next;
    }
    return *at;
  }

  std::string fields_hint() const
  {
    std::string names;
    for (const json::Member& member : m_dot->fields.members()) {
      names += (names.empty() ? "" : ", ") + member.first;
    }
    if (m_dot->labels) {
      names += (names.empty() ? "" : ", ") + std::string("Label \"KEY\"");
    }
    return names.empty() ? "" : " (fields: " + names + ")";
  }

  static std::string type_name(const json::Value& v)
  {
    switch (v.type()) {
    case json::Value::Type::null: return "nil";
    case json::Value::Type::boolean: return "bool";
    case json::Value::Type::integer: return "int";
    case json::Value::Type::real: return "float64";
    case json::Value::Type::string: return "string";
    case json::Value::Type::array: return "array";
    case json::Value::Type::object: return "map";
    }
    return "value";
  }

  std::string text_of(const Val& v) const { return v ? go_string(*v) : "<no value>"; }

  std::int64_t int_of(const Operand& f, const Val& v) const
  {
    if (!v || !v->is_int()) {
      error(f.pos, "wrong type for value; expected int; got " + (v ? type_name(*v) : std::string("nil")) + " in " + f.text);
    }
    return v->as_int();
  }

  Val call(const Operand& f, const std::vector<Val>& args)
  {
    std::size_t want = function_arity().find(f.text)->second;
    if (args.size() != want) {
      error(f.pos, "wrong number of args for " + f.text + ": want " + std::to_string(want) + " got "
                     + std::to_string(args.size()));
    }
    const std::string& name = f.text;
    if (name == "json") {
      return json::Value(args[0] ? args[0]->dump() : "null");
    }
    if (name == "upper" || name == "lower" || name == "title") {
      std::string text = text_of(args[0]);
      bool word_start = true;
      for (char& c : text) {
        unsigned char u = static_cast<unsigned char>(c);
        if (name == "upper" || (name == "title" && word_start)) {
          c = static_cast<char>(std::toupper(u));
        } else if (name == "lower") {
          c = static_cast<char>(std::tolower(u));
        }
        word_start = !std::isalnum(u) && u < 0x80;
      }
      return json::Value(text);
    }
    if (name == "join") {
      if (args[0] && args[0]->is_array()) {
        std::string text;
        for (std::size_t i = 0; i < args[0]->elements().size(); ++i) {
          text += (i == 0 ? "" : text_of(args[1])) + go_string(args[0]->elements()[i]);
        }
        return json::Value(text);
      }
      return json::Value(text_of(args[0]));
    }
    if (name == "split") {
      std::string text = text_of(args[0]);
      std::string separator = text_of(args[1]);
      json::Value parts = json::Value::array();
      std::size_t pos = 0;
      while (!separator.empty() && text.find(separator, pos) != std::string::npos) {
        std::size_t at = text.find(separator, pos);
        parts.push(text.substr(pos, at - pos));
        pos = at + separator.size();
      }
      parts.push(text.substr(pos));
      return parts;
    }
    if (name == "truncate") {
      std::int64_t n = int_of(f, args[1]);
      return json::Value(first_runes(text_of(args[0]), std::max<std::int64_t>(n, 0)));
    }
    if (name == "pad") {
      std::int64_t left = std::max<std::int64_t>(int_of(f, args[1]), 0);
      std::int64_t right = std::max<std::int64_t>(int_of(f, args[2]), 0);
      return json::Value(std::string(static_cast<std::size_t>(std::min<std::int64_t>(left, 1000)), ' ')
                         + text_of(args[0]) + std::string(static_cast<std::size_t>(std::min<std::int64_t>(right, 1000)), ' '));
    }
    if (name == "len") {
      const Val& v = args[0];
      if (v && v->is_array()) {
        return json::Value(static_cast<long long>(v->elements().size()));
      }
      if (v && v->is_object()) {
        return json::Value(static_cast<long long>(v->members().size()));
      }
      if (v && v->is_string()) {
        return json::Value(static_cast<long long>(v->as_string().size()));
      }
      error(f.pos, "len of " + (v ? type_name(*v) : std::string("nil")));
    }
    // index
    const Val& collection = args[0];
    if (collection && collection->is_object()) {
      const json::Value* found = collection->find(text_of(args[1]));
      return found ? *found : json::Value("");
    }
    if (collection && collection->is_array()) {
      std::int64_t i = int_of(f, args[1]);
      if (i < 0 || static_cast<std::size_t>(i) >= collection->elements().size()) {
        error(f.pos, "error calling index: index out of range: " + std::to_string(i));
      }
      return collection->elements()[static_cast<std::size_t>(i)];
    }
    error(f.pos, "error calling index: can't index item of type " + (collection ? type_name(*collection) : "nil"));
  }

  // The header of an action: fields become their headers, functions give back their argument.
  std::string header_of(const Pipeline& p)
  {
    std::string last;
    for (std::size_t i = 0; i < p.commands.size(); ++i) {
      const Command& c = p.commands[i];
      const Operand& first = c.words.front();
      if (first.kind == Operand::Kind::identifier) {
        last = c.words.size() > 1 ? header_operand(c.words[1]) : last;
      } else if (first.kind == Operand::Kind::field && first.path == std::vector<std::string>{"Label"} && c.words.size() == 2) {
        last = label_header(c.words[1].text);
      } else {
        last = header_operand(first);
      }
    }
    return last;
  }

  std::string header_operand(const Operand& o)
  {
    switch (o.kind) {
    case Operand::Kind::field:
      for (const auto& [field, header] : *m_headers) {
        if (field == o.path.front()) {
          return header;
        }
      }
      return "<no value>";
    case Operand::Kind::string:
      return o.text;
    case Operand::Kind::number:
      return std::to_string(o.number);
    case Operand::Kind::boolean:
      return o.text;
    case Operand::Kind::pipeline:
      return header_of(*o.pipeline);
    case Operand::Kind::dot:
    case Operand::Kind::identifier:
      break;
    }
    return "";
  }

  std::string_view m_source;
  const Object* m_dot;
  const Pairs* m_headers;
};

void collect_fields(const Pipeline& p, std::vector<const Operand*>& out)
{
  for (const Command& c : p.commands) {
    for (const Operand& o : c.words) {
      if (o.kind == Operand::Kind::field) {
        out.push_back(&o);
      } else if (o.kind == Operand::Kind::pipeline) {
        collect_fields(*o.pipeline, out);
      }
    }
  }
}

} // namespace

struct Template::Parsed
{
  std::string source;
  std::vector<Node> nodes;
};

Template::Template(std::string_view text) : m_parsed(std::make_unique<Parsed>())
{
  m_parsed->source = std::string(text);
  m_parsed->nodes = parse_nodes(m_parsed->source);
}

Template::~Template() = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;

std::string Template::execute(const Object& dot) const
{
  return Evaluator(m_parsed->source, &dot, nullptr).run(m_parsed->nodes);
}

std::string Template::header(const Pairs& headers) const
{
  Object none;
  return Evaluator(m_parsed->source, &none, &headers).run(m_parsed->nodes);
}

void Template::check_fields(const Pairs& headers) const
{
  std::vector<const Operand*> fields;
  for (const Node& node : m_parsed->nodes) {
    if (node.action) {
      collect_fields(*node.action, fields);
    }
  }
  for (const Operand* field : fields) {
    const std::string& name = field->path.front();
    bool known = name == "Label" || std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
    if (!known) {
      std::string names;
      for (const auto& h : headers) {
        names += (names.empty() ? "" : ", ") + h.first;
      }
      fail(m_parsed->source, field->pos, "can't evaluate field " + name + " (fields: " + names + ", Label \"KEY\")", true);
    }
  }
}

std::string go_string(const json::Value& value)
{
  switch (value.type()) {
  case json::Value::Type::null:
    return "<nil>";
  case json::Value::Type::boolean:
    return value.as_bool() ? "true" : "false";
  case json::Value::Type::integer:
    return std::to_string(value.as_int());
  case json::Value::Type::real: {
    char buffer[64];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value.as_double());
    return error == std::errc() ? std::string(buffer, end) : value.dump();
  }
  case json::Value::Type::string:
    return value.as_string();
  case json::Value::Type::array: {
    std::string text = "[";
    for (std::size_t i = 0; i < value.elements().size(); ++i) {
      text += (i == 0 ? "" : " ") + go_string(value.elements()[i]);
    }
    return text + "]";
  }
  case json::Value::Type::object: {
    std::vector<const json::Member*> members;
    for (const json::Member& member : value.members()) {
      members.push_back(&member);
    }
    std::sort(members.begin(), members.end(), [](const json::Member* a, const json::Member* b) { return a->first < b->first; });
    std::string text = "map[";
    for (std::size_t i = 0; i < members.size(); ++i) {
      text += (i == 0 ? "" : " ") + members[i]->first + ":" + go_string(members[i]->second);
    }
    return text + "]";
  }
  }
  return "";
}

} // namespace sandbox::format
