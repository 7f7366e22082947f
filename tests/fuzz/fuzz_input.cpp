#include "fuzz_input.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>

namespace sandbox::fuzz {

std::vector<std::string> split_fields(const std::uint8_t* data, std::size_t size)
{
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      fields.emplace_back();
    } else {
      fields.back().push_back(static_cast<char>(data[i]));
    }
  }
  return fields;
}

const std::string& field(const std::vector<std::string>& fields, std::size_t index)
{
  static const std::string empty;
  return index < fields.size() ? fields[index] : empty;
}

PiecewiseInput split_pieces(const std::uint8_t* data, std::size_t size)
{
  std::size_t at = 0;
  PiecewiseInput input;
  while (at < size && data[at] != 0) {
    input.pieces.push_back(static_cast<char>(data[at++]));
  }
  if (at < size) {
    ++at;
  }
  input.bytes.assign(reinterpret_cast<const char*>(data) + at, size - at);
  return input;
}

std::size_t piece_size(const std::string& pieces, std::size_t index, std::size_t left)
{
  if (pieces.empty()) {
    return left;
  }
  return std::min<std::size_t>(static_cast<unsigned char>(pieces[index % pieces.size()]), left);
}

ScratchDir::ScratchDir()
{
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/sandbox-fuzz-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    invariant_failed("mkdtemp " + pattern + " failed");
  }
  m_path = pattern;
}

ScratchDir::~ScratchDir()
{
  // Depth first, without following links: a link the code under test made must not lead the
  // cleanup out of the scratch directory.
  ::nftw(
    m_path.c_str(),
    [](const char* path, const struct stat*, int, struct FTW*) {
      ::remove(path);
      return 0;
    },
    16,
    FTW_DEPTH | FTW_PHYS);
}

void write_file(const std::string& path, const std::string& text)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    invariant_failed("cannot write " + path);
  }
  ::close(fd);
}

void invariant_failed(const std::string& what)
{
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what.c_str());
  std::abort();
}

} // namespace sandbox::fuzz
