#include "util/printable.h"

#include <cstdio>

namespace sandbox {

namespace {

// The length of the valid UTF-8 sequence at the start of `text` and its code point, or 0 when
// the first byte does not start one (a stray continuation byte, an overlong form, a surrogate,
// a cut sequence).
std::size_t utf8_sequence(std::string_view text, char32_t& code_point)
{
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  std::size_t length = lead < 0x80 ? 1 : (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf8) == 0xf0 ? 4 : 0;
  if (length == 0 || length > text.size()) {
    return 0;
  }
  code_point = length == 1 ? lead : length == 2 ? lead & 0x1f : length == 3 ? lead & 0x0f : lead & 0x07;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) {
      return 0;
    }
    code_point = (code_point << 6) | (byte(i) & 0x3f);
  }
  static constexpr char32_t k_smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < k_smallest[length] || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
    return 0;
  }
  return length;
}

bool is_unsafe_code_point(char32_t c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)   // C0, DEL, C1 (0x9b is CSI)
         || c == 0x061c || c == 0x200e || c == 0x200f         // bidi marks
         || (c >= 0x202a && c <= 0x202e)                      // bidi embeddings and overrides
         || (c >= 0x2066 && c <= 0x2069)                      // bidi isolates
         || c == 0x2028 || c == 0x2029;                       // line and paragraph separators
}

std::string escape(std::string_view text, bool keep_lines)
{
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    std::size_t length = utf8_sequence(text.substr(i), c);
    char escaped[16];
    if (length == 0) {
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(text[i]));
      out += escaped;
      ++i;
      continue;
    }
    if (!is_unsafe_code_point(c) || (keep_lines && (c == '\n' || c == '\t'))) {
      out.append(text.substr(i, length));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x80) {
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    }
    i += length;
  }
  return out;
}

} // namespace

bool has_control_character(std::string_view text)
{
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return true;
    }
  }
  return false;
}

bool has_unsafe_character(std::string_view text)
{
  return escape(text, false) != text;
}

std::string printable(std::string_view text)
{
  return escape(text, false);
}

std::string printable_lines(std::string_view text)
{
  return escape(text, true);
}

std::string json_string(std::string_view text)
{
  std::string out = "\"";
  out.reserve(text.size() + 2);
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    std::size_t length = utf8_sequence(text.substr(i), c);
    if (length == 0) {
      out += "\xef\xbf\xbd"; // U+FFFD
      ++i;
      continue;
    }
    char short_form = c == '"' ? '"' : c == '\\' ? '\\' : c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 0;
    if (short_form != 0) {
      out += '\\';
      out += short_form;
    } else if (is_unsafe_code_point(c)) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04X", static_cast<unsigned>(c)); // as RapidJSON writes them
      out += escaped;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  out += '"';
  return out;
}

std::size_t complete_prefix(std::string_view text)
{
  // Only the last three bytes can belong to a sequence that is still arriving.
  std::size_t from = text.size() > 3 ? text.size() - 3 : 0;
  for (std::size_t start = from; start < text.size(); ++start) {
    unsigned char lead = static_cast<unsigned char>(text[start]);
    if ((lead & 0xc0) == 0x80 || lead < 0x80) {
      continue;
    }
    std::size_t length = (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf8) == 0xf0 ? 4 : 0;
    bool continued = true;
    for (std::size_t i = start + 1; i < text.size(); ++i) {
      continued = continued && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80;
    }
    if (length > text.size() - start && continued) {
      return start;
    }
  }
  return text.size();
}

} // namespace sandbox
