// The driver for builds without libFuzzer (GCC, the sanitizer build): runs the fuzz target once
// on every file named on the command line, or found in a directory named there. This is how the
// seed corpus and every crash kept in regressions/ are replayed by the ordinary test suite.

#include <cstdint>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool collect(const std::string& path, std::vector<std::string>& files)
{
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "replay: %s: not found\n", path.c_str());
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    files.push_back(path);
    return true;
  }
  DIR* dir = ::opendir(path.c_str());
  while (dir) {
    dirent* entry = ::readdir(dir);
    if (!entry) {
      break;
    }
    std::string name = entry->d_name;
    if (name != "." && name != ".." && name[0] != '.') {
      collect(path + "/" + name, files);
    }
  }
  if (dir) {
    ::closedir(dir);
  }
  return true;
}

} // namespace

int main(int argc, char** argv)
{
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!collect(argv[i], files)) {
      return 1;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs\n");
    return 1;
  }
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  }
  std::printf("replay: %zu inputs, no crash\n", files.size());
  return 0;
}
