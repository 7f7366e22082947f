#pragma once

// docker sandbox volume put / get: the data-moving subcommands of `volume`.

#include "commands.h"

#include "volume/volume_transfer.h"

namespace sandbox::cli {

// Who asks for a transfer: `tenant`, and the helper's labels and name (created now, owned by this
// process, so that prune spares it).
volume::Requester transfer_requester(const std::optional<std::string>& tenant);

cxxopts::Options put_options(const std::string& program);
int run_put(CommandContext& ctx, const Args& args);
cxxopts::Options get_options(const std::string& program);
int run_get(CommandContext& ctx, const Args& args);

} // namespace sandbox::cli
