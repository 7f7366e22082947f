#include "run/run_planner.h"

#include "engine/engine_client.h"
#include "engine/mounts.h"
#include "run/command_lookup.h"
#include "run/detached.h"
#include "run/egress.h"
#include "run/registry_pull.h"
#include "run/run_volumes.h"
#include "util/cancel.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace sandbox::run {

namespace {

constexpr engine::ApiVersion k_console_size_api{1, 42};

// containerd may publish a container's exit before its OOM kill (both come from the shim, in no
// set order; containerd/containerd#12714), so the engine marks OOMKilled a moment after the wait
// returned: a SIGKILL that is not yet an OOM kill is read again, a few times.
constexpr std::size_t k_oom_inspects = 10;
constexpr std::chrono::milliseconds k_oom_inspect_interval{50};

bool oom_killed(const json::Value& inspect)
{
  return inspect["State"]["OOMKilled"].is_bool() && inspect["State"]["OOMKilled"].as_bool();
}

std::optional<engine::Query> oom_kill_walk(const plan::Results&, const std::vector<plan::Reply>& sent)
{
  if (sent.empty()) {
    return engine::Query{};
  }
  if (oom_killed(sent.back().body) || sent.size() >= k_oom_inspects || CancelToken::instance().requested()) {
    return std::nullopt;
  }
  std::this_thread::sleep_for(k_oom_inspect_interval);
  return engine::Query{};
}

json::Value string_array(const std::vector<std::string>& items)
{
  json::Value out = json::Value::array();
  for (const std::string& item : items) {
    out.push(item);
  }
  return out;
}

json::Value host_config(const RunOptions& options, engine::ApiVersion version)
{
  json::Value host = json::Value::object();
  host.set("NetworkMode", options.network);
  host.set("ReadonlyRootfs", options.read_only_root);
  host.set("CapDrop", string_array({"ALL"}));
  if (!options.cap_add.empty()) {
    host.set("CapAdd", string_array(options.cap_add));
  }
  std::vector<std::string> security;
  if (options.no_new_privileges) {
    security.push_back("no-new-privileges");
  }
  if (options.seccomp) {
    security.push_back("seccomp=" + *options.seccomp);
  }
  if (!security.empty()) {
    host.set("SecurityOpt", string_array(security));
  }
  host.set("PidsLimit", options.pids_limit);
  if (options.memory > 0) {
    host.set("Memory", options.memory);
    host.set("MemorySwap", options.memory);
  }
  if (options.nano_cpus) {
    host.set("NanoCpus", *options.nano_cpus);
  }
  host.set("Init", options.init);
  if (options.shm_size) {
    host.set("ShmSize", *options.shm_size);
  }
  if (!options.ulimits.empty()) {
    json::Value ulimits = json::Value::array();
    for (const Ulimit& ulimit : options.ulimits) {
      json::Value item = json::Value::object();
      item.set("Name", ulimit.name);
      item.set("Soft", ulimit.soft);
      item.set("Hard", ulimit.hard);
      ulimits.push(std::move(item));
    }
    host.set("Ulimits", std::move(ulimits));
  }
  if (!options.ports.empty()) {
    json::Value bindings = json::Value::object();
    for (const PortPublish& port : options.ports) {
      json::Value binding = json::Value::object();
      binding.set("HostIp", port.host_ip);
      binding.set("HostPort", port.host_port);
      json::Value* list = bindings.find(port.port_key());
      if (!list) {
        list = &bindings.set(port.port_key(), json::Value::array());
      }
      list->push(std::move(binding));
    }
    host.set("PortBindings", std::move(bindings));
  }
  if (!options.devices.empty()) {
    json::Value devices = json::Value::array();
    for (const DeviceSpec& device : options.devices) {
      json::Value item = json::Value::object();
      item.set("PathOnHost", device.host_path);
      item.set("PathInContainer", device.container_path);
      item.set("CgroupPermissions", device.permissions);
      devices.push(std::move(item));
    }
    host.set("Devices", std::move(devices));
  }
  if (options.gpus) {
    json::Value request = json::Value::object();
    request.set("Driver", "");
    request.set("Count", options.gpus->count);
    request.set("DeviceIDs", string_array(options.gpus->device_ids));
    json::Value capabilities = json::Value::array();
    capabilities.push(string_array({"gpu"}));
    request.set("Capabilities", std::move(capabilities));
    json::Value requests = json::Value::array();
    requests.push(std::move(request));
    host.set("DeviceRequests", std::move(requests));
  }
  if (options.egress) {
    host.set("ExtraHosts", string_array({egress_extra_host(*options.egress)}));
    host.set("Dns", string_array({egress_dns_server(*options.egress)}));
  }
  host.set("AutoRemove", false);
  // The sandbox's output must never fill the host's disk through the engine's log: an attached
  // run that is removed afterwards keeps no log at all; a kept one keeps a capped json-file.
  json::Value log = json::Value::object();
  if (options.keep || options.detached) {
    json::Value log_options = json::Value::object();
    log_options.set("max-size", k_kept_log_size);
    log_options.set("max-file", "1");
    log.set("Type", "json-file");
    log.set("Config", std::move(log_options));
  } else {
    log.set("Type", "none");
  }
  host.set("LogConfig", std::move(log));
  if (options.runtime) {
    host.set("Runtime", *options.runtime);
  }

  json::Value mounts = json::Value::array();
  for (const BindSpec& bind : options.binds) {
    mounts.push(engine::mount_json("bind", bind.source, bind.target, bind.read_only));
  }
  auto add_volume = [&](const VolumeMount& volume) {
    mounts.push(engine::mount_json("volume", volume.volume, volume.target, volume.read_only, true));
  };
  if (options.workspace_copy && options.workspace_copy->workspace) {
    add_volume(*options.workspace_copy->workspace);
  }
  if (options.workspace_copy && options.workspace_copy->output) {
    add_volume(*options.workspace_copy->output);
  }
  for (const VolumeMount& volume : options.volumes) {
    add_volume(volume);
  }
  for (const InputSpec& input : options.inputs) {
    add_volume(input.mount);
  }
  if (options.output_volume) {
    add_volume(*options.output_volume);
  }
  if (options.detached) {
    add_volume(options.detached->init_volume);
  }
  json::Value tmpfs = json::Value::object();
  for (const TmpfsSpec& spec : options.tmpfs) {
    if (!use_mounts_form(spec, version)) {
      tmpfs.set(spec.target, "rw," + tmpfs_option_string(spec));
      continue;
    }
    json::Value tmpfs_options = json::Value::object();
    if (spec.size) {
      tmpfs_options.set("SizeBytes", *spec.size);
    }
    if (spec.mode) {
      tmpfs_options.set("Mode", static_cast<long long>(*spec.mode));
    }
    json::Value flag = json::Value::array();
    flag.push(spec.exec ? "exec" : "noexec");
    json::Value flags = json::Value::array();
    flags.push(std::move(flag));
    tmpfs_options.set("Options", std::move(flags));
    json::Value mount = json::Value::object();
    mount.set("Type", "tmpfs");
    mount.set("Target", spec.target);
    mount.set("TmpfsOptions", std::move(tmpfs_options));
    mounts.push(std::move(mount));
  }
  if (tmpfs.size() > 0) {
    host.set("Tmpfs", std::move(tmpfs));
  }
  if (mounts.size() > 0) {
    host.set("Mounts", std::move(mounts));
  }
  if (options.tty && options.console_size && version >= k_console_size_api) {
    json::Value size = json::Value::array();
    size.push(options.console_size->first);
    size.push(options.console_size->second);
    host.set("ConsoleSize", std::move(size));
  }
  return host;
}

// fromImage and tag for a reference: without a tag or digest the engine would pull every tag.
engine::Query pull_query(const std::string& image)
{
  std::size_t at = image.find('@');
  if (at != std::string::npos) {
    return {{"fromImage", image.substr(0, at)}, {"tag", image.substr(at + 1)}};
  }
  std::size_t colon = image.rfind(':');
  std::size_t slash = image.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    return {{"fromImage", image.substr(0, colon)}, {"tag", image.substr(colon + 1)}};
  }
  return {{"fromImage", image}, {"tag", "latest"}};
}

