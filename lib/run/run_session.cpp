#include "run/run_session.h"

#include "engine/raw_http.h"
#include "run/detach_keys.h"
#include "util/cancel.h"
#include "util/error.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <thread>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace sandbox::run {

namespace {

using Clock = std::chrono::steady_clock;

// After the container has exited, the engine closes the attach stream once the output is out;
// this bounds how long we wait for that.
constexpr std::chrono::seconds k_drain_limit{5};

int milliseconds_until(Clock::time_point deadline)
{
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000));
}

const char* signal_name(int reason)
{
  return reason == SIGTERM ? "SIGTERM" : "SIGINT";
}

// Copies stdin to the attach connection until stdin ends (then half-closes, which StdinOnce turns
// into EOF for the process; a TTY ignores it) or until destroyed. With a DetachKeyFilter (TTY
// runs), the detach keys are kept from the engine, which would otherwise end the attach stream
// on them; each time they are typed, detach_fd() becomes readable. Once `stop_on_detach`, nothing
// is read after them.
class StdinPump
{
public:
  StdinPump(int stdin_fd, engine::RawConnection& connection, bool half_close, std::optional<DetachKeyFilter> filter,
            bool stop_on_detach)
    : m_stdin(stdin_fd), m_connection(connection), m_half_close(half_close), m_filter(std::move(filter)),
      m_stop_on_detach(stop_on_detach)
  {
    if (::pipe2(m_stop, O_CLOEXEC) != 0 || ::pipe2(m_detached, O_CLOEXEC | O_NONBLOCK) != 0) {
      throw Error(std::string("pipe: ") + std::strerror(errno));
    }
    m_thread = std::thread([this] { pump(); });
  }
  ~StdinPump()
  {
    (void)!::write(m_stop[1], "x", 1);
    // A write blocked on a full socket ends once the connection is shut down.
    m_connection.abort_writes();
    m_thread.join();
    for (int fd : {m_stop[0], m_stop[1], m_detached[0], m_detached[1]}) {
      ::close(fd);
    }
  }
  StdinPump(const StdinPump&) = delete;
  StdinPump& operator=(const StdinPump&) = delete;

