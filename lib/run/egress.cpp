#include "run/egress.h"

#include "egress/local_addresses.h"
#include "egress/proxy_config.h"
#include "engine/stream_demuxer.h"
#include "managed/labels.h"
#include "run/defaults.h"
#include "run/run_options.h"
#include "run/run_volumes.h"
#include "util/error.h"
#include "util/json.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>

namespace sandbox::run {

namespace {

// The proxy's own limits: a small program that holds two descriptors and two buffers per
// connection.
constexpr std::int64_t k_proxy_memory = 256LL << 20;
constexpr std::int64_t k_proxy_pids = 64;
// Its log is the report: capped below what the engine client reads of a reply (16 MiB).
constexpr const char* k_proxy_log_size = "8m";
constexpr std::string_view k_proxy_path = "/docker-sandbox-egress-proxy";
// The internal network's address block, from its inspect: where the proxy listens.
constexpr std::string_view k_internal_block = "{egress-network-inspect.IPAM.Config.0.Subnet}";

json::Value labels_json(const RunOptions& options, std::string_view role)
{
  json::Value labels = json::Value::object();
  labels.set(std::string(managed::k_label_managed), "true");
  labels.set(std::string(managed::k_label_role), std::string(role));
  for (const auto& [key, value] : run_labels(options)) {
    labels.set(key, value);
  }
  return labels;
}

json::Value strings(std::initializer_list<std::string> items)
{
  json::Value out = json::Value::array();
  for (const std::string& item : items) {
    out.push(item);
  }
  return out;
}

std::vector<plan::Step> image_steps(const ShippedProgram& program)
{
  std::string image = egress_image(program);
  plan::Step look = plan::make_step("egress-image", "look for the egress proxy's image " + image, "GET", "/images/" + image + "/json");
  look.accepted = {404};
  plan::Step import = plan::make_step("egress-import", "import it: an image that holds only the egress proxy, never pulled", "POST",
                                      "/images/create");
  import.query = {{"fromSrc", "-"},
                  {"repo", image},
                  {"changes", "LABEL " + std::string(managed::k_label_managed) + "=true"},
                  {"message", "docker-sandbox: the egress proxy of run --allow-host"}};
  plan::TarEntry entry;
  entry.source = plan::TarEntry::Source::bytes;
  entry.member = std::string(k_proxy_path.substr(1));
  entry.uid = 0;
  entry.gid = 0;
  entry.mode = 0755;
  entry.bytes = program.bytes;
  entry.bytes_what = "the egress proxy built into docker-sandbox";
  import.kind = plan::StepKind::upload;
  import.upload = plan::Upload{{entry}};
  import.only_if_status = std::make_pair(std::string("egress-image"), 404);
  return {look, import};
}

plan::Step network_step(const RunOptions& options, const engine::EngineFeatures& features)
{
  const EgressOptions& egress = *options.egress;
  plan::Step step = plan::make_step("egress-network", "create the run's internal network " + egress.network + " (no route out)",
                                    "POST", "/networks/create");
  json::Value body = json::Value::object();
  body.set("Name", egress.network);
  body.set("Driver", "bridge");
  body.set("Internal", true);
  body.set("CheckDuplicate", true);
  body.set("Labels", labels_json(options, "egress-network"));
  if (features.inhibit_host_address) {
    // An internal network still has a gateway address on the engine host, and every service of the
    // host listening on all addresses is reached there (or at any other address of the host). With no
    // address on the bridge, the sandbox reaches nothing but the proxy beside it.
    json::Value driver_options = json::Value::object();
    driver_options.set("com.docker.network.bridge.inhibit_ipv4", "true");
    body.set("Options", std::move(driver_options));
  }
  step.body = std::move(body);
  step.check = [](const plan::Reply& reply) {
    if (!reply.body.is_object() || reply.body.string_or("Id").empty()) {
      throw Error("the engine created the internal network without saying its Id");
    }
  };
  step.check_summary = "it has an Id";
  return step;
}

plan::Step proxy_step(const RunOptions& options)
{
  const EgressOptions& egress = *options.egress;
  json::Value host = json::Value::object();
  host.set("NetworkMode", egress.network);
  host.set("ReadonlyRootfs", true);
  host.set("CapDrop", strings({"ALL"}));
  host.set("SecurityOpt", strings({"no-new-privileges"}));
  host.set("PidsLimit", k_proxy_pids);
  host.set("Memory", k_proxy_memory);
  host.set("MemorySwap", k_proxy_memory);
  host.set("AutoRemove", false);
  // A new network namespace inherits the host's forwarding, so the proxy, on both networks, would
  // route: a sandbox allowed NET_RAW or NET_ADMIN could send packets through it around the proxy.
  json::Value sysctls = json::Value::object();
  sysctls.set("net.ipv4.ip_forward", "0");
  host.set("Sysctls", std::move(sysctls));
  // No search domains ("." clears the host's): a name the sandbox asks for is looked up as written,
  // never as NAME.corp.example, which a wildcard record there could point anywhere.
  host.set("DnsSearch", strings({"."}));
  json::Value log_options = json::Value::object();
  log_options.set("max-size", k_proxy_log_size);
  log_options.set("max-file", "1");
  json::Value log = json::Value::object();
  log.set("Type", "json-file");
  log.set("Config", std::move(log_options));
  host.set("LogConfig", std::move(log));

  json::Value body = json::Value::object();
  body.set("Image", egress_image(egress.program));
  body.set("Entrypoint", strings({std::string(k_proxy_path)}));
  // It listens on its address in the internal network's block alone, never on the egress network,
  // where any neighbour container would reach it.
  body.set("Cmd", strings({std::string(k_internal_block) + ":" + std::to_string(k_egress_proxy_port), egress_proxy_config(egress)}));
  body.set("User", std::to_string(k_nobody) + ":" + std::to_string(k_nobody));
  body.set("Labels", labels_json(options, "egress-proxy"));
  body.set("AttachStdout", false);
  body.set("AttachStderr", false);
  body.set("HostConfig", std::move(host));

  plan::Step step = plan::make_step("egress-proxy", "create the egress proxy, the sandbox's only way out: as nobody, no capability, a read-only root",
                                    "POST", "/containers/create");
  step.query = {{"name", egress.proxy_name}};
  step.body = std::move(body);
  step.body_references = {{"Cmd", "0"}}; // the configuration after it is the user's text, never filled
  return step;
}

plan::Step network_inspect_step(const EgressOptions& egress)
{
  plan::Step step = plan::make_step("egress-network-inspect",
                                    "read the internal network's address block, where alone the proxy listens (not on the egress network "
                                      + egress.egress_network + ")",
                                    "GET", "/networks/{egress-network.Id}");
  step.check = [](const plan::Reply& reply) {
    const json::Value* config = reply.body.is_object() ? reply.body["IPAM"].find("Config") : nullptr;
    const json::Value* first = config && config->is_array() && config->size() > 0 ? &config->elements().front() : nullptr;
    std::string subnet = first && first->is_object() ? first->string_or("Subnet") : "";
    if (!egress::Network::parse(subnet)) {
      throw Error("the engine made the internal network without an address block (IPAM.Config[0].Subnet)");
    }
  };
  step.check_summary = "IPAM.Config[0].Subnet is an address block";
  return step;
}

std::string proxy_address_field(const EgressOptions& egress)
{
  return "{egress-inspect.NetworkSettings.Networks." + egress.network + ".IPAddress}";
}

} // namespace

std::vector<std::string> local_host_addresses()
{
  std::vector<std::string> out;
  for (const egress::Address& address : egress::local_addresses()) {
    out.push_back(address.text());
  }
  return out;
}

std::vector<std::string> egress_environment()
{
  std::string proxy = "http://" + std::string(k_egress_proxy_host) + ":" + std::to_string(k_egress_proxy_port);
  std::string socks = "socks5h://" + std::string(k_egress_proxy_host) + ":" + std::to_string(k_egress_proxy_port);
  std::vector<std::string> env;
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"HTTP_PROXY", proxy},
                                    {"HTTPS_PROXY", proxy},
                                    {"ALL_PROXY", socks},
                                    {"NO_PROXY", "localhost,127.0.0.1,::1"}}) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    env.push_back(name + "=" + value);
    env.push_back(lower + "=" + value);
  }
  return env;
}

