#include "progress_bar.h"

#include "util/units.h"

#include <algorithm>

namespace sandbox::cli {

namespace {

constexpr auto k_redraw = std::chrono::milliseconds(100);
constexpr int k_width = 24;

} // namespace

ProgressBar::ProgressBar(std::ostream& err, bool enabled, std::string label, std::optional<std::uint64_t> total)
  : m_err(err), m_enabled(enabled), m_label(std::move(label)), m_total(total),
    m_start(std::chrono::steady_clock::now()), m_last_draw(m_start)
{
}

ProgressBar::~ProgressBar()
{
  if (m_drawn) {
    m_err << "\r\033[K" << std::flush;
  }
}

void ProgressBar::update(std::uint64_t done)
{
  auto now = std::chrono::steady_clock::now();
  if (!m_enabled || now - m_last_draw < k_redraw) {
    return;
  }
  m_last_draw = now;
  draw(done);
}

void ProgressBar::draw(std::uint64_t done)
{
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  std::string line = "\r" + m_label + " ";
  if (m_total && *m_total > 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(*m_total));
    int filled = static_cast<int>(fraction * k_width);
    line += "[" + std::string(static_cast<std::size_t>(filled), '=') + std::string(static_cast<std::size_t>(k_width - filled), ' ')
            + "] " + std::to_string(static_cast<int>(fraction * 100)) + "% " + format_bytes(done)
            + "/" + format_bytes(*m_total);
  } else {
    line += format_bytes(done);
  }
  if (seconds > 0.5) {
    line += "  " + format_bytes(static_cast<std::uint64_t>(static_cast<double>(done) / seconds)) + "/s";
  }
  m_err << line << "\033[K" << std::flush;
  m_drawn = true;
}

} // namespace sandbox::cli