  int detach_fd() const { return m_detached[0]; }

private:
  void pump()
  {
    char buffer[16384];
    for (;;) {
      pollfd fds[2] = {{m_stdin, POLLIN, 0}, {m_stop[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
        return;
      }
      if (fds[1].revents != 0) {
        return;
      }
      if (fds[0].revents == 0) {
        continue;
      }
      ssize_t n = ::read(m_stdin, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        continue;
      }
      try {
        if (n <= 0) {
          if (m_half_close) {
            m_connection.close_write();
          }
          return;
        }
        if (!forward(std::string_view(buffer, static_cast<std::size_t>(n)))) {
          return;
        }
      } catch (const Error&) {
        return; // the container went away; its output and exit code tell the story
      }
    }
  }

  // Sends what was typed, less the detach keys; false once they ended the pumping.
  bool forward(std::string_view typed)
  {
    if (!m_filter) {
      m_connection.write_all(typed.data(), typed.size());
      return true;
    }
    while (!typed.empty()) {
      DetachKeyFilter::Result result = m_filter->feed(typed);
      if (!result.forward.empty()) {
        m_connection.write_all(result.forward.data(), result.forward.size());
      }
      typed.remove_prefix(result.consumed);
      if (result.detached) {
        (void)!::write(m_detached[1], "d", 1);
        if (m_stop_on_detach) {
          return false;
        }
      }
    }
    return true;
  }

  int m_stdin;
  engine::RawConnection& m_connection;
  bool m_half_close;
  std::optional<DetachKeyFilter> m_filter;
  bool m_stop_on_detach;
  int m_stop[2] = {-1, -1};
  int m_detached[2] = {-1, -1};
  std::thread m_thread;
};

} // namespace

int start_failure_exit_code(const std::string& message)
{
  std::string text = message;
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (text.find("executable file not found") != std::string::npos || text.find("no such file or directory") != std::string::npos
      || text.find("attempted to invoke a command that was not found") != std::string::npos) {
    return 127;
  }
  if (text.find("permission denied") != std::string::npos || text.find("is a directory") != std::string::npos) {
    return 126;
  }
  return 125;
}

std::string start_failure_line(const std::string& message)
{
  // runc: `... unable to start container process: exec: "nosuch": executable file not found in
  // $PATH: unknown` (its lookup), or `... process: exec /x: permission denied: unknown` (the
  // execve; newer runc says `... process: error during container init: exec: "/x": permission
  // denied`), where ": unknown" is containerd's error class; Podman appends its own (": OCI
  // permission denied").
  const std::string process = "unable to start container process: ";
  std::size_t start = message.find(process);
  std::size_t from = start == std::string::npos ? 0 : start + process.size();
  std::size_t exec = std::min(message.find("exec: \"", from), message.find("exec /", from));
  if (exec == std::string::npos || (start == std::string::npos && message.compare(exec, 6, "exec: ") != 0)) {
    return "run: cannot start the command: " + message;
  }
  std::string line = message.substr(exec);
  line = line.substr(0, line.find(": OCI "));
  const std::string unknown = ": unknown";
  if (line.size() > unknown.size() && line.compare(line.size() - unknown.size(), unknown.size(), unknown) == 0) {
    line.resize(line.size() - unknown.size());
  }
  return line;
}

RunSession::RunSession(engine::EngineClient& client, const RunOptions& options, RunIo io, volume::TransferHooks hooks)
  : TransferExecutor(client, std::move(hooks)), m_options(options), m_io(std::move(io))
{
}

RunSession::~RunSession() = default;

plan::Reply RunSession::execute(const plan::Step& step)
{
  plan::Reply done;
  done.status = 200;
  switch (step.kind) {
  case plan::StepKind::attach:
    m_attach = engine::hijack(m_client, step.path + engine::encode_query(step.query),
                              step.body ? std::optional<std::string>(step.body->dump()) : std::nullopt);
    return done;
  case plan::StepKind::wait: {
    m_wait = engine::RawConnection::open(m_client.transport());
    std::string target = "/v" + m_client.api_version().str() + step.path + engine::encode_query(step.query);
    engine::HttpResponse head = engine::send_raw_request(*m_wait, m_client.endpoint(), step.method, target,
                                                         {{"Connection", "close"}});
    if (head.status != 200) {
      throw EngineError(head.status, "wait: HTTP status " + std::to_string(head.status));
    }
    m_wait_chunked = head.header("Transfer-Encoding").find("chunked") != std::string::npos;
    return done;
  }
  case plan::StepKind::progress:
    pull(step);
    return done;
  case plan::StepKind::request:
  case plan::StepKind::upload:
  case plan::StepKind::download:
  case plan::StepKind::lookup:
    break;
  }
  return TransferExecutor::execute(step);
}

void RunSession::pull(const plan::Step& step)
{
  engine::HttpRequest request;
  request.method = step.method;
  request.target = step.path + engine::encode_query(step.query);
  request.timeout_seconds = 0;
  if (step.secret_header) {
    if (std::string value = step.secret_header->value(); !value.empty()) {
      request.headers.emplace_back(step.secret_header->name, std::move(value));
    }
  }
  std::string pending;
  std::string failure;
  request.on_data = [&](const char* data, std::size_t size) {
    pending.append(data, size);
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      try {
        json::Value message = json::parse(line);
        std::string error = message["errorDetail"].string_or("message", message.string_or("error"));
        if (!error.empty()) {
          failure = error;
        } else if (m_io.progress) {
          std::string text = message.string_or("status");
          if (!message.string_or("id").empty()) {
            text = message.string_or("id") + ": " + text;
          }
          if (!message.string_or("progress").empty()) {
            text += " " + message.string_or("progress");
          }
          m_io.progress(text);
        }
      } catch (const json::JsonError&) {
        // Not a progress message; ignore it.
      }
    }
    return !CancelToken::instance().requested();
  };
  m_client.call(std::move(request));
  CancelToken::instance().throw_if_requested();
  if (!failure.empty()) {
    throw EngineError(500, "pull " + m_options.image + ": " + failure);
  }
}

