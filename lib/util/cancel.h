#pragma once

// One idempotent "stop now" event for the whole process. SIGINT, SIGTERM and EOF on the docker
// CLI's plugin socket all raise it (plugin/ wires those up); long-running library code polls
// fd() or checks requested() and cleans up.

namespace sandbox {

class CancelToken
{
public:
  // The process-wide token.
  static CancelToken& instance();

  // Raises the event; async-signal-safe. The first reason wins (a signal number, or 0 for EOF).
  void request(int reason);
  bool requested() const;
  // The signal that caused it (SIGINT, SIGTERM) or 0 for plugin-socket EOF; -1 when not raised.
  int reason() const;
  // A file descriptor that becomes readable once the event was raised, for poll().
  int fd() const { return m_pipe[0]; }
  // Throws Cancelled when the event was raised.
  void throw_if_requested() const;

private:
  CancelToken();
  int m_pipe[2] = {-1, -1};
};

} // namespace sandbox
