// Plans: references between steps ({create.Id}), filled from recorded replies, strictly for a live
// run and left as written for the dry run.

#include "plan/plan.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <string>

namespace {

using sandbox::json::Value;
using sandbox::plan::Results;
using sandbox::plan::Step;

Value object_of(const std::string& text)
{
  return sandbox::json::parse(text);
}

Results results_with_create()
{
  Results results;
  results.record("create", object_of(R"({"Id":"c0ffee","Code":3})"));
  results.record("volume", object_of(R"({"Name":"vol 1"})"));
  return results;
}

} // namespace

BOOST_AUTO_TEST_SUITE(plan)

BOOST_AUTO_TEST_CASE(resolve_fills_references)
{
  Results results = results_with_create();
  BOOST_TEST(results.resolve("/containers/{create.Id}/start", true) == "/containers/c0ffee/start");
  BOOST_TEST(results.resolve("{create.Id}-{volume.Name}", true) == "c0ffee-vol 1");
  BOOST_TEST(results.resolve("/containers/json", true) == "/containers/json");
  BOOST_TEST(results.can_resolve("/containers/{create.Id}/{volume.Name}"));
}

BOOST_AUTO_TEST_CASE(resolve_leaves_unknown_references_as_written_unless_strict)
{
  Results results = results_with_create();
  BOOST_TEST(results.resolve("/containers/{start.Id}/wait", false) == "/containers/{start.Id}/wait");
  BOOST_TEST(results.resolve("/x/{create.Missing}", false) == "/x/{create.Missing}");
  BOOST_TEST(!results.can_resolve("/containers/{start.Id}/wait"));
  BOOST_TEST(!results.can_resolve("{create.Id}/{start.Id}"));
  BOOST_TEST(sandbox::test::message_of<sandbox::Error>([&] { results.resolve("/containers/{start.Id}", true); })
             == "internal error: no value for {start.Id}");
}

BOOST_AUTO_TEST_CASE(only_string_fields_resolve)
{
  Results results = results_with_create();
  BOOST_TEST(results.resolve("/x/{create.Code}", false) == "/x/{create.Code}");
  BOOST_TEST(!results.can_resolve("/x/{create.Code}"));
}

BOOST_AUTO_TEST_CASE(a_field_walks_members_and_array_elements)
{
  Results results;
  results.record("inspect", object_of(R"({"IPAM":{"Config":[{"Subnet":"172.18.0.0/16"},{"Subnet":"fd00::/64"}]},"Name":"n"})"));
  BOOST_TEST(results.resolve("{inspect.IPAM.Config.0.Subnet}", true) == "172.18.0.0/16");
  BOOST_TEST(results.resolve("{inspect.IPAM.Config.1.Subnet}", true) == "fd00::/64");
  for (const char* absent : {"{inspect.IPAM.Config.2.Subnet}", "{inspect.IPAM.Config.x.Subnet}", "{inspect.IPAM.Config.-1.Subnet}",
                             "{inspect.IPAM.Config..Subnet}", "{inspect.IPAM.Config.0}", "{inspect.Name.0}"}) {
    BOOST_TEST(!results.can_resolve(absent), absent);
  }
}

BOOST_AUTO_TEST_CASE(a_body_reference_may_name_one_element_of_an_array)
{
  // The proxy's first argument is filled; the configuration after it, the user's text, never is,
  // braces and dots and all.
  Results results;
  results.record("inspect", object_of(R"({"IPAM":{"Config":[{"Subnet":"172.18.0.0/16"}]}})"));
  Step step = sandbox::plan::make_step("proxy", "create", "POST", "/containers/create");
  step.body = object_of(R"({"Cmd":["{inspect.IPAM.Config.0.Subnet}:3128","{\"allow\":[\"{inspect.IPAM}\"]}"]})");
  step.body_references = {{"Cmd", "0"}, {"Cmd", "7"}, {"Missing", "0"}};
  Step resolved = sandbox::plan::resolve_step(step, results, true);
  BOOST_TEST(resolved.body->dump() == R"({"Cmd":["172.18.0.0/16:3128","{\"allow\":[\"{inspect.IPAM}\"]}"]})");
}

