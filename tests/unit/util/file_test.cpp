// Writing a file the user named in a directory others may have planted things in: only a regular
// file is written, and nothing planted there makes the write wait.

#include "support.h"

#include "util/dir_fd.h"
#include "util/error.h"
#include "util/file.h"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

std::string contents(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(file)

BOOST_AUTO_TEST_CASE(write_file_at_creates_and_truncates_a_regular_file)
{
  sandbox::test::TempDir dir;
  sandbox::UniqueFd fd(::open(dir.path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  sandbox::write_file_at(fd.get(), "log", "a longer first text\n");
  sandbox::write_file_at(fd.get(), "log", "short\n");
  BOOST_TEST(contents(dir.path + "/log") == "short\n");
  sandbox::write_file_at(AT_FDCWD, dir.path + "/by-path", "x");
  BOOST_TEST(contents(dir.path + "/by-path") == "x");
}

BOOST_AUTO_TEST_CASE(write_file_at_refuses_what_is_not_a_regular_file)
{
  sandbox::test::TempDir dir;
  sandbox::UniqueFd fd(::open(dir.path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  std::ofstream(dir.path + "/elsewhere") << "the user's own file\n";
  BOOST_REQUIRE(::symlink((dir.path + "/elsewhere").c_str(), (dir.path + "/link").c_str()) == 0);
  BOOST_CHECK_THROW(sandbox::write_file_at(fd.get(), "link", "planted\n"), sandbox::Error);
  BOOST_TEST(contents(dir.path + "/elsewhere") == "the user's own file\n");

  // A FIFO with no reader: refused at once, where a plain open would wait for a reader forever.
  BOOST_REQUIRE(::mkfifo((dir.path + "/fifo").c_str(), 0600) == 0);
  BOOST_CHECK_THROW(sandbox::write_file_at(fd.get(), "fifo", "x"), sandbox::Error);
  // With a reader holding it open: refused too, nothing written into it.
  sandbox::UniqueFd reader(::open((dir.path + "/fifo").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  BOOST_REQUIRE(reader);
  BOOST_CHECK_THROW(sandbox::write_file_at(fd.get(), "fifo", "x"), sandbox::Error);
  char byte;
  BOOST_TEST(::read(reader.get(), &byte, 1) == 0);

  ::mkdir((dir.path + "/dir").c_str(), 0700);
  BOOST_CHECK_THROW(sandbox::write_file_at(fd.get(), "dir", "x"), sandbox::Error);
}

BOOST_AUTO_TEST_SUITE_END()
