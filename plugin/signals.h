#pragma once

#include <string>

namespace sandbox::cli {

// Routes SIGINT and SIGTERM to the process CancelToken instead of letting them kill us (the CLI
// would report 255), and ignores SIGPIPE.
void install_signal_handlers();

// Connects to DOCKER_CLI_PLUGIN_SOCKET (abstract "@name" or a path) and raises the CancelToken
// when the CLI closes it. Does nothing when the variable is unset or the connect fails, as the
// Go plugin library does.
void watch_plugin_socket();

// The exit code for an interrupted command: 130 for SIGINT, 143 for SIGTERM (and for socket EOF,
// which the CLI sends on either signal, 130).
int cancelled_exit_code();
// What interrupted the command, for its last line: "interrupted by SIGINT", ...
std::string interruption();

} // namespace sandbox::cli