BOOST_AUTO_TEST_CASE(a_splice_inserts_the_words_of_a_replied_array)
{
  // A detached sandbox's Entrypoint: the init's words, the image's entrypoint and command spliced
  // in, then the user's words, never filled whatever they hold.
  Results results;
  results.record("image", object_of(R"({"Config":{"Entrypoint":["/entry.sh","-x"],"Cmd":["serve"],"Empty":null}})"));
  Step step = sandbox::plan::make_step("create", "create", "POST", "/containers/create");
  step.body = object_of(R"({"Entrypoint":["/init","--","{image.Config.Cmd}"]})");
  step.body_splices = {{{"Entrypoint"}, 2, {"{image.Config.Entrypoint}", "{image.Config.Empty}", "{image.Config.Cmd}"}}};
  Step resolved = sandbox::plan::resolve_step(step, results, true);
  BOOST_TEST(resolved.body->dump() == R"({"Entrypoint":["/init","--","/entry.sh","-x","serve","{image.Config.Cmd}"]})");
  // At the end of the array too.
  step.body_splices = {{{"Entrypoint"}, 3, {"{image.Config.Cmd}"}}};
  BOOST_TEST(sandbox::plan::resolve_step(step, results, true).body->dump()
             == R"({"Entrypoint":["/init","--","{image.Config.Cmd}","serve"]})");
}

BOOST_AUTO_TEST_CASE(a_splice_before_its_reply_is_shown_as_written_unless_strict)
{
  Step step = sandbox::plan::make_step("create", "create", "POST", "/containers/create");
  step.body = object_of(R"({"Entrypoint":["/init"]})");
  step.body_splices = {{{"Entrypoint"}, 1, {"{image.Config.Cmd}"}}};
  Results none;
  BOOST_TEST(sandbox::plan::resolve_step(step, none, false).body->dump() == R"({"Entrypoint":["/init","{image.Config.Cmd}"]})");
  BOOST_CHECK_THROW(sandbox::plan::resolve_step(step, none, true), sandbox::Error);
}

BOOST_AUTO_TEST_CASE(a_splice_refuses_what_is_not_a_list_of_words)
{
  // An engine's reply is not trusted: a command that is a string, or holds a number, is refused.
  Step step = sandbox::plan::make_step("create", "create", "POST", "/containers/create");
  step.body = object_of(R"({"Entrypoint":["/init"]})");
  step.body_splices = {{{"Entrypoint"}, 1, {"{image.Config.Cmd}"}}};
  for (const char* reply : {R"({"Config":{"Cmd":"sh -c x"}})", R"({"Config":{"Cmd":["sh",1]}})"}) {
    Results results;
    results.record("image", object_of(reply));
    BOOST_CHECK_THROW(sandbox::plan::resolve_step(step, results, true), sandbox::Error);
  }
}

BOOST_AUTO_TEST_CASE(braces_without_a_dot_are_not_references)
{
  Results results;
  BOOST_TEST(results.resolve("/a/{plain}/b", true) == "/a/{plain}/b");
  BOOST_TEST(results.can_resolve("/a/{plain}/b"));
  BOOST_TEST(results.resolve("/a/{unclosed.Id", true) == "/a/{unclosed.Id");
}

BOOST_AUTO_TEST_CASE(record_replaces_an_earlier_reply)
{
  Results results;
  BOOST_TEST(!results.find("create"));
  results.record("create", object_of(R"({"Id":"first"})"));
  results.record("create", object_of(R"({"Id":"second"})"));
  BOOST_REQUIRE(results.find("create"));
  BOOST_TEST(results.find("create")->string_or("Id") == "second");
  BOOST_TEST(results.resolve("{create.Id}", true) == "second");
}

BOOST_AUTO_TEST_CASE(resolve_step_fills_path_and_query_only)
{
  Step step = sandbox::plan::make_step("archive", "copy in", "PUT", "/containers/{create.Id}/archive");
  step.query = {{"path", "/work"}, {"volume", "{volume.Name}"}};
  step.body = object_of(R"({"Ref":"{create.Id}"})");
  Step resolved = sandbox::plan::resolve_step(step, results_with_create(), true);
  BOOST_TEST(resolved.path == "/containers/c0ffee/archive");
  BOOST_REQUIRE(resolved.query.size() == 2u);
  BOOST_TEST(resolved.query[0].second == "/work");
  BOOST_TEST(resolved.query[1].second == "vol 1");
  BOOST_TEST(resolved.body->dump() == R"({"Ref":"{create.Id}"})");
  BOOST_TEST(resolved.id == "archive");
  BOOST_TEST(resolved.method == "PUT");
}

BOOST_AUTO_TEST_SUITE_END()
