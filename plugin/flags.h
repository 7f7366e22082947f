#pragma once

// cxxopts, configured in one place: repeated flags keep their commas, so that
// `--tmpfs /x:size=1m,exec` stays one value. Include this, never <cxxopts.hpp> directly.

#define CXXOPTS_VECTOR_DELIMITER '\0'
#include <cxxopts.hpp>
