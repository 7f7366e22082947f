#pragma once

#include <string>

namespace sandbox::cli {

// docker-sandbox(1) in troff, built from the same command table and flag help the binary prints.
std::string man_page();

} // namespace sandbox::cli
