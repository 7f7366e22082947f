#include "util/trace.h"

namespace sandbox {

namespace {

std::function<void(const std::string&)>& sink()
{
  static std::function<void(const std::string&)> s_sink;
  return s_sink;
}

} // namespace

void set_trace_sink(std::function<void(const std::string&)> new_sink)
{
  sink() = std::move(new_sink);
}

bool tracing()
{
  return static_cast<bool>(sink());
}

void trace(const std::string& line)
{
  if (sink()) {
    sink()(line);
  }
}

} // namespace sandbox
