// The chunked decoder of the raw wait connection.

#include "engine/raw_http.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

#include <string>

BOOST_AUTO_TEST_SUITE(raw_http)

BOOST_AUTO_TEST_CASE(decodes_across_arbitrary_splits)
{
  std::string body = "19\r\n{\"StatusCode\":7,\"Error\":n\r\n5;ext=1\r\null}\n\r\n0\r\n\r\n";
  for (std::size_t split = 1; split < body.size(); ++split) {
    sandbox::engine::ChunkedDecoder decoder;
    std::string out = decoder.feed(body.data(), split);
    out += decoder.feed(body.data() + split, body.size() - split);
    BOOST_TEST(out == "{\"StatusCode\":7,\"Error\":null}\n");
    BOOST_TEST(decoder.done());
  }
}

BOOST_AUTO_TEST_CASE(garbage_is_an_error_not_a_crash)
{
  sandbox::engine::ChunkedDecoder decoder;
  std::string body = "zz\r\n";
  BOOST_CHECK_THROW(decoder.feed(body.data(), body.size()), sandbox::ConnectionError);
}

BOOST_AUTO_TEST_SUITE_END()
