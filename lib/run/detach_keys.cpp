#include "run/detach_keys.h"

#include "util/error.h"
#include "util/printable.h"

#include <array>

namespace sandbox::run {

namespace {

// moby/term's ASCII table: the name of each control character, by its code.
constexpr std::array<std::string_view, 32> k_control_names{
  "ctrl-@", "ctrl-a", "ctrl-b", "ctrl-c", "ctrl-d", "ctrl-e", "ctrl-f", "ctrl-g", "ctrl-h", "ctrl-i", "ctrl-j",
  "ctrl-k", "ctrl-l", "ctrl-m", "ctrl-n", "ctrl-o", "ctrl-p", "ctrl-q", "ctrl-r", "ctrl-s", "ctrl-t", "ctrl-u",
  "ctrl-v", "ctrl-w", "ctrl-x", "ctrl-y", "ctrl-z", "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_"};

} // namespace

std::string parse_detach_keys(const std::string& spec, const std::string& what)
{
  std::string bytes;
  std::size_t begin = 0;
  for (;;) {
    std::size_t comma = spec.find(',', begin);
    std::string key = spec.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
    if (key.size() == 1) {
      bytes += key;
    } else {
      std::size_t code = 0;
      while (code < k_control_names.size() && k_control_names[code] != key) {
        ++code;
      }
      if (code == k_control_names.size()) {
        throw UsageError(what + " " + printable(spec) + ": unknown key \"" + printable(key)
                         + "\" (keys are a single character or ctrl-a..ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], "
                           "ctrl-^, ctrl-_, separated by commas)");
      }
      bytes += static_cast<char>(code);
    }
    if (comma == std::string::npos) {
      return bytes;
    }
    begin = comma + 1;
  }
}

DetachKeyFilter::Result DetachKeyFilter::feed(std::string_view typed)
{
  Result result;
  for (char byte : typed) {
    ++result.consumed;
    m_held += byte;
    // Keep the longest end that still begins the sequence; what falls off it goes out.
    while (!m_held.empty() && m_keys.compare(0, m_held.size(), m_held) != 0) {
      result.forward += m_held.front();
      m_held.erase(0, 1);
    }
    if (m_held.size() == m_keys.size()) {
      m_held.clear();
      result.detached = true;
      return result;
    }
  }
  return result;
}

std::string detach_refusal(const RunOptions& options)
{
  if (options.timeout) {
    return "--timeout is enforced by this session";
  }
  if (!options.collects.empty()) {
    return "--collect copies its results when it ends";
  }
  if (!options.inputs.empty() || options.output_volume || options.workspace_copy) {
    return "the run's volumes are emptied and removed when it ends";
  }
  if (options.staged_output) {
    return "what it writes to its output is moved into " + options.staged_output->target + " when it ends (--output none leaves nothing to deliver)";
  }
  return "";
}

} // namespace sandbox::run
