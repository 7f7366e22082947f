#pragma once

// libarchive's reason for the last failure. archive_error_string() returns NULL when libarchive
// set no message (a truncated or damaged archive can do that), which must not reach a std::string.

#include <archive.h>
#include <string>

namespace sandbox::archive {

inline std::string error_text(struct archive* handle)
{
  const char* text = archive_error_string(handle);
  return text ? text : "damaged or truncated archive";
}

} // namespace sandbox::archive
