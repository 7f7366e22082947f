#pragma once

#include <string>
#include <vector>

namespace sandbox::cli {

struct ManPage
{
  std::string name; // "docker-sandbox-run": the file is NAME.1
  std::string troff;
};

// docker-sandbox(1) and one page per command (docker-sandbox-run(1), docker-sandbox-volume-ls(1),
// ...), in troff, built from the same command table and flag help that --help prints.
std::vector<ManPage> man_pages();

} // namespace sandbox::cli
