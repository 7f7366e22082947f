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

BOOST_AUTO_TEST_SUITE_END()
