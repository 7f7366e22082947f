// docker's formatter (cli/command/formatter) in the few lines our listings need: keywords, escapes,
// the header row executed over field names, and tabwriter(10, 1, 3) over the whole table.

#include "format/listing.h"

#include "format/tabwriter.h"

namespace sandbox::format {

namespace {

constexpr std::string_view k_table = "table";
constexpr std::string_view k_json_template = "{{json .}}";

// As docker's preFormat: the escapes \t and \n anywhere, and spaces around trimmed.
std::string unescape(std::string_view format)
{
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '\\' && i + 1 < format.size() && (format[i + 1] == 't' || format[i + 1] == 'n')) {
      out += format[i + 1] == 't' ? '\t' : '\n';
      ++i;
    } else {
      out += format[i];
    }
  }
  std::size_t first = out.find_first_not_of(' ');
  std::size_t last = out.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

std::string template_text(std::string_view format)
{
  if (format == "json") {
    return std::string(k_json_template);
  }
  return unescape(format);
}

} // namespace

bool is_table(std::string_view format)
{
  return format.starts_with(k_table);
}

std::string render_list(std::string_view format, const Listing& listing, const std::vector<Object>& rows)
{
  if (format == k_table) {
    format = listing.default_table;
  }
  bool table = is_table(format);
  Template tmpl(template_text(table ? format.substr(k_table.size()) : format));
  tmpl.check_fields(listing.headers);
  std::string out;
  if (table) {
    out += tmpl.header(listing.headers) + "\n";
  }
  for (const Object& row : rows) {
    out += tmpl.execute(row) + "\n";
  }
  return table ? tabulate(out) : out;
}

std::string render_each(std::string_view format, const std::vector<Object>& objects)
{
  if (format == "json") {
    json::Value all = json::Value::array();
    for (const Object& object : objects) {
      all.push(object.fields);
    }
    return Template("{{json .}}").execute(Object{all, std::nullopt}) + "\n";
  }
  Template tmpl(template_text(format));
  std::string out;
  for (const Object& object : objects) {
    out += tmpl.execute(object) + "\n";
  }
  return out;
}

std::string render_one(std::string_view format, const Object& object)
{
  return Template(template_text(format)).execute(object) + "\n";
}

} // namespace sandbox::format
