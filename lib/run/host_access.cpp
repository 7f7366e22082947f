#include "run/host_access.h"

#include "run/volume_options.h"
#include "util/error.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <arpa/inet.h>
#include <sys/stat.h>

namespace sandbox::run {

namespace {

std::optional<std::uint16_t> port_number(const std::string& text)
{
  std::optional<std::int64_t> value = text.empty() || text.find_first_not_of("0123456789") != std::string::npos
                                          ? std::nullopt
                                          : parse_integer(text);
  if (!value || *value < 1 || *value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*value);
}

} // namespace

PortPublish parse_publish(const std::string& text)
{
  std::string what = "invalid -p \"" + printable(text) + "\": ";
  PortPublish out;
  std::string rest = text;
  if (std::size_t slash = rest.rfind('/'); slash != std::string::npos) {
    out.protocol = rest.substr(slash + 1);
    rest.erase(slash);
    if (out.protocol != "tcp" && out.protocol != "udp" && out.protocol != "sctp") {
      throw UsageError(what + "the protocol must be tcp, udp or sctp");
    }
  }
  if (rest.starts_with("[")) { // [IPv6]:HOSTPORT:PORT
    std::size_t close = rest.find(']');
    if (close == std::string::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      throw UsageError(what + "expected [IPv6]:HOSTPORT:PORT");
    }
    out.host_ip = rest.substr(1, close - 1);
    rest.erase(0, close + 2);
    std::size_t colon = rest.find(':');
    if (colon == std::string::npos) {
      throw UsageError(what + "expected [IPv6]:HOSTPORT:PORT");
    }
    out.host_port = rest.substr(0, colon);
    rest.erase(0, colon + 1);
  } else {
    std::size_t last = rest.rfind(':');
    if (last != std::string::npos) {
      std::string front = rest.substr(0, last);
      rest.erase(0, last + 1);
      std::size_t colon = front.rfind(':');
      if (colon == std::string::npos) {
        out.host_port = front;
      } else {
        out.host_ip = front.substr(0, colon);
        out.host_port = front.substr(colon + 1);
      }
    }
  }
  if (rest.find('-') != std::string::npos || out.host_port.find('-') != std::string::npos) {
    throw UsageError(what + "port ranges are not taken; publish each port with its own -p");
  }
  std::optional<std::uint16_t> port = port_number(rest);
  if (!port || (!out.host_port.empty() && !port_number(out.host_port))) {
    throw UsageError(what + "ports are numbers from 1 to 65535");
  }
  // The engine publishes on every address when it cannot parse HostIp ("127.1", "0"): only what
  // inet_pton takes goes through, written back in its normal form.
  in6_addr address{};
  char normal[INET6_ADDRSTRLEN] = {};
  int family = out.host_ip.find(':') == std::string::npos ? AF_INET : AF_INET6;
  if (::inet_pton(family, out.host_ip.c_str(), &address) != 1 || !::inet_ntop(family, &address, normal, sizeof normal)) {
    throw UsageError(what + "the host address must be an IPv4 or IPv6 address");
  }
  out.host_ip = normal;
  out.container_port = *port;
  return out;
}

DeviceSpec parse_device(const std::string& text)
{
  std::string what = "invalid --device \"" + printable(text) + "\": ";
  DeviceSpec out;
  std::size_t first = text.find(':');
  out.host_path = text.substr(0, first);
  out.container_path = out.host_path;
  if (first != std::string::npos) {
    std::string rest = text.substr(first + 1);
    std::size_t second = rest.find(':');
    std::string path = rest.substr(0, second);
    if (second == std::string::npos && !path.empty() && path[0] != '/') {
      out.permissions = path; // HOSTPATH:PERMISSIONS
    } else {
      out.container_path = path;
      if (second != std::string::npos) {
        out.permissions = rest.substr(second + 1);
      }
    }
  }
  if (out.permissions.empty() || out.permissions.find_first_not_of("rwm") != std::string::npos) {
    throw UsageError(what + "permissions are a combination of r, w and m");
  }
  if (out.host_path.empty() || out.host_path[0] != '/' || has_control_character(text)) {
    throw UsageError(what + "expected HOSTPATH[:PATH[:rwm]] with absolute paths");
  }
  out.container_path = sandbox_path(out.container_path, "--device " + printable(text) + ": the path in the sandbox");
  if (!is_within(out.container_path, "/dev")) {
    throw UsageError(what + "the path in the sandbox must be in /dev (elsewhere the node could land in a bound host directory)");
  }
  struct stat st{};
  if (::stat(out.host_path.c_str(), &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
    throw UsageError(what + out.host_path + " is not a device (-v binds files and directories)");
  }
  return out;
}

GpuRequest parse_gpus(const std::string& typed)
{
  // docker's own examples quote a device list for its CSV parser: --gpus '"device=0,1"'.
  std::string text = typed.size() > 1 && typed.front() == '"' && typed.back() == '"' ? typed.substr(1, typed.size() - 2) : typed;
  GpuRequest out;
  if (text == "all") {
    return out;
  }
  std::string value = text.starts_with("count=") ? text.substr(6) : text;
  if (value == "all") {
    return out;
  }
  if (std::optional<std::int64_t> count = value.find_first_not_of("0123456789") == std::string::npos && !value.empty()
                                              ? parse_integer(value)
                                              : std::nullopt;
      count && *count > 0 && *count < 1024) {
    out.count = static_cast<int>(*count);
    return out;
  }
  if (text.starts_with("device=") && text.size() > 7) {
    std::string ids = text.substr(7);
    std::size_t start = 0;
    while (start <= ids.size()) {
      std::size_t comma = ids.find(',', start);
      std::string id = ids.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (id.empty() || has_control_character(id)) {
        break;
      }
      out.device_ids.push_back(id);
      start = comma == std::string::npos ? ids.size() + 1 : comma + 1;
    }
    if (start > ids.size()) {
      out.count = 0;
      return out;
    }
  }
  throw UsageError("invalid --gpus \"" + printable(typed) + "\": expected all, a count, or device=ID[,ID...]");
}

} // namespace sandbox::run