plan::Step container_step(std::string id, std::string summary, std::string method, const std::string& suffix)
{
  return plan::make_step(std::move(id), std::move(summary), std::move(method), "/containers/{create.Id}" + suffix);
}

} // namespace

json::Value container_config(const RunOptions& options, engine::ApiVersion version)
{
  json::Value config = json::Value::object();
  config.set("Image", options.image);
  if (!options.command.empty()) {
    config.set("Cmd", string_array(options.command));
  }
  if (options.entrypoint) {
    config.set("Entrypoint", options.entrypoint->empty() ? json::Value::array() : string_array({*options.entrypoint}));
  }
  config.set("User", options.user);
  if (options.hostname) {
    config.set("Hostname", *options.hostname);
  }
  // The proxy variables, unless the user's -e sets the same name (a duplicate would be read first
  // by most programs): then the user's wins.
  std::vector<std::string> env;
  for (const std::string& var : options.egress ? egress_environment() : std::vector<std::string>{}) {
    std::string name = var.substr(0, var.find('=') + 1);
    if (std::none_of(options.env.begin(), options.env.end(), [&](const std::string& e) { return e.rfind(name, 0) == 0; })) {
      env.push_back(var);
    }
  }
  env.insert(env.end(), options.env.begin(), options.env.end());
  if (!env.empty()) {
    config.set("Env", string_array(env));
  }
  if (!options.workdir.empty()) {
    config.set("WorkingDir", options.workdir);
  }
  json::Value labels = json::Value::object();
  for (const auto& [key, value] : options.labels) {
    labels.set(key, value);
  }
  config.set("Labels", std::move(labels));
  if (!options.ports.empty()) {
    json::Value exposed = json::Value::object();
    for (const PortPublish& port : options.ports) {
      exposed.set(port.port_key(), json::Value::object());
    }
    config.set("ExposedPorts", std::move(exposed));
  }
  config.set("Tty", options.tty);
  config.set("OpenStdin", options.interactive);
  config.set("StdinOnce", options.interactive && !options.detached); // a detached one's is there for each attach
  config.set("AttachStdin", options.interactive);
  config.set("AttachStdout", true);
  config.set("AttachStderr", true);
  config.set("StopTimeout", options.stop_timeout_seconds);
  config.set("HostConfig", host_config(options, version));
  return config;
}

