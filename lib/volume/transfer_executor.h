#pragma once

// The live executor for plans that move data: ordinary requests go through HttpExecutor, upload
// steps stream a tar built from the host files the step names, download steps extract the tar
// the engine sends (safely, under the step's caps) or copy it to stdout, its members renamed as
// the extractor places them. Run, volume put and volume get all send their plans through it.

#include "plan/executor.h"
#include "archive/safe_extractor.h"
#include "volume/volume_transfer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sandbox::volume {

class TransferExecutor : public plan::HttpExecutor
{
public:
  TransferExecutor(engine::EngineClient& client, TransferHooks hooks);

  plan::Reply execute(const plan::Step& step) override;
  // An upload's body is sent at once and its reply read by wait() (the engine unpacks meanwhile).
  std::unique_ptr<plan::PendingReply> send(const plan::Step& step) override;

  // Files that changed while an upload read them (they went in as they were when it began).
  const std::vector<std::string>& changed_files() const { return m_changed_files; }
  // What the downloads wrote so far, all together.
  const archive::ExtractResult& written() const { return m_written; }

private:
  class Upload;
  plan::Reply download(const plan::Step& step);

  TransferHooks m_hooks;
  std::vector<std::string> m_changed_files;
  archive::ExtractResult m_written;
};

} // namespace sandbox::volume
