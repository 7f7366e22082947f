// The dial-stdio tunnel's handling of an ssh server that turns connections away before its
// greeting (sshd past MaxStartups), with a fake `ssh` that does so a given number of times and
// then echoes the connection back.

#include "engine/dial_stdio_proxy.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <fstream>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

using sandbox::engine::DialStdioProxy;

// Writes DIR/NAME, a tunnel that counts its starts in DIR/starts, fails its first `failures`
// starts with `error` on stderr and exit status 255, then echoes its stdin.
std::string fake_tunnel(const std::string& dir, const std::string& name, int failures, const std::string& error)
{
  std::string path = dir + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n"
                      << "n=$(($(cat " << dir << "/starts 2>/dev/null || echo 0) + 1)); echo $n >" << dir
                      << "/starts\n"
                      << "if [ $n -le " << failures << " ]; then printf '" << error << "' >&2; exit 255; fi\n"
                      << "exec cat\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

int starts(const std::string& dir)
{
  int n = 0;
  std::ifstream(dir + "/starts") >> n;
  return n;
}

// Sends `message` through the proxy, closes the sending side, returns all that comes back.
std::string exchange(const DialStdioProxy& proxy, const std::string& message)
{
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, proxy.socket_path().c_str(), sizeof(address.sun_path) - 1);
  BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  BOOST_REQUIRE(::write(fd, message.data(), message.size()) == static_cast<ssize_t>(message.size()));
  ::shutdown(fd, SHUT_WR);
  std::string back;
  char buffer[256];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    back.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return back;
}

const std::string k_turned_away =
  "kex_exchange_identification: Connection closed by remote host\\r\\nConnection closed by 127.0.0.1 port 22\\r\\n";

} // namespace

BOOST_AUTO_TEST_SUITE(dial_stdio_proxy)

BOOST_AUTO_TEST_CASE(ssh_turned_away_before_the_greeting_is_started_again_and_the_request_survives)
{
  sandbox::test::TempDir dir;
  DialStdioProxy proxy({fake_tunnel(dir.path, "ssh", 2, k_turned_away)});
  BOOST_TEST(exchange(proxy, "GET /_ping HTTP/1.1\r\n\r\n") == "GET /_ping HTTP/1.1\r\n\r\n");
  BOOST_TEST(starts(dir.path) == 3);
}

BOOST_AUTO_TEST_CASE(ssh_turned_away_every_time_gives_up_and_says_so)
{
  sandbox::test::TempDir dir;
  DialStdioProxy proxy({fake_tunnel(dir.path, "ssh", 1000, k_turned_away)}, {4, 1, 4});
  BOOST_TEST(exchange(proxy, "GET /_ping HTTP/1.1\r\n\r\n").empty());
  BOOST_TEST(starts(dir.path) == 4);
  BOOST_TEST(proxy.last_error()
             == "kex_exchange_identification: Connection closed by remote host (4 tries: the ssh server turned every "
                "one away before its greeting, as sshd does past its MaxStartups)");
}

BOOST_AUTO_TEST_CASE(other_ssh_failures_are_not_tried_again)
{
  sandbox::test::TempDir dir;
  DialStdioProxy proxy({fake_tunnel(dir.path, "ssh", 1000, "root@host: Permission denied (publickey).\\r\\n")});
  BOOST_TEST(exchange(proxy, "x").empty());
  BOOST_TEST(starts(dir.path) == 1);
  BOOST_TEST(proxy.last_error() == "root@host: Permission denied (publickey).");
}

BOOST_AUTO_TEST_CASE(a_tunnel_other_than_plain_ssh_is_not_tried_again)
{
  // `docker system dial-stdio` may have read the request before it failed.
  sandbox::test::TempDir dir;
  DialStdioProxy proxy({fake_tunnel(dir.path, "docker", 1000, k_turned_away)});
  BOOST_TEST(exchange(proxy, "x").empty());
  BOOST_TEST(starts(dir.path) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
