#pragma once

// Debug tracing (docker -D, --log-level debug): the library reports what it sends through one
// process-wide sink that plugin/ installs; without a sink, tracing costs a branch.

#include <functional>
#include <string>

namespace sandbox {

void set_trace_sink(std::function<void(const std::string&)> sink);
bool tracing();
void trace(const std::string& line);

} // namespace sandbox
