#pragma once

// Completion's look into a volume (`volume get VOL <TAB>`): volume get's own plan, whose download
// is read as a listing of the directory instead of being extracted. The checks of the volume and
// of each component of the path, the read-only helper and its removal are those of `get`.

#include "archive/tar_listing.h"
#include "plan/executor.h"
#include "volume/volume_transfer.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sandbox::volume {

struct ListingLimits
{
  std::size_t max_entries = 1000;          // entries directly below the directory
  std::size_t max_members = 100'000;       // members of the tar read through
  std::uint64_t max_bytes = 64ull << 20;   // bytes of the tar read
  int cancel_fd = -1;                      // readable when time is up: the listing ends there
};

// An executor that lists what each download step would have extracted.
class ListingExecutor : public plan::HttpExecutor
{
public:
  ListingExecutor(engine::EngineClient& client, ListingLimits limits) : HttpExecutor(client), m_limits(limits) {}

  plan::Reply execute(const plan::Step& step) override;
  const std::vector<archive::ListedEntry>& entries() const { return m_entries; }

private:
  ListingLimits m_limits;
  std::vector<archive::ListedEntry> m_entries;
};

// The entries of directory `read.path` ("" for the root) of volume `read.volume`, as far as the
// limits let the listing go. Throws what `volume get` would throw before its download (no such
// volume, another tenant's, a link on the path), and what the engine's requests throw.
std::vector<archive::ListedEntry> list_volume_directory(engine::EngineClient& client, const VolumeRead& read,
                                                        const Requester& requester, const ListingLimits& limits);

} // namespace sandbox::volume
