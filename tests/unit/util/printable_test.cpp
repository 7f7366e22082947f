// Escaping for the terminal: C0, DEL, C1 (also CSI U+009B), bidi controls and bytes that are not
// UTF-8 become visible escapes; ordinary UTF-8 passes; a stream keeps a cut sequence for later.

#include "util/printable.h"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(printable)

BOOST_AUTO_TEST_CASE(unsafe_characters_are_escaped)
{
  using sandbox::printable;
  BOOST_TEST(printable("plain ascii, é, 日本, 🙂") == "plain ascii, é, 日本, 🙂");
  BOOST_TEST(printable("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  BOOST_TEST(printable("\x1b[1A\x1b[2Kgone") == "\\x1b[1A\\x1b[2Kgone");
  BOOST_TEST(printable(std::string("nul\0x", 5)) == "nul\\x00x");
  BOOST_TEST(printable("del\x7f") == "del\\x7f");
  BOOST_TEST(printable("csi\xc2\x9b" "2K") == "csi\\u009b2K");            // U+009B as UTF-8
  BOOST_TEST(printable("raw\x9b" "2K") == "raw\\x9b2K");                  // a lone C1 byte (Latin-1 terminals)
  BOOST_TEST(printable("evil\xe2\x80\xaetxt.exe") == "evil\\u202etxt.exe"); // RIGHT-TO-LEFT OVERRIDE
  BOOST_TEST(printable("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");  // isolates
  BOOST_TEST(printable("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad") == "\\u202a\\u202b\\u202c\\u202d");
  BOOST_TEST(printable("cut\xe2\x80") == "cut\\xe2\\x80");
  BOOST_TEST(printable("overlong\xc0\xaf") == "overlong\\xc0\\xaf");
  BOOST_TEST(printable("surrogate\xed\xa0\x80") == "surrogate\\xed\\xa0\\x80");
}

BOOST_AUTO_TEST_CASE(json_strings_escape_the_same_characters)
{
  using sandbox::json_string;
  BOOST_TEST(json_string("") == "\"\"");
  BOOST_TEST(json_string("plain é 日本") == "\"plain é 日本\"");
  BOOST_TEST(json_string("\"\\/\b\f\n\r\t") == R"("\"\\/\b\f\n\r\t")");
  BOOST_TEST(json_string(std::string("\0\x1b\x7f", 3)) == R"("\u0000\u001B\u007F")");
  BOOST_TEST(json_string("\xc2\x9b\xe2\x81\xa6\xe2\x80\xa9\xd8\x9c") == R"("\u009B\u2066\u2029\u061C")");
  BOOST_TEST(json_string("cut\xe2\x80") == "\"cut\xef\xbf\xbd\xef\xbf\xbd\"");
}

BOOST_AUTO_TEST_CASE(lines_keep_newlines_and_tabs)
{
  BOOST_TEST(sandbox::printable_lines("a\tb\nc\r\x1b") == "a\tb\nc\\r\\x1b");
}

BOOST_AUTO_TEST_CASE(unsafe_is_what_printable_would_change)
{
  BOOST_TEST(!sandbox::has_unsafe_character("output-é"));
  BOOST_TEST(sandbox::has_unsafe_character("out\xe2\x80\xae"));
  BOOST_TEST(sandbox::has_unsafe_character("out\x1b"));
  BOOST_TEST(!sandbox::has_control_character("out\xe2\x80\xae")); // C0 and DEL only
}

BOOST_AUTO_TEST_CASE(a_stream_holds_back_a_sequence_that_is_still_arriving)
{
  BOOST_TEST(sandbox::complete_prefix("abc") == 3u);
  BOOST_TEST(sandbox::complete_prefix("ab\xe2") == 2u);
  BOOST_TEST(sandbox::complete_prefix("ab\xe2\x80") == 2u);
  BOOST_TEST(sandbox::complete_prefix("ab\xe2\x80\xae") == 5u);
  BOOST_TEST(sandbox::complete_prefix("\xf0\x9f\x99") == 0u);
  BOOST_TEST(sandbox::complete_prefix("a\x80") == 2u);    // a stray continuation byte waits for nothing
  BOOST_TEST(sandbox::complete_prefix("a\xe2" "A") == 3u); // nor does a lead byte that ASCII followed
}

BOOST_AUTO_TEST_SUITE_END()
