#include "engine/local_peer.h"

#include "util/dir_fd.h"

#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace sandbox::engine {

namespace {

bool same_file(const std::string& a, const std::string& b)
{
  struct stat sa{};
  struct stat sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

} // namespace

std::optional<SocketPeer> socket_peer(const Endpoint& endpoint)
{
  if (endpoint.transport != TransportKind::unix_socket || endpoint.address.size() >= sizeof(sockaddr_un::sun_path)) {
    return std::nullopt;
  }
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, endpoint.address.c_str(), endpoint.address.size());
  ucred peer{};
  socklen_t size = sizeof peer;
  if (!fd || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0
      || ::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
    return std::nullopt;
  }
  // A pid of another namespace reads as 0; /proc/<pid>/ns and root need the right to inspect it.
  std::string proc = "/proc/" + std::to_string(peer.pid);
  bool shares = peer.pid > 0 && same_file(proc + "/ns/mnt", "/proc/self/ns/mnt") && same_file(proc + "/root", "/proc/self/root");
  return SocketPeer{peer.uid, shares};
}

} // namespace sandbox::engine
