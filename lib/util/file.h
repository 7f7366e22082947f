#pragma once

// Small filesystem helpers that throw sandbox::Error with the path in the message.

#include <optional>
#include <string>
#include <vector>

namespace sandbox {

// The whole file, or nullopt when it does not exist. Throws Error on any other failure.
std::optional<std::string> read_file_if_exists(const std::string& path);

// The whole file. Throws Error ("open <path>: <reason>") when it cannot be read.
std::string read_file(const std::string& path);

// The whole file, which must be a regular file of at most `max_bytes` (a project's settings file
// could be a FIFO or a link to /dev/zero). Throws Error naming the path otherwise.
std::string read_regular_file(const std::string& path, std::size_t max_bytes);

// A regular file read through one descriptor, so that the bytes and the name belong together.
struct FileSnapshot
{
  std::string real_path; // absolute, every symbolic link resolved
  std::string content;
};

// Reads `path` like read_regular_file. Without `follow_links`, a symbolic link at the end of
// `path` is refused. Throws Error naming the path.
FileSnapshot snapshot_regular_file(const std::string& path, std::size_t max_bytes, bool follow_links);

// Writes `text` to `name` in the directory `dir_fd` (AT_FDCWD: `name` is a path), created (mode
// 0666 less the umask) or emptied first. Only a regular file is written: a symbolic link there is
// refused, and so is a FIFO or a device, without waiting for a reader. Throws Error naming `name`.
void write_file_at(int dir_fd, const std::string& name, const std::string& text);

bool path_exists(const std::string& path);

// The names in a directory, sorted, without "." and "..". Throws Error naming the path.
std::vector<std::string> directory_entries(const std::string& path);

// True when `path` is a directory with nothing in it.
bool is_empty_directory(const std::string& path);

// Creates the absolute directory `path` and its missing parents (mode 0755). Returns those it
// created, outermost first. Throws Error naming the first one it could not create.
std::vector<std::string> make_directories(const std::string& path);

} // namespace sandbox
