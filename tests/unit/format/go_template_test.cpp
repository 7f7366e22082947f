#include "format/go_template.h"

#include <boost/test/unit_test.hpp>

#include <string>

using sandbox::format::FormatError;
using sandbox::format::Object;
using sandbox::format::Pairs;
using sandbox::format::Template;
using sandbox::json::Value;

namespace {

Object volume()
{
  Object o;
  o.fields.set("Name", "tenant-acme-run-r1");
  o.fields.set("Driver", "local");
  Value names = Value::array();
  names.push("a");
  names.push("b");
  o.fields.set("Names", std::move(names));
  Value nested = Value::object();
  nested.set("Version", "20.10.24");
  nested.set("Count", 3);
  o.fields.set("Server", std::move(nested));
  o.labels = Pairs{{"docker-sandbox.tenant", "acme"}, {"color", "blue"}};
  return o;
}

std::string run(const std::string& text)
{
  return Template(text).execute(volume());
}

std::string error_of(const std::string& text)
{
  try {
    run(text);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

BOOST_AUTO_TEST_SUITE(go_template)

BOOST_AUTO_TEST_CASE(fields_and_text)
{
  BOOST_TEST(run("{{.Name}}") == "tenant-acme-run-r1");
  BOOST_TEST(run("name={{ .Name }}, driver={{.Driver}}!") == "name=tenant-acme-run-r1, driver=local!");
  BOOST_TEST(run("{{.Server.Version}}/{{.Server.Count}}") == "20.10.24/3");
  BOOST_TEST(run("{{.Server.Nope}}") == "<no value>"); // a map's missing key, as in Go
  BOOST_TEST(run("{{.Names}} {{.Server}}") == "[a b] map[Count:3 Version:20.10.24]");
  BOOST_TEST(run("no actions") == "no actions");
  BOOST_TEST(run("{{\"lit\"}}{{`raw`}}{{42}}") == "litraw42");
  BOOST_TEST(run("a {{- \" b \" -}}  c") == "a b c");
  BOOST_TEST(run("{{/* a comment */}}x") == "x");
}

BOOST_AUTO_TEST_CASE(label_and_functions)
{
  BOOST_TEST(run("{{.Label \"docker-sandbox.tenant\"}}|{{.Label \"nope\"}}") == "acme|");
  BOOST_TEST(run("{{json .Name}}") == "\"tenant-acme-run-r1\"");
  BOOST_TEST(run("{{json .Server}}") == "{\"Version\":\"20.10.24\",\"Count\":3}");
  BOOST_TEST(run("{{json .Names}}") == "[\"a\",\"b\"]");
  BOOST_TEST(run("{{join .Names \", \"}}") == "a, b");
  BOOST_TEST(run("{{upper .Driver}} {{lower \"ABC\"}} {{title \"hello world\"}}") == "LOCAL abc Hello World");
  BOOST_TEST(run("{{truncate .Name 6}}|{{truncate \"h\u00e9llo\" 2}}") == "tenant|h\u00e9");
  BOOST_TEST(run("{{pad .Driver 1 2}}|") == " local  |");
  BOOST_TEST(run("{{split .Name \"-\"}}") == "[tenant acme run r1]");
  BOOST_TEST(run("{{index .Names 1}} {{index .Server \"Version\"}} {{len .Names}}") == "b 20.10.24 2");
  BOOST_TEST(run("{{.Driver | upper}}") == "LOCAL");
  BOOST_TEST(run("{{upper (truncate .Name 3)}}") == "TEN");
}

BOOST_AUTO_TEST_CASE(json_of_the_whole_object)
{
  Object o;
  o.fields.set("ID", "abc");
  o.fields.set("Labels", "a=b,c=d");
  BOOST_TEST(Template("{{json .}}").execute(o) == "{\"ID\":\"abc\",\"Labels\":\"a=b,c=d\"}");
}

BOOST_AUTO_TEST_CASE(values_cannot_forge_lines_or_columns)
{
  Object o;
  o.fields.set("Name", "evil\tname\n\x1b[2J");
  BOOST_TEST(Template("{{.Name}}").execute(o) == "evil\\tname\\n\\x1b[2J");
  BOOST_TEST(Template("{{json .Name}}").execute(o) == "\"evil\\tname\\n\\u001B[2J\"");
}

BOOST_AUTO_TEST_CASE(errors_are_one_line_with_a_position)
{
  BOOST_TEST(error_of("{{.Name") == "template parsing error: template: :1: unclosed action");
  BOOST_TEST(error_of("{{.Nope}}").starts_with("template parsing error: template: :1:3: can't evaluate field Nope (fields: Name"));
  BOOST_TEST(error_of("x\n{{nope .Name}}") == "template parsing error: template: :2: function \"nope\" not defined");
  BOOST_TEST(error_of("{{range .Names}}{{.}}{{end}}").find("{{range}} is not supported") != std::string::npos);
  BOOST_TEST(error_of("{{upper}}").find("wrong number of args for upper: want 1 got 0") != std::string::npos);
  BOOST_TEST(error_of("{{truncate .Name \"x\"}}").find("expected int") != std::string::npos);
  BOOST_TEST(error_of("{{\"open}}") .find("unterminated quoted string") != std::string::npos);
  BOOST_TEST(error_of("{{.Name \"arg\"}}").find("can't give argument to non-function .Name") != std::string::npos);
  BOOST_TEST(error_of("{{index .Names 5}}").find("index out of range") != std::string::npos);
  BOOST_TEST(error_of("{{$x}}").find("variables are not supported") != std::string::npos);
  BOOST_TEST(error_of("{{(.Name}}").find("unclosed left paren") != std::string::npos);
  // Nesting is bounded: 100 levels work, 100,000 are one error, not a stack overflow.
  BOOST_TEST(run("{{" + std::string(100, '(') + ".Name" + std::string(100, ')') + "}}") == run("{{.Name}}"));
  BOOST_TEST(error_of("{{" + std::string(100'000, '(') + ".Name}}").find("more than 100 nested parentheses") != std::string::npos);
  Object no_labels;
  BOOST_CHECK_THROW(Template("{{.Label \"a\"}}").execute(no_labels), FormatError);
}

BOOST_AUTO_TEST_CASE(header_row)
{
  Pairs headers{{"Name", "VOLUME NAME"}, {"Driver", "DRIVER"}};
  BOOST_TEST(Template("{{.Name}}\t{{.Driver}}").header(headers) == "VOLUME NAME\tDRIVER");
  BOOST_TEST(Template("{{upper .Name}}\t{{truncate .Driver 2}}\t{{json .Name}}").header(headers)
             == "VOLUME NAME\tDRIVER\tVOLUME NAME");
  BOOST_TEST(Template("{{.Label \"docker-sandbox.run_id\"}}\t{{.Label \"a-b\"}}").header(headers) == "run id\ta b");
  BOOST_TEST(Template("x={{.Name}}").header(headers) == "x=VOLUME NAME");
}

BOOST_AUTO_TEST_CASE(fields_are_checked_before_any_row)
{
  Pairs headers{{"Name", "VOLUME NAME"}};
  BOOST_CHECK_NO_THROW(Template("{{.Name}} {{.Label \"x\"}}").check_fields(headers));
  BOOST_CHECK_THROW(Template("{{upper (.Nope)}}").check_fields(headers), FormatError);
}

BOOST_AUTO_TEST_SUITE_END()
