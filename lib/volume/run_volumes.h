#pragma once

// The volumes of one `docker sandbox run --tenant T --input ... --collect ...`: the run's input
// volumes (filled from the host, mounted read-only) and its output volume (owned by the sandbox
// user), created before the sandbox, read back after it, and removed on every exit path unless
// kept. Also the tenant check of --volume: a run mounts only its own tenant's volumes.

#include "engine/engine_client.h"
#include "run/run_options.h"
#include "volume/volume_transfer.h"

#include <string>
#include <vector>

namespace sandbox::volume {

class RunVolumes
{
public:
  RunVolumes(engine::EngineClient& client, const run::RunOptions& options);
  // Removes the volumes prepare() created, unless keep() was called; errors are ignored here
  // (remove() reports them), so that a failing engine cannot hide the error that got us here.
  ~RunVolumes();
  RunVolumes(const RunVolumes&) = delete;
  RunVolumes& operator=(const RunVolumes&) = delete;

  // Checks every --volume against the tenant, then creates the run's volumes and fills them in
  // one upload. Throws Error (another tenant's volume, a missing one), EngineError, Cancelled.
  void prepare(const TransferHooks& hooks);

  // Copies each --collect path out of the exited sandbox `container`. Returns one problem per
  // path that could not be collected.
  std::vector<std::string> collect(const std::string& container, const TransferHooks& hooks);

  // Removes the volumes now. Returns one line per volume that could not be removed.
  std::vector<std::string> remove();
  void keep() { m_kept = true; }
  bool kept() const { return m_kept; }
  const std::vector<std::string>& created() const { return m_created; }

private:
  engine::EngineClient& m_client;
  const run::RunOptions& m_options;
  std::vector<std::string> m_created;
  bool m_kept = false;
};

} // namespace sandbox::volume