std::string egress_extra_host(const EgressOptions& egress)
{
  return std::string(k_egress_proxy_host) + ":" + proxy_address_field(egress);
}

UniqueFd open_egress_log_directory(const EgressOptions& egress)
{
  if (!egress.log_file) {
    return {};
  }
  std::string dir = split_last_component(*egress.log_file).first;
  if (egress.log_below_project) {
    return open_directory_nofollow(dir);
  }
  UniqueFd fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    throw Error("--egress-log: cannot open " + dir + ": " + std::strerror(errno));
  }
  return fd;
}

std::string egress_dns_server(const EgressOptions& egress)
{
  return proxy_address_field(egress);
}

std::string egress_proxy_config(const EgressOptions& egress)
{
  egress::ProxyConfig config;
  config.allow = egress.allow;
  config.engine_host_addresses = egress.engine_host_addresses;
  return egress::proxy_config_json(config);
}

std::string egress_image(const ShippedProgram& program)
{
  return "docker-sandbox-egress-proxy:" + program.digest.substr(0, 12);
}

EgressSteps egress_steps(const RunOptions& options, const engine::EngineFeatures& features)
{
  EgressSteps out;
  if (!options.egress) {
    return out;
  }
  const EgressOptions& egress = *options.egress;
  out.prepare.push_back(architecture_step("engine-version", "--allow-host", "the egress proxy"));
  for (plan::Step& step : image_steps(egress.program)) {
    out.prepare.push_back(std::move(step));
  }
  out.prepare.push_back(network_step(options, features));
  out.prepare.push_back(network_inspect_step(egress));
  out.prepare.push_back(proxy_step(options));
  plan::Step connect = plan::make_step("egress-connect", "connect the proxy to the egress network " + egress.egress_network, "POST",
                                       "/networks/" + egress.egress_network + "/connect");
  json::Value body = json::Value::object();
  body.set("Container", "{egress-proxy.Id}");
  connect.body = std::move(body);
  connect.body_references = {{"Container"}};
  out.prepare.push_back(std::move(connect));
  plan::Step start = plan::make_step("egress-start", "start the proxy", "POST", "/containers/{egress-proxy.Id}/start");
  start.accepted = {304};
  out.prepare.push_back(std::move(start));
  plan::Step inspect = plan::make_step("egress-inspect", "read the proxy's address on the internal network", "GET",
                                       "/containers/{egress-proxy.Id}/json");
  std::string network = egress.network;
  inspect.check = [network](const plan::Reply& reply) {
    const json::Value* networks = reply.body.is_object() ? reply.body["NetworkSettings"].find("Networks") : nullptr;
    const json::Value* entry = networks && networks->is_object() ? networks->find(network) : nullptr;
    if (!entry || !entry->is_object() || entry->string_or("IPAddress").empty()) {
      throw Error("the egress proxy has no address on the internal network " + network);
    }
  };
  inspect.check_summary = "it has an IPAddress on " + egress.network;
  out.prepare.push_back(std::move(inspect));

  plan::Step log = plan::make_step(std::string(k_egress_log_step), "read the proxy's decisions (its log)", "GET",
                                   "/containers/{egress-proxy.Id}/logs");
  log.query = {{"stdout", "1"}, {"stderr", "1"}};
  log.text_reply = true;
  log.best_effort = true;
  bool detachable = options.interactive && options.tty; // a detached sandbox goes on, and so does its way out
  log.unless_detached = detachable;
  out.on_exit.push_back(std::move(log));

  plan::Step remove = plan::make_step("egress-remove", "remove the egress proxy", "DELETE", "/containers/{egress-proxy.Id}");
  remove.query = {{"force", "1"}, {"v", "1"}};
  remove.accepted = {404};
  remove.best_effort = true; // prune finds what stayed
  remove.unless_detached = detachable;
  out.remove_proxy = std::move(remove);
  if (!options.keep) {
    plan::Step network_remove = plan::make_step("egress-network-remove", "remove the run's internal network", "DELETE",
                                                "/networks/{egress-network.Id}");
    network_remove.accepted = {404};
    network_remove.best_effort = true;
    network_remove.unless_detached = detachable;
    out.cleanup.push_back(std::move(network_remove));
  }
  return out;
}

