#include "archive/member_rules.h"

#include "util/error.h"
#include "util/paths.h"
#include "util/printable.h"

#include <charconv>

namespace sandbox::archive {

std::optional<std::vector<std::string>> member_components(const std::string& name, std::string& why)
{
  if (name.find('\0') != std::string::npos || has_control_character(name)) {
    why = "name contains a control character";
    return std::nullopt;
  }
  if (!name.empty() && name[0] == '/') {
    why = "name is absolute";
    return std::nullopt;
  }
  std::vector<std::string> parts = path_components(name);
  for (const std::string& part : parts) {
    if (part == "..") {
      why = "name contains \"..\"";
      return std::nullopt;
    }
  }
  return parts;
}

RootStyle root_style(const std::string& first_member)
{
  if (first_member == "/") {
    return RootStyle::slash;
  }
  if (first_member == "." || first_member == "./") {
    return RootStyle::dot;
  }
  return RootStyle::named;
}

std::optional<std::vector<std::string>> download_member_components(const std::string& name, const std::string& root_name,
                                                                   RootStyle style, std::string& why)
{
  if (style == RootStyle::named) {
    return member_components(name, why);
  }
  if (name.find('\0') != std::string::npos || has_control_character(name)) {
    why = "name contains a control character";
    return std::nullopt;
  }
  std::vector<std::string> out{root_name};
  if (style == RootStyle::dot) {
    if (name == "." || name == "./") {
      return out;
    }
    std::optional<std::vector<std::string>> parts = member_components(name, why);
    if (!parts) {
      return std::nullopt;
    }
    out.insert(out.end(), parts->begin(), parts->end());
    return out;
  }
  // Slash: exactly "/" or "/a/b" (or "/a/b/"), nothing looser.
  if (name.empty() || name[0] != '/') {
    why = "name is not below the root \"/\" that the archive began with";
    return std::nullopt;
  }
  std::string rest = name.substr(1);
  if (!rest.empty() && rest.back() == '/') {
    rest.pop_back();
  }
  if (rest.empty()) {
    return out;
  }
  std::size_t begin = 0;
  while (true) {
    std::size_t end = rest.find('/', begin);
    std::string part = rest.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (part.empty() || part == "." || part == "..") {
      why = part == ".." ? "name contains \"..\"" : "name is not a plain path below the root \"/\"";
      return std::nullopt;
    }
    out.push_back(part);
    if (end == std::string::npos) {
      break;
    }
    begin = end + 1;
  }
  return out;
}

std::optional<std::vector<std::string>> DownloadNames::place(const std::string& name, std::string& why)
{
  if (!m_style) {
    m_style = root_style(name);
  }
  std::optional<std::vector<std::string>> parts = download_member_components(name, m_root_name, *m_style, why);
  if (!parts) {
    return std::nullopt;
  }
  if (parts->empty()) {
    why = "name is empty";
    return std::nullopt;
  }
  if ((*parts)[0] != m_root_name) {
    why = "name is not below " + m_root_name;
    return std::nullopt;
  }
  return parts;
}

std::optional<std::string> symlink_escape(const std::vector<std::string>& link, const std::string& target)
{
  if (target.empty()) {
    return "it is a symbolic link with an empty target";
  }
  if (has_control_character(target)) {
    return "it is a symbolic link whose target contains a control character";
  }
  if (target[0] == '/') {
    return "it is a symbolic link to an absolute path (" + target + ")";
  }
  // The link's directory is `link` minus its last component.
  std::size_t depth = link.empty() ? 0 : link.size() - 1;
  for (const std::string& part : path_components(target)) {
    if (part != "..") {
      ++depth;
    } else if (depth == 0) {
      return "it is a symbolic link that points outside the destination (" + target + ")";
    } else {
      --depth;
    }
  }
  return std::nullopt;
}

std::optional<std::string> unsupported_type(MemberType type)
{
  if (type == MemberType::other) {
    return "it is a device, FIFO or socket";
  }
  return std::nullopt;
}

unsigned permissions(unsigned mode, std::optional<unsigned> forced, MemberType type)
{
  if (type == MemberType::symlink) {
    return 0777;
  }
  unsigned bits = forced.value_or(mode) & 0777;
  if (forced && type == MemberType::directory) {
    bits |= (bits & 0444) >> 2;
  }
  return bits;
}

std::pair<long, long> parse_owner(const std::string& text, const std::string& what)
{
  auto number = [&](const std::string& part) {
    long value = -1;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || ptr != part.data() + part.size() || value < 0 || value > 0x7fffffff) {
      throw UsageError("invalid " + what + " \"" + text + "\": expected UID:GID, two numbers");
    }
    return value;
  };
  std::size_t colon = text.find(':');
  if (colon == std::string::npos) {
    throw UsageError("invalid " + what + " \"" + text + "\": expected UID:GID, two numbers");
  }
  return {number(text.substr(0, colon)), number(text.substr(colon + 1))};
}

unsigned parse_mode(const std::string& text, const std::string& what)
{
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 8);
  if (text.empty() || text.size() > 4 || ec != std::errc() || ptr != text.data() + text.size() || value > 0777) {
    throw UsageError("invalid " + what + " \"" + text + "\": expected octal permission bits such as 644 or 0750");
  }
  return value;
}

std::string join(const std::vector<std::string>& components)
{
  std::string out;
  for (const std::string& part : components) {
    out += (out.empty() ? "" : "/") + part;
  }
  return out;
}

const char* member_type_name(MemberType type)
{
  switch (type) {
  case MemberType::file:
    return "file";
  case MemberType::directory:
    return "directory";
  case MemberType::symlink:
    return "symlink";
  case MemberType::hardlink:
    return "hardlink";
  case MemberType::other:
    break;
  }
  return "other";
}

std::string child_member(const std::string& parent, const std::string& child)
{
  return parent == "." ? child : parent + "/" + child;
}

} // namespace sandbox::archive
