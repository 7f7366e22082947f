#include "volume/volume_listing.h"

#include "engine/container_archive.h"
#include "util/error.h"

namespace sandbox::volume {

plan::Reply ListingExecutor::execute(const plan::Step& step)
{
  if (step.kind != plan::StepKind::download || !step.download) {
    return HttpExecutor::execute(step);
  }
  engine::ArchiveDownload tar(m_client, step.path + engine::encode_query(step.query), m_limits.cancel_fd);
  m_entries = archive::list_entries([&](char* buffer, std::size_t size) -> std::size_t {
    if (tar.received() >= m_limits.max_bytes) {
      return 0;
    }
    try {
      return tar.read(buffer, size);
    } catch (const Cancelled&) {
      return 0; // time is up: list what came so far
    }
  }, step.download->root_name, m_limits.max_entries, m_limits.max_members);
  plan::Reply out;
  out.status = 200;
  return out;
}

std::vector<archive::ListedEntry> list_volume_directory(engine::EngineClient& client, const VolumeRead& read,
                                                        const Requester& requester, const ListingLimits& limits)
{
  plan::Download nowhere; // the listing executor reads the download; nothing is written
  ListingExecutor executor(client, limits);
  plan::run_plan(plan_get(read, nowhere, requester, client.api_version()), executor);
  return executor.entries();
}

} // namespace sandbox::volume
