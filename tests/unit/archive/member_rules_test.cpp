// The member rules every tar member passes before it is written anywhere: splitting a name into
// components, control characters, symbolic links that would leave the extraction root, member
// types, permission bits, and the --owner / --mode values.

#include "archive/member_rules.h"
#include "util/error.h"
#include "util/paths.h"
#include "util/printable.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

namespace {

using sandbox::archive::MemberType;

// The components joined with "|", or "<refused: why>", so that BOOST_TEST can compare and print.
std::string components(const std::string& name)
{
  std::string why;
  std::optional<std::vector<std::string>> parts = sandbox::archive::member_components(name, why);
  if (!parts) {
    return "<refused: " + why + ">";
  }
  std::string out;
  for (const std::string& part : *parts) {
    out += (out.empty() ? "" : "|") + part;
  }
  return out;
}

std::string escape(const std::vector<std::string>& link, const std::string& target)
{
  return sandbox::test::shown(sandbox::archive::symlink_escape(link, target));
}

} // namespace

BOOST_AUTO_TEST_SUITE(member_rules)

BOOST_AUTO_TEST_CASE(components_drop_empty_and_dot_parts)
{
  BOOST_TEST(components("a") == "a");
  BOOST_TEST(components("a/b/c") == "a|b|c");
  BOOST_TEST(components("./a//b/") == "a|b");
  BOOST_TEST(components("a/./b/.") == "a|b");
  BOOST_TEST(components("dir/") == "dir");
}

BOOST_AUTO_TEST_CASE(dot_slash_and_empty_names_give_no_components)
{
  std::string why;
  std::optional<std::vector<std::string>> dot = sandbox::archive::member_components("./", why);
  BOOST_TEST_REQUIRE(dot.has_value());
  BOOST_TEST(dot->empty());
  std::optional<std::vector<std::string>> empty = sandbox::archive::member_components("", why);
  BOOST_TEST_REQUIRE(empty.has_value());
  BOOST_TEST(empty->empty());
  BOOST_TEST(components(".") == "");
}

BOOST_AUTO_TEST_CASE(absolute_names_are_refused)
{
  BOOST_TEST(components("/abs") == "<refused: name is absolute>");
  BOOST_TEST(components("/") == "<refused: name is absolute>");
  BOOST_TEST(components("//etc/passwd") == "<refused: name is absolute>");
}

BOOST_AUTO_TEST_CASE(dot_dot_anywhere_is_refused)
{
  BOOST_TEST(components("..") == "<refused: name contains \"..\">");
  BOOST_TEST(components("../evil") == "<refused: name contains \"..\">");
  BOOST_TEST(components("a/../../x") == "<refused: name contains \"..\">");
  BOOST_TEST(components("a/b/..") == "<refused: name contains \"..\">");
  BOOST_TEST(components("./../x") == "<refused: name contains \"..\">");
}

BOOST_AUTO_TEST_CASE(dots_that_are_not_dot_dot_are_names)
{
  BOOST_TEST(components("...") == "...");
  BOOST_TEST(components("..a/b..") == "..a|b..");
  BOOST_TEST(components(".hidden") == ".hidden");
}

BOOST_AUTO_TEST_CASE(control_characters_in_names_are_refused)
{
  BOOST_TEST(components("a\nb") == "<refused: name contains a control character>");
  BOOST_TEST(components("a\rb") == "<refused: name contains a control character>");
  BOOST_TEST(components("tab\there") == "<refused: name contains a control character>");
  BOOST_TEST(components("del\x7f") == "<refused: name contains a control character>");
  BOOST_TEST(components(std::string("nul\0x", 5)) == "<refused: name contains a control character>");
  // The control character wins over the other rules, so that the reason is never misleading.
  BOOST_TEST(components("/abs\n") == "<refused: name contains a control character>");
}

BOOST_AUTO_TEST_CASE(control_characters_are_bytes_below_space_and_del)
{
  using sandbox::has_control_character; // shared with the path rules, used by every member rule
  BOOST_TEST(!has_control_character(""));
  BOOST_TEST(!has_control_character("plain name with spaces ~!@#"));
  BOOST_TEST(!has_control_character("caf\xc3\xa9")); // UTF-8 is not a control character
  BOOST_TEST(!has_control_character("\x80\xff"));
  BOOST_TEST(has_control_character(std::string(1, '\0')));
  BOOST_TEST(has_control_character("\x01"));
  BOOST_TEST(has_control_character("\x1f"));
  BOOST_TEST(has_control_character("\x1b[31m"));
  BOOST_TEST(has_control_character("\x7f"));
  BOOST_TEST(!has_control_character(" "));
}

BOOST_AUTO_TEST_CASE(symlinks_inside_the_root_are_accepted)
{
  BOOST_TEST(escape({"link"}, "target") == "<unset>");
  BOOST_TEST(escape({"link"}, "./sub/../file") == "<unset>");
  BOOST_TEST(escape({"sub", "link"}, "../file") == "<unset>");
  BOOST_TEST(escape({"sub", "x"}, "..") == "<unset>");
  BOOST_TEST(escape({"a", "b", "link"}, "../../c") == "<unset>");
  BOOST_TEST(escape({"e"}, "sub/x/..") == "<unset>"); // lexically inside; the walk on disk decides
  BOOST_TEST(escape({"link"}, ".") == "<unset>");
}

