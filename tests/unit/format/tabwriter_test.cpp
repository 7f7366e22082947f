#include "format/tabwriter.h"

#include <boost/test/unit_test.hpp>

using sandbox::format::tabulate;

BOOST_AUTO_TEST_SUITE(tabwriter)

// Expected outputs are what Go's tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) writes.
BOOST_AUTO_TEST_CASE(columns_as_wide_as_their_content_plus_three)
{
  BOOST_TEST(tabulate("VOLUME NAME\tDRIVER\nfmtprobe-x\tlocal\n") == "VOLUME NAME   DRIVER\nfmtprobe-x    local\n");
  BOOST_TEST(tabulate("a\tb\tc\n") == "a         b         c\n"); // at least 10 wide
  std::string long_name(40, 'n');
  BOOST_TEST(tabulate("NAME\tX\n" + long_name + "\ty\n")
             == "NAME" + std::string(39, ' ') + "X\n" + long_name + "   y\n");
}

BOOST_AUTO_TEST_CASE(last_cell_and_column_blocks)
{
  // The last cell of a line is not in a column; a line without a tab ends the block.
  BOOST_TEST(tabulate("aaaaaaaaaaaaaaaaaa\nb\tc\n") == "aaaaaaaaaaaaaaaaaa\nb         c\n");
  BOOST_TEST(tabulate("a\tb\nlong-long-long\tc\nx\n") == "a                b\nlong-long-long   c\nx\n");
  BOOST_TEST(tabulate("no newline\tat end") == "no newline   at end");
  BOOST_TEST(tabulate("") == "");
}

BOOST_AUTO_TEST_CASE(width_counts_characters)
{
  BOOST_TEST(tabulate("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\tx\n")
             == "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9   x\n");
}

BOOST_AUTO_TEST_CASE(an_engines_huge_cell_or_endless_columns_stay_bounded)
{
  // One 1 MB name among 10,000 rows would pad every row to a megabyte: the cell is cut at 512
  // characters (whole characters), with an ellipsis.
  std::string rows;
  for (int i = 0; i < 10'000; ++i) {
    rows += "v\tx\n";
  }
  std::string huge = "\u00e9" + std::string(1'000'000, 'n');
  std::string out = tabulate(huge + "\tx\n" + rows);
  BOOST_TEST(out.size() < 10'001u * 520u);
  BOOST_TEST(out.substr(0, out.find('\n')) == "\u00e9" + std::string(511, 'n') + "\u2026   x");
  // 100,000 columns: laid out to the 64th, the rest of the row in its last cell.
  std::string wide;
  for (int i = 0; i < 100'000; ++i) {
    wide += "c\t";
  }
  std::string laid = tabulate(wide + "\n" + wide + "\n");
  BOOST_TEST(laid.substr(0, 12) == "c         c ");
  BOOST_TEST(laid.size() < 2u * (63u * 10u + 200'000u + 2u));
}

BOOST_AUTO_TEST_SUITE_END()
