#pragma once

// `run --allow-host`: the sandbox alone on a per-run internal network, which has no route out, and
// our egress proxy (plugin/egress_proxy/) as its only way out. The proxy runs in a container of an
// image that holds nothing but the proxy, imported once per proxy build through the Engine API (no
// pull, no registry), attached to the internal network and to an egress network (the engine's
// bridge, or --egress-network). The sandbox reaches it by the proxy variables, under a fixed name
// that the sandbox's ExtraHosts map to the proxy's address, so that no DNS is needed inside the
// sandbox (Podman's CNI networks have none). Its decisions are its container's log, read back once
// the sandbox exited.

#include "engine/engine_features.h"
#include "plan/plan.h"
#include "run/shipped_program.h"
#include "util/dir_fd.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::run {

struct RunOptions;

// The proxy's name in the sandbox (its ExtraHosts entry) and the port it listens on.
inline constexpr std::string_view k_egress_proxy_host = "docker-sandbox-egress";
inline constexpr int k_egress_proxy_port = 3128;

struct EgressOptions
{
  std::vector<std::string> allow;        // the --allow-host rules, checked
  std::string egress_network = "bridge"; // where the proxy reaches out
  std::string network;                   // the run's internal network
  std::string proxy_name;                // the proxy container's name
  std::vector<std::string> engine_host_addresses; // what a name may reach only through an address rule
  std::optional<std::string> log_file;   // --egress-log: an absolute host path
  bool log_below_project = false;        // ... in the project, whose links are never followed
  ShippedProgram program;                // set by the plugin before planning; its digest names its image
};

// This host's own addresses (every interface's but loopback's), for HostFacts::host_addresses.
std::vector<std::string> local_host_addresses();

// The environment the sandbox gets: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY, upper and
// lower case.
std::vector<std::string> egress_environment();

// The sandbox's ExtraHosts entry for the proxy, filled from the step egress-inspect.
std::string egress_extra_host(const EgressOptions& egress);

// The sandbox's only DNS server, filled from the step egress-inspect: the proxy's address, where
// nothing answers on port 53. The engine's embedded DNS then forwards what it cannot answer into
// the internal network, where it ends; left to the host's resolvers, an engine before 26 forwards
// from the host itself when they are on loopback (CVE-2024-29018), a way out for any name.
std::string egress_dns_server(const EgressOptions& egress);

// --egress-log's directory, opened before the sandbox starts, so that the log is written where it
// was named even when a sandbox with part of the project writable moves a directory on its path
// meanwhile: below the project, without following a symbolic link anywhere on the way (the path
// was checked so when it was read). An invalid UniqueFd without --egress-log. Throws Error.
UniqueFd open_egress_log_directory(const EgressOptions& egress);

// The proxy's configuration, as the JSON it is given on its command line.
std::string egress_proxy_config(const EgressOptions& egress);

// The image the proxy runs in: docker-sandbox-egress-proxy:<first 12 of the digest>.
std::string egress_image(const ShippedProgram& program);

// The steps of the egress: before the sandbox is created, the engine's architecture checked, the
// proxy's image imported when missing, the internal network created, the proxy created on it,
// connected to the egress network, started and its address read (`prepare`); once the sandbox
// exited, the proxy's log read (`on_exit`); on every exit path, the proxy removed (`remove_proxy`,
// which the planner sends together with the sandbox's removal) and then the network (`cleanup`,
// unless the sandbox is kept: it is attached to it).
struct EgressSteps
{
  std::vector<plan::Step> prepare;
  std::vector<plan::Step> on_exit;
  std::optional<plan::Step> remove_proxy;
  std::vector<plan::Step> cleanup;
};
EgressSteps egress_steps(const RunOptions& options, const engine::EngineFeatures& features);

// The step whose reply holds the proxy's log (a multiplexed stream, kept as text).
inline constexpr std::string_view k_egress_log_step = "egress-log";

// What the proxy's log said: its decision lines, and their tally.
struct EgressReport
{
  std::vector<std::string> lines; // each a JSON object, without its newline
  std::size_t allowed = 0;
  std::size_t denied = 0;
  std::map<std::string, std::size_t> denied_targets; // "host:port" -> count
  bool truncated = false; // the log was cut (the engine's cap, or a broken stream)
};

// Reads the proxy's log from the reply of the logs request (the engine's multiplexed stream).
// Lines that are not decisions (the "listening" line) are left out; a line that is not JSON is
// counted as nothing and left out.
EgressReport read_egress_log(std::string_view stream);

// "egress: 14 allowed, 2 denied (evil.example:443 x2)", the denied targets most frequent first,
// at most three named.
std::string egress_summary(const EgressReport& report);

} // namespace sandbox::run