void RunSession::write_output(int fd, const char* data, std::size_t size)
{
  bool& open = fd == m_io.stderr_fd ? m_stderr_open : m_stdout_open;
  while (open && size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN) {
        // Our caller made the descriptor non-blocking (it is shared with it): wait for room.
        pollfd room{fd, POLLOUT, 0};
        ::poll(&room, 1, -1);
        continue;
      }
      open = false; // the reader went away (EPIPE): keep draining, stop writing
      return;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void RunSession::signal_container(const std::string& container, const std::string& signal)
{
  try {
    m_client.call("POST", "/containers/" + container + "/kill", {{"signal", signal}}, std::nullopt, {404, 409});
  } catch (const Error&) {
    // The container may be gone already; the wait reply tells the rest.
  }
}

void RunSession::resize(const Watched& watched)
{
  std::optional<std::pair<int, int>> size = m_io.terminal_size ? m_io.terminal_size() : std::nullopt;
  if (!size) {
    return;
  }
  try {
    m_client.call("POST", (watched.exec ? "/exec/" : "/containers/") + watched.id + "/resize",
                  {{"h", std::to_string(size->first)}, {"w", std::to_string(size->second)}}, std::nullopt, {409});
  } catch (const Error&) {
    // Resizing is best effort.
  }
}

RunOutcome RunSession::monitor(const std::string& container)
{
  return watch({container, false});
}

RunOutcome RunSession::monitor_exec(const std::string& exec)
{
  return watch({exec, true});
}

RunOutcome RunSession::watch(const Watched& watched)
{
  const std::string& container = watched.id;
  RunOutcome outcome;
  CancelToken& cancel = CancelToken::instance();
  std::optional<Clock::time_point> deadline;
  if (m_options.timeout) {
    deadline = Clock::now() + *m_options.timeout;
  }
  std::optional<Clock::time_point> kill_at;  // SIGKILL when the grace period ends
  std::optional<Clock::time_point> drain_until;
  bool attach_done = !m_attach;
  bool wait_done = !m_wait;
  // Writing stdin can block while the process does not read it; a thread of its own keeps this
  // loop (output, timeout, signals) going meanwhile.
  std::optional<StdinPump> stdin_pump;
  std::string refusal = detach_refusal(m_options);
  if (m_options.interactive && m_attach) {
    std::optional<DetachKeyFilter> filter;
    if (m_options.tty) {
      filter.emplace(m_options.detach_sequence);
    }
    stdin_pump.emplace(m_io.stdin_fd, *m_attach, !m_options.tty, std::move(filter), refusal.empty());
  }
  bool stop_sent = false;
  bool cancel_seen = false;
  engine::ChunkedDecoder chunks;
  bool chunked = m_wait_chunked;
  std::string wait_body;
  char buffer[65536];

  if (m_options.tty) {
    // Engines before API 1.42 ignore ConsoleSize at create: size the terminal now.
    resize(watched);
  }
  auto begin_stop = [&](const std::string& signal, RunEnd end) {
    if (watched.exec) {
      // The engine cannot signal an exec'd process: the session ends, the process goes on (as
      // docker exec's).
      outcome.end = end;
      stop_sent = true;
      return;
    }
    outcome.end = end;
    stop_sent = true;
    signal_container(container, signal);
    kill_at = Clock::now() + std::chrono::seconds(m_options.stop_timeout_seconds);
  };

  while (!(attach_done && wait_done)) {
    if (wait_done && !drain_until && !watched.exec) {
      drain_until = Clock::now() + k_drain_limit;
    }
    std::vector<pollfd> fds;
    auto watch = [&](int fd) {
      fds.push_back({fd, POLLIN, 0});
      return fds.size() - 1;
    };
    std::size_t attach_at = attach_done ? SIZE_MAX : watch(m_attach->fd());
    std::size_t wait_at = wait_done ? SIZE_MAX : watch(m_wait->fd());
    std::size_t cancel_at = cancel_seen ? SIZE_MAX : watch(cancel.fd());
    std::size_t resize_at = m_options.tty && m_io.resize_fd >= 0 ? watch(m_io.resize_fd) : SIZE_MAX;
    std::size_t detach_at = stdin_pump && !stop_sent ? watch(stdin_pump->detach_fd()) : SIZE_MAX;

    int timeout_ms = -1;
    for (const auto& limit : {stop_sent ? std::optional<Clock::time_point>() : deadline, kill_at, drain_until}) {
      if (limit) {
        int ms = milliseconds_until(*limit);
        timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
      }
    }
    bool buffered = !attach_done && m_attach->has_buffered();
    bool wait_buffered = !wait_done && m_wait->has_buffered();
    int ready = buffered || wait_buffered ? 0 : ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) {
      throw Error(std::string("poll: ") + std::strerror(errno));
    }
    auto is_ready = [&](std::size_t at) { return at != SIZE_MAX && ready > 0 && (fds[at].revents & (POLLIN | POLLHUP | POLLERR)); };

    bool stdout_was_open = m_stdout_open;
    if (buffered || is_ready(attach_at)) {
      std::size_t n = m_attach->read(buffer, sizeof buffer);
      if (n == 0) {
        attach_done = true;
      } else if (m_options.tty) {
        write_output(m_io.stdout_fd, buffer, n);
      } else {
        m_demuxer.feed(buffer, n, [&](engine::StdStream stream, const char* data, std::size_t size) {
          write_output(stream == engine::StdStream::stderr_stream || stream == engine::StdStream::system_error ? m_io.stderr_fd : m_io.stdout_fd,
                       data, size);
        });
      }
    }
    // An exec has no wait: its process ends when its stream does.
    bool running = watched.exec || !wait_done;
    if (stdout_was_open && !m_stdout_open && !stop_sent && running) {
      begin_stop("SIGTERM", RunEnd::output_closed);
    }
    if (wait_buffered || is_ready(wait_at)) {
      std::size_t n = m_wait->read(buffer, sizeof buffer);
      if (n > 0) {
        wait_body += chunked ? chunks.feed(buffer, n) : std::string(buffer, n);
      }
      if (n == 0 || chunks.done()) {
        wait_done = true;
        try {
          json::Value reply = json::parse(wait_body);
          outcome.status_code = static_cast<int>(reply["StatusCode"].is_number() ? reply["StatusCode"].as_int() : 0);
          outcome.wait_error = reply["Error"].string_or("Message");
        } catch (const json::JsonError&) {
          throw ConnectionError("the engine closed the wait connection before the container exited (is the daemon still running?)");
        }
      }
    }
    if (is_ready(resize_at)) {
      char drain[64];
      while (::read(m_io.resize_fd, drain, sizeof drain) > 0) {
      }
      resize(watched);
    }
    if (is_ready(detach_at)) {
      char drain[64];
      while (::read(stdin_pump->detach_fd(), drain, sizeof drain) > 0) {
      }
      if (refusal.empty() && running) {
        outcome.end = RunEnd::detached;
        return outcome; // the attach connection closes with this session; the sandbox goes on
      }
      if (!refusal.empty() && m_io.notice) {
        m_io.notice("not detached: " + refusal + "; the session goes on");
      }
    }
    if (is_ready(cancel_at)) {
      cancel_seen = true;
      if (stop_sent) {
        // Already stopping (timeout, closed output): the user does not want to wait for the grace.
        outcome.end = RunEnd::cancelled;
        signal_container(container, "SIGKILL");
        kill_at.reset();
      } else {
        begin_stop(signal_name(cancel.reason()), RunEnd::cancelled);
      }
    }
    if (watched.exec && stop_sent) {
      return outcome;
    }
    if (!stop_sent && deadline && Clock::now() >= *deadline && !wait_done) {
      begin_stop("SIGTERM", RunEnd::timed_out);
    }
    if (kill_at && Clock::now() >= *kill_at && !wait_done) {
      signal_container(container, "SIGKILL");
      kill_at.reset();
    }
    if (drain_until && Clock::now() >= *drain_until) {
      break;
    }
  }
  return outcome;
}

} // namespace sandbox::run
