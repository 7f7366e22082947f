#pragma once

// A program that ships inside the plugin and runs in the engine's containers: the egress proxy of
// `run --allow-host`, the init of a detached sandbox. Static, built for this plugin's architecture,
// so a live run first checks that the engine runs on the same one.

#include "plan/plan.h"

#include <string>
#include <string_view>

namespace sandbox::run {

struct ShippedProgram
{
  std::string_view bytes;
  std::string digest; // hex SHA-256, where it names something (the egress proxy's image)
};

// GET /version, refusing (UsageError) an engine on another architecture than the programs';
// `flag` is the option that needs `program` ("--allow-host", "the egress proxy").
plan::Step architecture_step(const std::string& id, const std::string& flag, const std::string& program);

} // namespace sandbox::run
