#pragma once

#include "util/error.h"

#include <string>
#include <utility>
#include <vector>

namespace sandbox::run {

// Collects problems so that the user sees all of them at once (mold style).
class Problems
{
public:
  void add(std::string problem) { m_list.push_back(std::move(problem)); }
  template <typename F> void check(F body)
  {
    try {
      body();
    } catch (const UsageError& e) {
      add(e.what());
    }
  }
  void throw_if_any() const
  {
    if (m_list.empty()) {
      return;
    }
    std::string text = m_list.front();
    for (std::size_t i = 1; i < m_list.size(); ++i) {
      text += "; " + m_list[i];
    }
    throw UsageError(text);
  }

private:
  std::vector<std::string> m_list;
};

} // namespace sandbox::run
