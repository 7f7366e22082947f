#include "volume/transfer_executor.h"

#include "archive/tar_producer.h"
#include "archive/tar_renamer.h"
#include "engine/container_archive.h"
#include "util/error.h"
#include "util/file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace sandbox::volume {

namespace {

archive::Ownership ownership_of(const plan::TarEntry& entry)
{
  archive::Ownership ownership;
  ownership.uid = entry.uid;
  ownership.gid = entry.gid;
  ownership.mode = entry.mode;
  return ownership;
}

void queue(archive::TarProducer& producer, const plan::TarEntry& entry)
{
  switch (entry.source) {
  case plan::TarEntry::Source::directory:
    producer.add_directory(entry.member, ownership_of(entry));
    break;
  case plan::TarEntry::Source::path:
    for (const std::string& hollow : entry.hollow) {
      producer.add_hollow(archive::child_member(entry.member, hollow), ownership_of(entry));
    }
    producer.add_host_path(entry.host_path, entry.member, ownership_of(entry), entry.identity);
    break;
  case plan::TarEntry::Source::contents:
    for (const std::string& hollow : entry.hollow) {
      producer.add_hollow(archive::child_member(entry.member, hollow), ownership_of(entry));
    }
    for (const std::string& child : directory_entries(entry.host_path)) {
      producer.add_host_path(entry.host_path + "/" + child, archive::child_member(entry.member, child), ownership_of(entry));
    }
    break;
  case plan::TarEntry::Source::stdin_tar:
    producer.add_tar(STDIN_FILENO, entry.member, ownership_of(entry));
    break;
  case plan::TarEntry::Source::bytes:
    producer.add_bytes(entry.bytes, entry.member, entry.mode.value_or(0644), ownership_of(entry));
    break;
  }
}

// An image import answers 200 with a stream of JSON lines, one of which may be an error.
void throw_streamed_error(const std::string& body, const std::string& what)
{
  std::size_t begin = 0;
  while (begin < body.size()) {
    std::size_t end = body.find('\n', begin);
    std::string line = body.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    begin = end == std::string::npos ? body.size() : end + 1;
    try {
      json::Value message = json::parse(line);
      std::string error = message["errorDetail"].string_or("message", message.string_or("error"));
      if (!error.empty()) {
        throw EngineError(500, what + ": " + error);
      }
    } catch (const json::JsonError&) {
      // Not a JSON line: nothing to report.
    }
  }
}

void write_all(int fd, const char* data, std::size_t size)
{
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written <= 0) {
      throw Error(std::string("cannot write the archive: ") + std::strerror(errno));
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

// The upload's reply as the plan records it: {"Sent": {"<member>": {"Type": "file", "Size": 5}}},
// what the tar said of each queued and each top-level member, for the checks that follow it.
json::Value sent_json(const archive::TarProducer& producer)
{
  json::Value members = json::Value::object();
  for (const auto& [name, member] : producer.sent()) {
    json::Value one = json::Value::object();
    one.set("Type", std::string(archive::member_type_name(member.type)));
    one.set("Size", static_cast<std::int64_t>(member.size));
    members.set(name, std::move(one));
  }
  json::Value body = json::Value::object();
  body.set("Sent", std::move(members));
  return body;
}

} // namespace

TransferExecutor::TransferExecutor(engine::EngineClient& client, TransferHooks hooks)
  : HttpExecutor(client), m_hooks(std::move(hooks))
{
}

// An upload step in flight: the body is sent by the constructor, the reply read by wait().
class TransferExecutor::Upload : public plan::PendingReply
{
public:
  Upload(TransferExecutor& owner, const plan::Step& step) : m_owner(owner), m_summary(step.summary)
  {
    for (const plan::TarEntry& entry : step.upload->entries) {
      queue(m_producer, entry);
    }
    m_request = std::make_unique<engine::TarUpload>(owner.m_client, step.method, step.path + engine::encode_query(step.query),
                                                    [this](std::string& chunk) {
                                                      bool more = m_producer.next(chunk);
                                                      if (m_owner.m_hooks.progress) {
                                                        m_owner.m_hooks.progress(m_producer.content_bytes());
                                                      }
                                                      return more;
                                                    },
                                                    owner.m_hooks.cancel_fd);
  }

  plan::Reply wait() override
  {
    throw_streamed_error(m_request->finish(), m_summary);
    for (const std::string& file : m_producer.changed_files()) {
      m_owner.m_changed_files.push_back(file);
    }
    plan::Reply out;
    out.status = 200;
    out.body = sent_json(m_producer);
    return out;
  }

private:
  TransferExecutor& m_owner;
  std::string m_summary;
  archive::TarProducer m_producer;
  std::unique_ptr<engine::TarUpload> m_request;
};

plan::Reply TransferExecutor::execute(const plan::Step& step)
{
  if (step.kind == plan::StepKind::upload && step.upload) {
    return Upload(*this, step).wait();
  }
  if (step.kind == plan::StepKind::download && step.download) {
    return download(step);
  }
  return HttpExecutor::execute(step);
}

std::unique_ptr<plan::PendingReply> TransferExecutor::send(const plan::Step& step)
{
  if (step.kind == plan::StepKind::upload && step.upload) {
    return std::make_unique<Upload>(*this, step);
  }
  return HttpExecutor::send(step);
}

plan::Reply TransferExecutor::download(const plan::Step& step)
{
  const plan::Download& sink = *step.download;
  engine::ArchiveDownload tar(m_client, step.path + engine::encode_query(step.query), m_hooks.cancel_fd);
  auto progress = [&] {
    if (m_hooks.progress) {
      m_hooks.progress(tar.received());
    }
  };
  if (sink.destination == "-") {
    archive::copy_renamed([&](char* buffer, std::size_t size) {
      std::size_t n = tar.read(buffer, size);
      progress();
      return n;
    }, [](const char* data, std::size_t size) { write_all(STDOUT_FILENO, data, size); }, sink.root_name);
  } else {
    archive::ExtractOptions options;
    options.destination = sink.destination;
    options.root_name = sink.root_name;
    options.overwrite = sink.overwrite;
    options.max_bytes = sink.max_bytes - std::min(sink.max_bytes, m_written.bytes);
    std::uint64_t members = m_written.files + m_written.directories + m_written.links;
    options.max_members = sink.max_files - std::min(sink.max_files, members);
    archive::ExtractResult result = archive::extract_safely([&](char* buffer, std::size_t size) {
      std::size_t n = tar.read(buffer, size);
      progress();
      return n;
    }, options);
    m_written.bytes += result.bytes;
    m_written.files += result.files;
    m_written.directories += result.directories;
    m_written.links += result.links;
  }
  plan::Reply out;
  out.status = 200;
  return out;
}

} // namespace sandbox::volume
