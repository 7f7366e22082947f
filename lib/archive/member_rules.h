#pragma once

// The rules every tar member must pass before it is written anywhere: on the host by
// `volume get` (the volume's content is written by an untrusted sandbox) and into a volume by
// `volume put -` (a tar from stdin). Pure functions, so that each rule has a unit test.

#include <optional>
#include <string>
#include <vector>

namespace sandbox::archive {

enum class MemberType { file, directory, symlink, hardlink, other };

// A member's name split into components, with "" and "." dropped ("./a//b/" -> {"a", "b"};
// "./" -> {}). Returns nullopt, with the reason in `why`, when the name is absolute, has a ".."
// component, or contains a control character (NUL, newline, ...).
std::optional<std::vector<std::string>> member_components(const std::string& name, std::string& why);

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

} // namespace sandbox::archive
