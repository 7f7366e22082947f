#include "util/cancel.h"

#include "util/error.h"

#include <atomic>
#include <fcntl.h>
#include <unistd.h>

namespace sandbox {

namespace {

std::atomic<int> g_reason{-1};

} // namespace

CancelToken& CancelToken::instance()
{
  static CancelToken token;
  return token;
}

CancelToken::CancelToken()
{
  if (::pipe2(m_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    m_pipe[0] = m_pipe[1] = -1;
  }
}

void CancelToken::request(int reason)
{
  int expected = -1;
  if (g_reason.compare_exchange_strong(expected, reason)) {
    // The pipe is never drained: once readable, it stays readable.
    (void)!::write(m_pipe[1], "x", 1);
  }
}

bool CancelToken::requested() const
{
  return g_reason.load() != -1;
}

int CancelToken::reason() const
{
  return g_reason.load();
}

void CancelToken::throw_if_requested() const
{
  if (requested()) {
    throw Cancelled();
  }
}

} // namespace sandbox
