#pragma once

// What reaches through a sandbox's walls only because the user asked on the command line:
// published ports (-p), host devices (--device) and GPUs (--gpus). Each is a warned relaxation;
// a project profile cannot ask for any of them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sandbox::run {

// One -p: the sandbox's `container_port`/`protocol` published on host_ip:host_port.
struct PortPublish
{
  std::string host_ip = "127.0.0.1"; // docker's default is every address; a sandbox's is loopback
  std::string host_port;             // "" lets the engine choose
  std::uint16_t container_port = 0;
  std::string protocol = "tcp";
  std::string port_key() const { return std::to_string(container_port) + "/" + protocol; }
};

// One --device: a host device node, at the same path in the sandbox unless given.
struct DeviceSpec
{
  std::string host_path;
  std::string container_path;
  std::string permissions = "rwm";
};

// --gpus: all, a count, or device=ID[,ID...].
struct GpuRequest
{
  int count = -1; // -1: all
  std::vector<std::string> device_ids;
};

// Parses docker's [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp|sctp] (an IPv6 address in brackets).
// Throws UsageError for a range, a port outside 1..65535, or another protocol.
PortPublish parse_publish(const std::string& text);

// Parses HOSTPATH[:CONTAINERPATH[:PERMISSIONS]] and checks that HOSTPATH is a character or block
// device. Throws UsageError otherwise, or for permissions other than a subset of rwm.
DeviceSpec parse_device(const std::string& text);

// Parses "all", a count, or "device=0,1" (also "count=N"). Throws UsageError otherwise.
GpuRequest parse_gpus(const std::string& text);

} // namespace sandbox::run
