#include "managed/owner.h"

#include "util/file.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <optional>

namespace sandbox::managed {

OwnerAlive local_owner_check(const std::string& this_host)
{
  return [this_host](const std::string& owner) {
    std::size_t colon = owner.rfind(':');
    if (colon == std::string::npos || owner.substr(0, colon) != this_host) {
      return true; // another host's plugin, or no owner: never assume it is gone
    }
    long pid = std::strtol(owner.c_str() + colon + 1, nullptr, 10);
    if (pid <= 0) {
      return true;
    }
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      return false;
    }
    // A zombie is gone; a live pid may have been reused by an unrelated process.
    std::string proc = "/proc/" + std::to_string(pid);
    std::optional<std::string> stat = read_file_if_exists(proc + "/stat");
    std::size_t paren = stat ? stat->rfind(')') : std::string::npos;
    if (paren != std::string::npos && paren + 2 < stat->size() && (*stat)[paren + 2] == 'Z') {
      return false;
    }
    std::optional<std::string> comm = read_file_if_exists(proc + "/comm");
    return !comm || comm->rfind("docker-sandbox", 0) == 0;
  };
}

} // namespace sandbox::managed
