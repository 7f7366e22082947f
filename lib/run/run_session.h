#pragma once

// The live executor of a run plan: ordinary steps go over HTTP; the attach step hijacks a
// connection and the wait step arms a long poll, both on raw sockets; monitor() then drives one
// poll() loop that streams output, forwards stdin and window sizes, and turns cancellation and
// --timeout into signal, grace period, kill.

#include "engine/raw_connection.h"
#include "plan/executor.h"
#include "volume/transfer_executor.h"
#include "run/run_options.h"
#include "engine/stream_demuxer.h"
#include "util/error.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace sandbox::run {

struct RunIo
{
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
  int resize_fd = -1; // readable when the terminal changed size (SIGWINCH), or -1
  std::function<std::optional<std::pair<int, int>>()> terminal_size; // rows, columns
  std::function<void(const std::string&)> progress;                   // pull progress lines
  std::function<void(const std::string&)> notice; // a line for the user while attached (a refused detach)
};

enum class RunEnd {
  exited,        // the command ended by itself
  timed_out,     // --timeout stopped it
  cancelled,     // SIGINT, SIGTERM or plugin-socket EOF stopped it
  output_closed, // whoever reads our stdout went away (`... | head -n 1`), so it was stopped
  detached,      // the user typed the detach keys: the sandbox goes on, without the plugin
};

struct RunOutcome
{
  RunEnd end = RunEnd::exited;
  int status_code = 0;     // the container's exit code (wait reply)
  std::string wait_error;  // the wait reply's Error.Message, if any
};

class RunSession : public volume::TransferExecutor
{
public:
  RunSession(engine::EngineClient& client, const RunOptions& options, RunIo io, volume::TransferHooks hooks = {});
  ~RunSession() override;

  plan::Reply execute(const plan::Step& step) override;

  // Runs until the container has exited and its output is drained, or until the user typed the
  // detach keys in a run that may go on without the plugin (RunEnd::detached). `container` is its id.
  RunOutcome monitor(const std::string& container);
  // The same for an exec (`exec` is its id): it ends with its stream; the user's detach keys, a
  // signal or a closed output end the session, never the process (the engine cannot signal it).
  RunOutcome monitor_exec(const std::string& exec);

private:
  struct Watched
  {
    std::string id; // the container's, or the exec's
    bool exec = false;
  };
  RunOutcome watch(const Watched& watched);
  void pull(const plan::Step& step);
  void write_output(int fd, const char* data, std::size_t size);
  void signal_container(const std::string& container, const std::string& signal);
  // Sends the user's terminal size (TTY runs).
  void resize(const Watched& watched);

  const RunOptions& m_options;
  RunIo m_io;
  std::unique_ptr<engine::RawConnection> m_attach;
  std::unique_ptr<engine::RawConnection> m_wait;
  bool m_wait_chunked = false;
  engine::StreamDemuxer m_demuxer;
  bool m_stdout_open = true;
  bool m_stderr_open = true;
};

// The exit code `docker run` gives when start fails with `message`: 127 (not found), 126 (cannot
// be invoked), or 125. Matches runc's, crun's and Podman's wordings, whatever their case.
int start_failure_exit_code(const std::string& message);

// The line for a start that failed with `message`: runc's own words from `exec` on when it holds
// them (`exec: "NAME": ...`, as the command lookup gives them, or `exec NAME: ...`), else "run:
// cannot start the command: <message>".
std::string start_failure_line(const std::string& message);

} // namespace sandbox::run
