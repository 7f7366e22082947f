// Go's tabwriter algorithm (text/tabwriter, Writer.format), minus the flags docker does not use.

#include "format/tabwriter.h"

#include <algorithm>
#include <vector>

namespace sandbox::format {

namespace {

// Bounds on what an engine's reply can make of a table: every row is padded to the widest cell of
// its column, so one huge name in a long list would ask for rows x width bytes; and the layout
// recurses once per column.
constexpr std::size_t k_max_cell_chars = 512;
constexpr std::size_t k_max_columns = 64;

struct Cell
{
  std::string text;
  std::size_t width = 0; // in characters, not bytes
};

using Line = std::vector<Cell>;

bool continues_char(char c)
{
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The cell, cut to k_max_cell_chars characters with an ellipsis.
Cell make_cell(std::string_view text)
{
  Cell cell;
  std::size_t end = 0;
  while (end < text.size() && cell.width < k_max_cell_chars) {
    ++end;
    while (end < text.size() && continues_char(text[end])) {
      ++end;
    }
    ++cell.width;
  }
  cell.text = text.substr(0, end);
  if (end < text.size()) {
    cell.text += "\u2026";
    ++cell.width;
  }
  return cell;
}

class Layout
{
public:
  Layout(std::vector<Line> lines, std::size_t min_width, std::size_t padding)
    : m_lines(std::move(lines)), m_min_width(min_width), m_padding(padding)
  {
  }

  std::string run()
  {
    format(0, m_lines.size());
    return m_out;
  }

private:
  // One level per column: the lines [line0, line1) that reach column `m_widths.size()`.
  void format(std::size_t line0, std::size_t line1)
  {
    std::size_t column = m_widths.size();
    for (std::size_t at = line0; at < line1; ++at) {
      if (column + 1 >= m_lines[at].size()) {
        continue;
      }
      write_lines(line0, at);
      line0 = at;
      std::size_t width = m_min_width;
      for (; at < line1 && column + 1 < m_lines[at].size(); ++at) {
        width = std::max(width, m_lines[at][column].width + m_padding);
      }
      m_widths.push_back(width);
      format(line0, at);
      m_widths.pop_back();
      line0 = at;
      if (at == line1) {
        break;
      }
    }
    write_lines(line0, line1);
  }

  void write_lines(std::size_t line0, std::size_t line1)
  {
    for (std::size_t i = line0; i < line1; ++i) {
      const Line& line = m_lines[i];
      for (std::size_t j = 0; j < line.size(); ++j) {
        m_out += line[j].text;
        if (j < m_widths.size()) {
          m_out.append(m_widths[j] - line[j].width, ' ');
        }
      }
      if (i + 1 < m_lines.size()) {
        m_out += '\n';
      }
    }
  }

  std::vector<Line> m_lines;
  std::size_t m_min_width;
  std::size_t m_padding;
  std::vector<std::size_t> m_widths;
  std::string m_out;
};

} // namespace

std::string tabulate(std::string_view text, std::size_t min_width, std::size_t padding)
{
  std::vector<Line> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    Line line;
    std::string_view row = text.substr(start, end - start);
    std::size_t cell = 0;
    while (true) {
      // The last column takes the rest of the row, tabs and all.
      std::size_t tab = line.size() + 1 < k_max_columns ? std::min(row.find('\t', cell), row.size()) : row.size();
      line.push_back(make_cell(row.substr(cell, tab - cell)));
      if (tab == row.size()) {
        break;
      }
      cell = tab + 1;
    }
    lines.push_back(std::move(line));
    if (end == text.size()) {
      break;
    }
    start = end + 1;
  }
  return Layout(std::move(lines), min_width, padding).run();
}

} // namespace sandbox::format