BOOST_AUTO_TEST_CASE(symlinks_climbing_above_the_root_are_refused)
{
  const std::string outside = "it is a symbolic link that points outside the destination";
  BOOST_TEST(escape({"up"}, "..") == outside + " (..)");
  BOOST_TEST(escape({"up"}, "../..") == outside + " (../..)");
  BOOST_TEST(escape({"sub", "up"}, "../../sentinel") == outside + " (../../sentinel)");
  BOOST_TEST(escape({"link"}, "sub/../../x") == outside + " (sub/../../x)");
  BOOST_TEST(escape({"a", "b", "link"}, "../../../c") == outside + " (../../../c)");
  BOOST_TEST(escape({}, "..") == outside + " (..)");
}

BOOST_AUTO_TEST_CASE(absolute_empty_and_control_character_targets_are_refused)
{
  BOOST_TEST(escape({"link"}, "/etc") == "it is a symbolic link to an absolute path (/etc)");
  BOOST_TEST(escape({"sub", "link"}, "/") == "it is a symbolic link to an absolute path (/)");
  BOOST_TEST(escape({"link"}, "") == "it is a symbolic link with an empty target");
  BOOST_TEST(escape({"link"}, "a\nb") == "it is a symbolic link whose target contains a control character");
  BOOST_TEST(escape({"link"}, "\x1b[2J") == "it is a symbolic link whose target contains a control character");
}

BOOST_AUTO_TEST_CASE(only_devices_fifos_and_sockets_are_unsupported)
{
  using sandbox::archive::unsupported_type;
  BOOST_TEST(sandbox::test::shown(unsupported_type(MemberType::other)) == "it is a device, FIFO or socket");
  BOOST_TEST(!unsupported_type(MemberType::file).has_value());
  BOOST_TEST(!unsupported_type(MemberType::directory).has_value());
  BOOST_TEST(!unsupported_type(MemberType::symlink).has_value());
  BOOST_TEST(!unsupported_type(MemberType::hardlink).has_value());
}

BOOST_AUTO_TEST_CASE(permissions_keep_only_the_low_nine_bits)
{
  using sandbox::archive::permissions;
  BOOST_TEST(permissions(0644, std::nullopt, MemberType::file) == 0644u);
  BOOST_TEST(permissions(0100755, std::nullopt, MemberType::file) == 0755u); // S_IFREG bits dropped
  BOOST_TEST(permissions(04755, std::nullopt, MemberType::file) == 0755u);   // setuid
  BOOST_TEST(permissions(02755, std::nullopt, MemberType::file) == 0755u);   // setgid
  BOOST_TEST(permissions(06777, std::nullopt, MemberType::file) == 0777u);
  BOOST_TEST(permissions(02775, std::nullopt, MemberType::directory) == 0775u);
  BOOST_TEST(permissions(01777, std::nullopt, MemberType::directory) == 0777u); // sticky
  BOOST_TEST(permissions(07000, std::nullopt, MemberType::hardlink) == 0u);
}

BOOST_AUTO_TEST_CASE(own_directory_modes_are_kept_as_they_are)
{
  using sandbox::archive::permissions;
  // Only a forced mode adds search bits; a directory's own mode is the sender's choice.
  BOOST_TEST(permissions(0644, std::nullopt, MemberType::directory) == 0644u);
  BOOST_TEST(permissions(0700, std::nullopt, MemberType::directory) == 0700u);
}

BOOST_AUTO_TEST_CASE(a_forced_mode_replaces_the_own_mode)
{
  using sandbox::archive::permissions;
  BOOST_TEST(permissions(0777, 0640u, MemberType::file) == 0640u);
  BOOST_TEST(permissions(0600, 0644u, MemberType::file) == 0644u);
  BOOST_TEST(permissions(0644, 04755u, MemberType::file) == 0755u); // a forced setuid is dropped too
  BOOST_TEST(permissions(0644, 0u, MemberType::file) == 0u);
}

BOOST_AUTO_TEST_CASE(a_forced_mode_makes_directories_searchable_where_readable)
{
  using sandbox::archive::permissions;
  BOOST_TEST(permissions(0700, 0640u, MemberType::directory) == 0750u);
  BOOST_TEST(permissions(0700, 0644u, MemberType::directory) == 0755u);
  BOOST_TEST(permissions(0700, 0604u, MemberType::directory) == 0705u);
  BOOST_TEST(permissions(0700, 0600u, MemberType::directory) == 0700u);
  BOOST_TEST(permissions(0700, 0200u, MemberType::directory) == 0200u); // no r, no x added
  BOOST_TEST(permissions(0700, 02640u, MemberType::directory) == 0750u);
}

