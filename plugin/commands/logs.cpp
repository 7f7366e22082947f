// docker sandbox logs [-f] [--tail N] [-t] SANDBOX: what a sandbox of ours wrote, as docker logs
// shows it: stdout to stdout, stderr to stderr, byte for byte (a detached sandbox keeps a bounded
// log, run/defaults.h; an attached run keeps none).

#include "commands.h"
#include "expired_sandboxes.h"
#include "plan_flags.h"

#include "engine/stream_demuxer.h"
#include "managed/containers.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/printable.h"
#include "util/units.h"

#include <cerrno>
#include <ostream>
#include <unistd.h>

namespace sandbox::cli {

namespace {

void write_all(int fd, const char* data, std::size_t size)
{
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      throw Cancelled(); // whoever read our output went away
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

} // namespace

cxxopts::Options logs_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "logs", "[OPTIONS] SANDBOX");
  options.add_options()
    ("f,follow", "Follow the output until the sandbox stops")
    ("n,tail", "Only this many lines from the end (default all)", cxxopts::value<std::string>(), "N")
    ("t,timestamps", "Show timestamps")
    ("h,help", "Print usage");
  options.parse_positional({"sandbox"});
  options.add_options()("sandbox", "", cxxopts::value<std::vector<std::string>>());
  return options;
}

int run_logs(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = logs_options(ctx.program());
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, args);
  if (!parsed) {
    return 0;
  }
  std::vector<std::string> sandboxes = list_flag(*parsed, "sandbox");
  if (sandboxes.size() != 1) {
    throw UsageError("logs needs exactly one sandbox");
  }
  engine::Query query{{"stdout", "1"}, {"stderr", "1"}};
  if (parsed->count("follow")) {
    query.emplace_back("follow", "1");
  }
  if (std::optional<std::string> tail = optional_flag<std::string>(*parsed, "tail")) {
    std::optional<std::int64_t> lines = parse_integer(*tail);
    if (*tail != "all" && (!lines || *lines < 0)) {
      throw UsageError("invalid --tail \"" + printable(*tail) + "\": expected a number of lines, or all");
    }
    query.emplace_back("tail", *tail);
  }
  if (parsed->count("timestamps")) {
    query.emplace_back("timestamps", "1");
  }
  remove_expired_sandboxes(ctx, {});
  engine::EngineClient& client = ctx.client();
  managed::ManagedContainer c = managed::find_managed_container(client, sandboxes[0]);
  const json::Value config = client.get_json("/containers/" + c.id + "/json")["Config"];
  bool tty = config["Tty"].is_bool() && config["Tty"].as_bool();
  engine::StreamDemuxer demuxer;
  engine::HttpRequest request;
  request.method = "GET";
  request.target = "/containers/" + c.id + "/logs" + engine::encode_query(query);
  request.timeout_seconds = 0;
  request.on_data = [&](const char* data, std::size_t size) {
    ctx.out() << std::flush;
    if (tty) {
      write_all(STDOUT_FILENO, data, size); // one stream, as written
    } else {
      demuxer.feed(data, size, [](engine::StdStream stream, const char* piece, std::size_t length) {
        write_all(stream == engine::StdStream::stdout_stream ? STDOUT_FILENO : STDERR_FILENO, piece, length);
      });
    }
    return !CancelToken::instance().requested();
  };
  client.call(std::move(request));
  CancelToken::instance().throw_if_requested();
  return 0;
}

} // namespace sandbox::cli
