#pragma once

// Everything the plugin prints passes through an EscapingBuffer: names, labels, engine errors and
// archive members may come from the party the sandbox protects against, and must not move the
// cursor, erase lines or reorder text on the user's terminal (util/printable.h). Newlines and tabs
// pass, so tables and usage keep their shape. The container's own output does not come through
// here: like `docker run`, the sandbox writes its stdout and stderr to ours as they are.

#include <streambuf>
#include <string>

namespace sandbox::cli {

class EscapingBuffer : public std::streambuf
{
public:
  // Writes the escaped text to `target` (std::cout's or std::cerr's own buffer).
  explicit EscapingBuffer(std::streambuf* target) : m_target(target) {}
  ~EscapingBuffer() override;

protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

private:
  void pass_complete();

  std::streambuf* m_target;
  std::string m_pending; // text not yet escaped: an unfinished line, or a UTF-8 sequence cut short
};

} // namespace sandbox::cli
