#pragma once

// docker's --format values for listings, inspect and version: the keywords "table" and "json",
// "table TEMPLATE", and TEMPLATE, where the two characters \t and \n stand for a tab and a newline.

#include "format/go_template.h"

#include <string>
#include <string_view>
#include <vector>

namespace sandbox::format {

// What a listing offers --format.
struct Listing
{
  std::string default_table;  // what "table" means, e.g. "table {{.ID}}\t{{.Names}}"
  Pairs headers;              // every field a row has, with its table header ("Name", "VOLUME NAME")
};

// True when `format` asks for a table (it starts with "table", as in docker).
bool is_table(std::string_view format);

// The rows as `format` asks: a table has a header row and columns laid out by tabulate(); "json"
// is one compact {{json .}} object per line; any other template runs once per row, each followed
// by a newline. Throws FormatError for a bad template or one that names a field rows lack, even
// when there are no rows.
std::string render_list(std::string_view format, const Listing& listing, const std::vector<Object>& rows);

// Inspect's --format: "json" is the whole list as one compact JSON array; any other template runs
// once per object, each followed by a newline. Throws FormatError.
std::string render_each(std::string_view format, const std::vector<Object>& objects);

// version's --format: "json" is {{json .}}; any other template runs once. Throws FormatError.
std::string render_one(std::string_view format, const Object& object);

} // namespace sandbox::format
