#pragma once

// A one-line progress display on stderr for long copies, redrawn at most ten times a second,
// shown only when stderr is a terminal.

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace sandbox::cli {

class ProgressBar
{
public:
  // `total`: bytes expected, when known (a percentage and bar are shown then).
  ProgressBar(std::ostream& err, bool enabled, std::string label, std::optional<std::uint64_t> total);
  // Clears the line, so that what follows starts on a clean line.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uint64_t done);

private:
  void draw(std::uint64_t done);

  std::ostream& m_err;
  bool m_enabled;
  std::string m_label;
  std::optional<std::uint64_t> m_total;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last_draw;
  bool m_drawn = false;
};

} // namespace sandbox::cli
