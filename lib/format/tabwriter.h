#pragma once

// Columns as Go's text/tabwriter lays them out for docker's tables.

#include <cstddef>
#include <string>
#include <string_view>

namespace sandbox::format {

// `text` with its tab-separated cells aligned as tabwriter.NewWriter(out, min_width, 1, padding,
// ' ', 0) does, the writer docker's tables use (10, 3): a column is a run of consecutive lines
// that have a cell in it, as wide as its widest cell (in characters) plus `padding`, at least
// `min_width`; the last cell of a line is not part of any column.
std::string tabulate(std::string_view text, std::size_t min_width = 10, std::size_t padding = 3);

} // namespace sandbox::format