std::vector<plan::Step> pull_steps(const RunOptions& options)
{
  if (!options.pull) {
    return {};
  }
  plan::Step look = plan::make_step("image", "look for the image " + options.image + " locally", "GET",
                                    "/images/" + options.image + "/json");
  look.accepted = {404};
  plan::Step pull = plan::make_step("pull", "pull the image " + options.image, "POST", "/images/create");
  pull.query = pull_query(options.image);
  if (options.platform) {
    pull.query.emplace_back("platform", *options.platform);
  }
  pull.kind = plan::StepKind::progress;
  pull.only_if_status = std::make_pair(std::string("image"), 404);
  pull.secret_header = registry_auth_header(options.credentials, options.image);
  return {look, pull};
}

plan::Plan plan_run(const RunOptions& options, engine::ApiVersion version, const engine::EngineFeatures& features)
{
  plan::Plan plan;
  plan.api_version = version;

  if (options.detached) {
    plan.steps.push_back(architecture_step("engine-arch", "-d", "the sandbox's init"));
  }
  for (plan::Step& step : pull_steps(options)) {
    plan.steps.push_back(std::move(step));
  }
  EgressSteps egress = egress_steps(options, features);
  for (plan::Step& step : egress.prepare) {
    plan.steps.push_back(std::move(step));
  }
  VolumeSteps volumes = volume_steps(options, features.put_reaches_mounts);
  for (plan::Step& step : volumes.prepare) {
    plan.steps.push_back(std::move(step));
  }
  plan::Step create = plan::make_step("create", "create the sandbox container (404 if the image is not present locally: nothing is pulled)",
                                      "POST", "/containers/create");
  if (options.name) {
    create.query = {{"name", *options.name}};
  }
  if (options.platform) {
    create.query.emplace_back("platform", *options.platform);
  }
  create.body = container_config(options, version);
  if (options.detached) {
    plan.steps.push_back(image_config_step(options)); // read while the engine unpacks the upload
    wrap_in_init(*create.body, create, options);
  }
  if (options.egress) {
    create.body_references = {{"HostConfig", "ExtraHosts"}, {"HostConfig", "Dns"}};
  }
  create.overlap = plan::Step::Overlap::with_next;
  plan.steps.push_back(create);
  LookupSteps lookup = command_lookup_steps(options, tmpfs_mode_checks(options.tmpfs, "{lookup.Id}", host_binds(options)));
  plan.steps.push_back(lookup.container);
  if (std::optional<plan::Step> collector = collector_step(options)) {
    plan.steps.back().overlap = plan::Step::Overlap::with_next;
    plan.steps.push_back(std::move(*collector));
  }
  for (plan::Step& step : volumes.checks) {
    plan.steps.push_back(std::move(step));
  }
  for (plan::Step& step : lookup.look) {
    plan.steps.push_back(std::move(step));
  }
  if (std::optional<plan::Step> remove = helper_removal_step(options)) {
    plan.steps.push_back(std::move(*remove));
  }

  plan::Step start = container_step("start", "start it", "POST", "/start");
  start.accepted = {304};
  plan::Step remove = container_step("remove", "remove the container", "DELETE", "");
  remove.query = {{"force", "1"}, {"v", "1"}};
  remove.accepted = {404};
  if (options.detached) {
    // Nothing waits for it: it goes on once started, and only a failure before removes it.
    plan.steps.push_back(start);
    plan.steps.push_back(lookup.remove);
    remove.unless_detached = true;
    plan.cleanup.push_back(lookup.cleanup);
    plan.cleanup.push_back(remove);
    for (plan::Step& step : volume_cleanup_steps(options)) {
      plan.cleanup.push_back(std::move(step));
    }
    return plan;
  }

  plan::Step attach = container_step("attach", "attach to its output (hijacked connection)", "POST", "/attach");
  attach.query = {{"stream", "1"}, {"stdout", "1"}, {"stderr", "1"}};
  if (options.interactive) {
    attach.query.emplace_back("stdin", "1");
  }
  if (options.interactive && options.tty) {
    // The engine watches a TTY's stdin for detach keys too (its own default when none are named):
    // it is always told the plugin's, which the plugin never forwards.
    attach.query.emplace_back("detachKeys", options.detach_keys);
  }
  attach.kind = plan::StepKind::attach;
  plan.steps.push_back(attach);

  plan::Step wait = container_step("wait", "wait for it to exit (armed before start)", "POST", "/wait");
  wait.query = {{"condition", "next-exit"}};
  wait.kind = plan::StepKind::wait;
  plan.steps.push_back(wait);

  plan.steps.push_back(start);
  plan.steps.push_back(lookup.remove);

  // 137 is SIGKILL: only then is it worth asking whether the memory limit did it.
  plan::Step inspect = container_step("inspect", "read its state to tell an OOM kill from another SIGKILL", "GET", "/json");
  inspect.only_if_exit_code = 137;
  inspect.walk = oom_kill_walk;
  inspect.walk_summary = "up to " + std::to_string(k_oom_inspects) + " times, " + std::to_string(k_oom_inspect_interval.count()) +
                         " ms apart, until State.OOMKilled is true (containerd may report the exit before the OOM kill)";
  plan.on_exit.push_back(inspect);
  for (plan::Step& step : egress.on_exit) {
    plan.on_exit.push_back(std::move(step));
  }
  remove.unless_detached = options.interactive && options.tty;
  std::vector<plan::Step> collects = collect_steps(options);
  if (!options.keep && !collects.empty()) {
    // It has exited and what it wrote is read from the collector: it goes meanwhile.
    plan::Step early = remove;
    early.id = "remove-after-exit";
    early.summary = "remove the container while the collector is read (it has exited)";
    early.overlap = plan::Step::Overlap::reply_later;
    plan.on_exit.push_back(early);
    remove.unless_sent = early.id;
  }
  for (plan::Step& step : collects) {
    plan.on_exit.push_back(std::move(step));
  }

  plan.cleanup.push_back(lookup.cleanup);
  if (!options.keep) {
    if (egress.remove_proxy) {
      remove.overlap = plan::Step::Overlap::with_next; // the proxy goes at the same time
    }
    plan.cleanup.push_back(remove);
  }
  if (egress.remove_proxy) {
    plan.cleanup.push_back(std::move(*egress.remove_proxy));
  }
  for (plan::Step& step : volume_cleanup_steps(options)) {
    plan.cleanup.push_back(std::move(step));
  }
  for (plan::Step& step : egress.cleanup) {
    plan.cleanup.push_back(std::move(step));
  }
  return plan;
}

bool killed_by_memory_limit(const plan::Results& results)
{
  const json::Value* inspect = results.find("inspect");
  return inspect && oom_killed(*inspect);
}

} // namespace sandbox::run
