#pragma once

// Text that reaches a terminal may come from the party the sandbox protects against (a profile, a
// volume's member names, labels and errors read back from the engine). Escape sequences in it could
// erase or forge the lines the user reads, and bidi controls could reorder them, so everything
// printed goes through these functions: control characters, C1 controls, bidi overrides and
// isolates, and bytes that are not UTF-8 are shown as escapes (\n, \x1b, \u202e).

#include <cstddef>
#include <string>
#include <string_view>

namespace sandbox {

// True when `text` holds a byte below 0x20 (NUL, newline, escape, ...) or DEL.
bool has_control_character(std::string_view text);

// True when printable() would change `text`: a control character (C0, DEL, C1), a bidi control,
// or a byte that is not part of valid UTF-8. Names the plugin creates refuse these outright.
bool has_unsafe_character(std::string_view text);

// `text` on one line with every unsafe character escaped: \n, \t, \r, \xNN for other C0 bytes,
// DEL and bytes that are not UTF-8, \uNNNN for C1 and bidi controls.
std::string printable(std::string_view text);

// As printable(), but newlines and tabs pass through: for multi-line output (tables, usage).
std::string printable_lines(std::string_view text);

// `text` as a quoted JSON string that is safe to show: `"`, `\` and every unsafe character
// (C0, DEL, C1, bidi controls, line and paragraph separators) as \uNNNN, which any JSON reader
// turns back into the same text; a byte that is not UTF-8 becomes U+FFFD, as Go's encoding/json
// writes it. A file of our JSON lines can be read in a terminal, whoever chose its strings.
std::string json_string(std::string_view text);

// The length of the longest prefix of `text` that does not end inside a UTF-8 sequence that the
// following bytes could still complete: a stream escapes that much now and keeps the rest.
std::size_t complete_prefix(std::string_view text);

} // namespace sandbox
