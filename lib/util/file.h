#pragma once

// Small filesystem helpers that throw sandbox::Error with the path in the message.

#include <optional>
#include <string>

namespace sandbox {

// The whole file, or nullopt when it does not exist. Throws Error on any other failure.
std::optional<std::string> read_file_if_exists(const std::string& path);

// The whole file. Throws Error ("open <path>: <reason>") when it cannot be read.
std::string read_file(const std::string& path);

bool path_exists(const std::string& path);

} // namespace sandbox
