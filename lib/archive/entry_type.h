#pragma once

// The member type of an entry libarchive read: shared by the readers of a hostile tar (the safe
// extractor and the listing), so that both see the same types.

#include "archive/member_rules.h"

#include <archive_entry.h>

namespace sandbox::archive {

inline MemberType member_type(archive_entry* entry)
{
  if (archive_entry_hardlink(entry)) {
    return MemberType::hardlink;
  }
  switch (archive_entry_filetype(entry)) {
  case AE_IFREG:
    return MemberType::file;
  case AE_IFDIR:
    return MemberType::directory;
  case AE_IFLNK:
    return MemberType::symlink;
  default:
    return MemberType::other;
  }
}

} // namespace sandbox::archive
