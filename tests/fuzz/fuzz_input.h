#pragma once

// What the fuzz targets share: splitting one input into fields, and a scratch directory tree
// that is made fresh for every input and removed after it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sandbox::fuzz {

// The input cut at every NUL byte: a list of words (argv), or the fields of a structured input.
std::vector<std::string> split_fields(const std::uint8_t* data, std::size_t size);

// The field at `index`, or "" past the end.
const std::string& field(const std::vector<std::string>& fields, std::size_t index);

// An input for a decoder that is fed in pieces: [piece sizes, one byte each, until a 0 byte] then
// the bytes to decode.
struct PiecewiseInput
{
  std::string pieces;
  std::string bytes;
};
PiecewiseInput split_pieces(const std::uint8_t* data, std::size_t size);

// The size of piece number `index`, at most `left`; with no piece sizes, all that is left.
std::size_t piece_size(const std::string& pieces, std::size_t index, std::size_t left);

// A directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class ScratchDir
{
public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

// Writes `text` to `path`, creating or truncating it. Aborts on failure (a broken harness).
void write_file(const std::string& path, const std::string& text);

// Aborts with `what` on stderr: a violated invariant is a finding, like a crash.
[[noreturn]] void invariant_failed(const std::string& what);

} // namespace sandbox::fuzz