EgressReport read_egress_log(std::string_view stream)
{
  EgressReport report;
  std::string text;
  engine::StreamDemuxer demuxer;
  try {
    demuxer.feed(stream.data(), stream.size(), [&](engine::StdStream which, const char* data, std::size_t size) {
      if (which == engine::StdStream::stdout_stream) {
        text.append(data, size);
      }
    });
  } catch (const Error&) {
    report.truncated = true;
  }
  report.truncated = report.truncated || demuxer.mid_frame();
  // The proxy's first line says where it listens. Without it, the engine dropped the start of the
  // log at its size cap (a sandbox can fill it with refused requests): what is left is not all.
  if (!text.starts_with("{\"time\":") || text.substr(0, text.find('\n')).find("\"listening\":") == std::string::npos) {
    report.truncated = true;
  }
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) {
      report.truncated = true; // a last line without its end
      break;
    }
    std::string line = text.substr(begin, end - begin);
    begin = end + 1;
    json::Value entry;
    try {
      entry = json::parse(line);
    } catch (const json::JsonError&) {
      continue;
    }
    if (!entry.is_object() || !entry.find("decision")) {
      continue;
    }
    if (entry.string_or("decision") == "allowed") {
      ++report.allowed;
    } else {
      ++report.denied;
      const json::Value& port = entry["port"];
      ++report.denied_targets[entry.string_or("host") + ":" + (port.is_int() ? std::to_string(port.as_int()) : "?")];
    }
    report.lines.push_back(entry.dump()); // written again by us: whatever the engine sent, one line of JSON
  }
  return report;
}

std::string egress_summary(const EgressReport& report)
{
  std::string line = "egress: " + std::to_string(report.allowed) + " allowed, " + std::to_string(report.denied) + " denied";
  std::vector<std::pair<std::string, std::size_t>> targets(report.denied_targets.begin(), report.denied_targets.end());
  std::stable_sort(targets.begin(), targets.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  constexpr std::size_t k_named = 3;
  if (!targets.empty()) {
    line += " (";
    for (std::size_t i = 0; i < targets.size() && i < k_named; ++i) {
      line += (i ? ", " : "") + targets[i].first + (targets[i].second > 1 ? " x" + std::to_string(targets[i].second) : "");
    }
    line += targets.size() > k_named ? ", ...)" : ")";
  }
  if (report.truncated) {
    line += "; the log was cut short";
  }
  return line;
}

} // namespace sandbox::run