BOOST_AUTO_TEST_CASE(symlinks_always_get_0777)
{
  using sandbox::archive::permissions;
  BOOST_TEST(permissions(0600, std::nullopt, MemberType::symlink) == 0777u);
  BOOST_TEST(permissions(0600, 0640u, MemberType::symlink) == 0777u);
  BOOST_TEST(permissions(04755, std::nullopt, MemberType::symlink) == 0777u);
}

BOOST_AUTO_TEST_CASE(owner_is_two_numbers_separated_by_a_colon)
{
  using sandbox::archive::parse_owner;
  BOOST_TEST((parse_owner("1000:1000", "--owner") == std::pair<long, long>(1000, 1000)));
  BOOST_TEST((parse_owner("0:0", "--owner") == std::pair<long, long>(0, 0)));
  BOOST_TEST((parse_owner("1234:5678", "--owner") == std::pair<long, long>(1234, 5678)));
  BOOST_TEST((parse_owner("2147483647:65534", "--owner") == std::pair<long, long>(2147483647, 65534)));
}

BOOST_AUTO_TEST_CASE(bad_owners_are_usage_errors_naming_the_option)
{
  using sandbox::archive::parse_owner;
  for (const std::string bad : {"", ":", "1000", "1000:", ":1000", "a:b", "1000:x", "1:2:3", "-1:0", "0:-1",
                                " 1:2", "1:2 ", "2147483648:0", "99999999999999999999:0", "+1:2", "0x10:0"}) {
    BOOST_TEST_CONTEXT("owner \"" << bad << "\"")
    {
      std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { parse_owner(bad, "--owner"); });
      BOOST_TEST(message == "invalid --owner \"" + bad + "\": expected UID:GID, two numbers");
    }
  }
}

BOOST_AUTO_TEST_CASE(mode_is_octal_permission_bits)
{
  using sandbox::archive::parse_mode;
  BOOST_TEST(parse_mode("644", "--mode") == 0644u);
  BOOST_TEST(parse_mode("0640", "--mode") == 0640u);
  BOOST_TEST(parse_mode("0777", "--mode") == 0777u);
  BOOST_TEST(parse_mode("0", "--mode") == 0u);
  BOOST_TEST(parse_mode("750", "--mode") == 0750u);
}

BOOST_AUTO_TEST_CASE(bad_modes_are_usage_errors_naming_the_option)
{
  using sandbox::archive::parse_mode;
  for (const std::string bad : {"", "8", "648", "1000", "4755", "01000", "-644", "+644", "0x1ff", "rwx",
                                " 644", "644 ", "u+x"}) {
    BOOST_TEST_CONTEXT("mode \"" << bad << "\"")
    {
      std::string message = sandbox::test::message_of<sandbox::UsageError>([&] { parse_mode(bad, "--mode"); });
      BOOST_TEST(message == "invalid --mode \"" + bad + "\": expected octal permission bits such as 644 or 0750");
    }
  }
}

BOOST_AUTO_TEST_CASE(join_puts_slashes_between_components)
{
  using sandbox::archive::join;
  BOOST_TEST(join({}) == "");
  BOOST_TEST(join({"a"}) == "a");
  BOOST_TEST(join({"a", "b", "c"}) == "a/b/c");
}

BOOST_AUTO_TEST_CASE(download_roots_in_each_style)
{
  using sandbox::archive::RootStyle;
  using sandbox::archive::download_member_components;
  using sandbox::archive::root_style;
  BOOST_TEST((root_style("/") == RootStyle::slash));
  BOOST_TEST((root_style("./") == RootStyle::dot));
  BOOST_TEST((root_style(".") == RootStyle::dot));
  BOOST_TEST((root_style("v0/") == RootStyle::named));
  BOOST_TEST((root_style("//") == RootStyle::named));
  std::string why;
  using Parts = std::vector<std::string>;
  BOOST_TEST((download_member_components("/", "v0", RootStyle::slash, why) == Parts{"v0"}));
  BOOST_TEST((download_member_components("/a/b/", "v0", RootStyle::slash, why) == Parts{"v0", "a", "b"}));
  BOOST_TEST((download_member_components("./", "v0", RootStyle::dot, why) == Parts{"v0"}));
  BOOST_TEST((download_member_components("./a", "v0", RootStyle::dot, why) == Parts{"v0", "a"}));
  BOOST_TEST((download_member_components("v0/a", "v0", RootStyle::named, why) == Parts{"v0", "a"}));
  for (const char* hostile : {"/..", "//etc", "/./../x", "/a//b", "a", "", "/a/\n"}) {
    BOOST_TEST(!download_member_components(hostile, "v0", RootStyle::slash, why), hostile);
  }
  BOOST_TEST(!download_member_components("/etc", "v0", RootStyle::named, why));
  BOOST_TEST(!download_member_components("/etc", "v0", RootStyle::dot, why));
  BOOST_TEST(!download_member_components("./../x", "v0", RootStyle::dot, why));
}

BOOST_AUTO_TEST_SUITE_END()
