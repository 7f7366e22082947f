#pragma once

// libarchive's reason for the last failure. archive_error_string() returns NULL when libarchive
// set no message (a damaged stdin tar did that, found by fuzz.tar_input), which must not reach a
// std::string.

#include <archive.h>
#include <cstring>
#include <string>

namespace sandbox::archive {

inline std::string error_text(struct archive* handle)
{
  if (const char* text = archive_error_string(handle)) {
    return text;
  }
  int code = archive_errno(handle);
  return code > 0 ? std::strerror(code) : "libarchive gave no reason";
}

} // namespace sandbox::archive
