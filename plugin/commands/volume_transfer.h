#pragma once

// docker sandbox volume put / get: the data-moving subcommands of `volume`.

#include "commands.h"

namespace sandbox::cli {

cxxopts::Options put_options(const std::string& program);
int run_put(CommandContext& ctx, const Args& args);
cxxopts::Options get_options(const std::string& program);
int run_get(CommandContext& ctx, const Args& args);

} // namespace sandbox::cli
