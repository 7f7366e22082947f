#include "managed/list_view.h"
#include "util/error.h"

#include <boost/test/unit_test.hpp>

using namespace sandbox::managed;

namespace {

constexpr std::int64_t k_now = 1'800'000'000;

ManagedContainer container(std::string name, std::string state, std::int64_t age)
{
  ManagedContainer c;
  c.id = "0123456789abcdef0123456789abcdef";
  c.name = std::move(name);
  c.state = std::move(state);
  c.tenant = "acme";
  c.run_id = "r1";
  c.created = k_now - age;
  c.command = "sh -c 'a rather long command line'";
  c.labels = {{"docker-sandbox.managed", "true"}, {"docker-sandbox.tenant", "acme"}, {"team", "blue"}};
  return c;
}

ListFilter filter(const std::vector<std::string>& values)
{
  return parse_list_filter(values, {"label", "name", "tenant", "run", "status", "until"}, k_now);
}

} // namespace

BOOST_AUTO_TEST_SUITE(list_view)

BOOST_AUTO_TEST_CASE(filters_and_across_keys_or_within)
{
  ManagedContainer running = container("sbx-one", "running", 10);
  ManagedContainer exited = container("sbx-two", "exited", 3 * 86400);
  BOOST_TEST(matches(filter({}), running));
  BOOST_TEST(matches(filter({"status=running"}), running));
  BOOST_TEST(!matches(filter({"status=running"}), exited));
  BOOST_TEST(matches(filter({"status=running", "status=exited"}), exited)); // OR within a key
  BOOST_TEST(!matches(filter({"status=exited", "name=one"}), exited));      // AND across keys
  BOOST_TEST(matches(filter({"name=two", "tenant=acme", "run=r1"}), exited));
  BOOST_TEST(!matches(filter({"tenant=other"}), exited));
  BOOST_TEST(matches(filter({"label=team", "label=team=blue"}), exited));
  BOOST_TEST(!matches(filter({"label=team=blue", "label=team=red"}), exited)); // labels: all must match
  BOOST_TEST(matches(filter({"until=24h"}), exited));
  BOOST_TEST(!matches(filter({"until=24h"}), running));
  BOOST_TEST(matches(filter({"until=" + std::to_string(k_now - 100)}), exited));
  BOOST_TEST(matches(filter({"until=2030-01-01T00:00:00Z"}), exited));
}

BOOST_AUTO_TEST_CASE(bad_filters)
{
  BOOST_CHECK_THROW(filter({"colour=red"}), sandbox::UsageError);
  BOOST_CHECK_THROW(filter({"status"}), sandbox::UsageError);
  BOOST_CHECK_THROW(filter({"status=sleeping"}), sandbox::UsageError);
  BOOST_CHECK_THROW(filter({"until=soon"}), sandbox::UsageError);
  BOOST_CHECK_THROW(parse_list_filter({"status=running"}, {"label", "name"}, k_now), sandbox::UsageError);
}

BOOST_AUTO_TEST_CASE(container_rows_as_docker_ps)
{
  ManagedContainer c = container("sbx-one", "running", 3 * 3600);
  sandbox::format::Object row = container_row(c, true, k_now);
  BOOST_TEST(row.fields.string_or("ID") == "0123456789ab");
  BOOST_TEST(row.fields.string_or("Command") == "\"sh -c 'a rather lon\u2026\"");
  BOOST_TEST(row.fields.string_or("RunningFor") == "3 hours ago");
  BOOST_TEST(row.fields.string_or("Labels") == "docker-sandbox.managed=true,docker-sandbox.tenant=acme,team=blue");
  BOOST_TEST(row.fields.members().front().first == "Command"); // keys sorted, as docker's {{json .}}
  sandbox::format::Object full = container_row(c, false, k_now);
  BOOST_TEST(full.fields.string_or("ID") == c.id);
  BOOST_TEST(full.fields.string_or("Command") == "\"sh -c 'a rather long command line'\"");
  std::string table = sandbox::format::render_list("table", container_listing(), {row});
  BOOST_TEST(table.starts_with("CONTAINER ID   NAMES     STATE     CREATED       TIME LEFT   TENANT    RUN       IMAGE\n"
                               "0123456789ab   sbx-one   running   3 hours ago               acme"),
             table);
}

BOOST_AUTO_TEST_CASE(human_durations)
{
  BOOST_TEST(human_duration(0) == "Less than a second");
  BOOST_TEST(human_duration(45) == "45 seconds");
  BOOST_TEST(human_duration(90) == "About a minute");
  BOOST_TEST(human_duration(3600) == "About an hour");
  BOOST_TEST(human_duration(3 * 86400) == "3 days");
  BOOST_TEST(human_duration(20 * 86400) == "2 weeks");
}

BOOST_AUTO_TEST_SUITE_END()
