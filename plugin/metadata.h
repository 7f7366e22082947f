#pragma once

#include <string>
#include <string_view>

namespace sandbox::cli {

inline constexpr std::string_view k_short_description = "Run untrusted code in a locked-down container";

// The JSON the docker CLI reads from `docker-sandbox docker-cli-plugin-metadata`. It touches
// nothing: the CLI runs it before every plugin call.
std::string plugin_metadata();

} // namespace sandbox::cli
