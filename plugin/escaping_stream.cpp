#include "escaping_stream.h"

#include "util/printable.h"

namespace sandbox::cli {

EscapingBuffer::~EscapingBuffer()
{
  sync();
}

EscapingBuffer::int_type EscapingBuffer::overflow(int_type c)
{
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    m_pending += traits_type::to_char_type(c);
    if (c == '\n') {
      pass_complete();
    }
  }
  return traits_type::not_eof(c);
}

std::streamsize EscapingBuffer::xsputn(const char* s, std::streamsize n)
{
  m_pending.append(s, static_cast<std::size_t>(n));
  pass_complete();
  return n;
}

int EscapingBuffer::sync()
{
  std::string text = printable_lines(m_pending);
  m_pending.clear();
  m_target->sputn(text.data(), static_cast<std::streamsize>(text.size()));
  return m_target->pubsync();
}

void EscapingBuffer::pass_complete()
{
  std::size_t complete = complete_prefix(m_pending);
  std::string text = printable_lines(std::string_view(m_pending).substr(0, complete));
  m_pending.erase(0, complete);
  m_target->sputn(text.data(), static_cast<std::streamsize>(text.size()));
}

} // namespace sandbox::cli
