#pragma once

// The names in a tar the engine sends, without its contents: what completion offers inside a
// volume (`volume get VOL <TAB>`). The archive comes from the party the sandbox protects against,
// so the listing is bounded and names are placed by the same rules as the extractor's.

#include "archive/member_rules.h"
#include "archive/safe_extractor.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sandbox::archive {

struct ListedEntry
{
  std::string name; // one component: an entry directly below the root that was read
  MemberType type = MemberType::file;
};

// The entries directly below the root (`root_name`, as DownloadNames places it) of the tar that
// `read` yields, in archive order, at most `max_entries`, from at most `max_members` members.
// Names that the extractor would refuse (absolute, "..", control characters, outside the root)
// or longer than 255 bytes are left out. Reading stops at either limit, and when `read` gives no
// more: an archive cut short is listed as far as it goes. Rethrows what `read` throws.
std::vector<ListedEntry> list_entries(const ArchiveReadFn& read, const std::string& root_name, std::size_t max_entries,
                                      std::size_t max_members);

} // namespace sandbox::archive
