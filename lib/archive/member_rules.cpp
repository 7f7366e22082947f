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

} // namespace sandbox::archive
