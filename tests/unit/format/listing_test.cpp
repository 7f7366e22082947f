#include "format/listing.h"

#include <boost/test/unit_test.hpp>

using namespace sandbox::format;

namespace {

const Listing& volumes()
{
  static const Listing k_listing{"table {{.Name}}\\t{{.Driver}}", {{"Name", "VOLUME NAME"}, {"Driver", "DRIVER"}}};
  return k_listing;
}

std::vector<Object> rows()
{
  std::vector<Object> out(2);
  out[0].fields.set("Driver", "local");
  out[0].fields.set("Name", "a-rather-long-volume-name");
  out[0].labels = Pairs{{"k", "v"}};
  out[1].fields.set("Driver", "local");
  out[1].fields.set("Name", "b");
  out[1].labels = Pairs{};
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(listing)

BOOST_AUTO_TEST_CASE(keywords_and_templates)
{
  BOOST_TEST(render_list("table", volumes(), rows())
             == "VOLUME NAME                 DRIVER\na-rather-long-volume-name   local\nb                           local\n");
  BOOST_TEST(render_list("json", volumes(), rows())
             == "{\"Driver\":\"local\",\"Name\":\"a-rather-long-volume-name\"}\n{\"Driver\":\"local\",\"Name\":\"b\"}\n");
  BOOST_TEST(render_list("{{.Name}}", volumes(), rows()) == "a-rather-long-volume-name\nb\n");
  // Without "table", tabs are not laid out; \t and \n are escapes, as in docker's CLI.
  BOOST_TEST(render_list("{{.Name}}\\t{{.Driver}}\\n", volumes(), rows())
             == "a-rather-long-volume-name\tlocal\n\nb\tlocal\n\n");
  BOOST_TEST(render_list("table {{.Label \"k\"}}\\t{{.Name}}", volumes(), rows())
             == "k         VOLUME NAME\nv         a-rather-long-volume-name\n          b\n");
  BOOST_TEST(render_list("table", volumes(), {}) == "VOLUME NAME   DRIVER\n");
}

BOOST_AUTO_TEST_CASE(bad_templates_fail_without_rows)
{
  BOOST_CHECK_THROW(render_list("{{.Nope}}", volumes(), {}), FormatError);
  BOOST_CHECK_THROW(render_list("table {{.Name", volumes(), {}), FormatError);
}

BOOST_AUTO_TEST_CASE(inspect_and_version)
{
  std::vector<Object> objects = rows();
  BOOST_TEST(render_each("json", objects)
             == "[{\"Driver\":\"local\",\"Name\":\"a-rather-long-volume-name\"},{\"Driver\":\"local\",\"Name\":\"b\"}]\n");
  BOOST_TEST(render_each("{{.Name}}", objects) == "a-rather-long-volume-name\nb\n");
  BOOST_TEST(render_one("json", objects[1]) == "{\"Driver\":\"local\",\"Name\":\"b\"}\n");
  BOOST_TEST(render_one("{{.Driver}}", objects[1]) == "local\n");
}

BOOST_AUTO_TEST_SUITE_END()
