#pragma once

// The rules every tar member must pass before it is written anywhere: on the host by
// `volume get` (the volume's content is written by an untrusted sandbox) and into a volume by
// `volume put -` (a tar from stdin). Pure functions, so that each rule has a unit test.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::archive {

enum class MemberType { file, directory, symlink, hardlink, other };

// A member's name split into components, with "" and "." dropped ("./a//b/" -> {"a", "b"};
// "./" -> {}). Returns nullopt, with the reason in `why`, when the name is absolute, has a ".."
// component, or contains a control character (NUL, newline, ...).
std::optional<std::vector<std::string>> member_components(const std::string& name, std::string& why);

// How a downloaded tar names the root of the path that was read. Docker names it by its base
// name ("v0", then "v0/a"); Podman names a volume's root "/" and what is below it "/a"; some
// writers name it "./" (then "./a" or "a").
enum class RootStyle { named, slash, dot };

// The style an archive uses, from its first member: "/" is slash, "." or "./" dot, else named.
RootStyle root_style(const std::string& first_member);

// A downloaded member's components with the root as `root_name` ("/a" in the slash style ->
// {root_name, "a"}). Named: as member_components. Slash: "/" is the root, and any other name
// must be "/" and components, each separated by exactly one "/" (a trailing one allowed), none
// of them "." or "..": "/..", "//etc" and "/./../x" are refused. Dot: "." and "./" are the root,
// others as member_components, placed below it. Returns nullopt with the reason in `why`.
std::optional<std::vector<std::string>> download_member_components(const std::string& name, const std::string& root_name,
                                                                   RootStyle style, std::string& why);

// Names the members of one downloaded tar below the root that was read: the first member's
// name sets the style, then each name is download_member_components of it, which must begin
// with `root_name`. The one naming decision of both the extractor and the tar sent to stdout.
class DownloadNames
{
public:
  explicit DownloadNames(std::string root_name) : m_root_name(std::move(root_name)) {}

  // The components of `name`, the first being the root's name; nullopt with the reason in `why`
  // ("name is absolute", "name is not below data", ...).
  std::optional<std::vector<std::string>> place(const std::string& name, std::string& why);

private:
  std::string m_root_name;
  std::optional<RootStyle> m_style; // from the first name placed
};

// Whether a symbolic link stored at `link` (components below the extraction root) pointing to
// `target` stays inside the root when read as plain text: not absolute, no control character,
// and its ".." never climb above the root. Returns the reason when it does not.
std::optional<std::string> symlink_escape(const std::vector<std::string>& link, const std::string& target);

// Why a member of this type cannot be extracted (devices, FIFOs, sockets), or nullopt.
std::optional<std::string> unsupported_type(MemberType type);

// The permission bits to give a member: the low 9 bits of `mode` (never setuid, setgid or
// sticky), or `forced` when the user chose a mode; directories then also get x wherever r is
// set, so that they stay searchable.
unsigned permissions(unsigned mode, std::optional<unsigned> forced, MemberType type);

// "UID:GID" (numbers) -> the pair. Throws UsageError naming `what`.
std::pair<long, long> parse_owner(const std::string& text, const std::string& what);

// An octal mode such as 644 or 0640 (permission bits only). Throws UsageError naming `what`.
unsigned parse_mode(const std::string& text, const std::string& what);

// Components joined with "/".
std::string join(const std::vector<std::string>& components);

// "file", "directory", "symlink", "hardlink" or "other".
const char* member_type_name(MemberType type);

// The member name of `child` inside the member `parent`; a parent "." (the root of the upload,
// as an archive PUT to a volume's mount point has it) gives `child` itself.
std::string child_member(const std::string& parent, const std::string& child);

} // namespace sandbox::archive
