#include "run/detached.h"

#include "run/problems.h"
#include "run/volume_options.h"
#include "util/error.h"
#include "util/units.h"

namespace sandbox::run {

namespace {

// Whole seconds, rounded up: a lifetime is never shorter than asked.
std::int64_t seconds_of(std::chrono::milliseconds duration)
{
  return (duration.count() + 999) / 1000;
}

} // namespace

void resolve_detached(const RunFlags& flags, const RunIdentity& identity, RunOptions& out, Problems& problems)
{
  if (!flags.detach) {
    for (const auto& [given, flag] : {std::pair{flags.ttl.has_value(), "--ttl"}, std::pair{flags.idle_timeout.has_value(), "--idle-timeout"}}) {
      if (given) {
        problems.add(std::string(flag) + " needs -d: a sandbox that is not detached ends with its command (--timeout limits it)");
      }
    }
    return;
  }
  auto refuse = [&](bool given, const std::string& flag, const std::string& why) {
    if (given) {
      problems.add("-d cannot be combined with " + flag + ": " + why);
    }
  };
  refuse(flags.timeout.has_value(), "--timeout", "a detached sandbox ends at its --ttl");
  refuse(!flags.collects.empty(), "--collect", "nothing waits for a detached sandbox to end to read its output volume back");
  refuse(flags.keep, "--keep", "a detached sandbox stays until rm, or until prune once its --ttl has passed");
  refuse(flags.no_init, "--no-init", "its init is what ends it at its --ttl");
  refuse(!flags.allow_hosts.empty(), "--allow-host", "the egress proxy and its network last only as long as the plugin's run");
  refuse(flags.output.value_or("none") != "none", "--output",
         "the output is handed back when the run ends, and nothing waits for a detached sandbox to end");

  DetachedOptions detached;
  std::int64_t now = parse_rfc3339_seconds(identity.created).value_or(0);
  if (flags.ttl && *flags.ttl == "0") {
    out.warnings.push_back("--ttl 0: this sandbox never ends by itself; only rm removes it");
  } else {
    problems.check([&] {
      std::chrono::milliseconds ttl = flags.ttl ? parse_duration(*flags.ttl, "--ttl") : std::chrono::milliseconds(k_default_ttl);
      detached.lifetime.deadline = now + seconds_of(ttl);
    });
  }
  if (flags.idle_timeout && *flags.idle_timeout != "0") {
    problems.check([&] { detached.lifetime.idle_seconds = seconds_of(parse_duration(*flags.idle_timeout, "--idle-timeout")); });
  }
  std::string run_label = flags.run.value_or(identity.run_id);
  detached.init_volume = VolumeMount{run_volume_prefix(flags.tenant, run_label, identity.run_id) + "-init", std::string(k_init_dir), true};
  out.detached = detached;
  out.init = false; // its own init is pid 1
}

plan::Step image_config_step(const RunOptions& options)
{
  plan::Step step = plan::make_step("image-config", "read the image's entrypoint and command, which the sandbox's init runs",
                                    "GET", "/images/" + options.image + "/json");
  if (options.command.empty() && (!options.entrypoint || options.entrypoint->empty())) {
    // As the engine refuses a create with no command at all, before anything runs.
    bool entrypoint_given = options.entrypoint.has_value();
    step.check = [entrypoint_given](const plan::Reply& reply) {
      auto words = [&](const char* field) {
        const json::Value& value = reply.body["Config"][field];
        return value.is_array() ? value.size() : std::size_t(0);
      };
      if (words("Cmd") == 0 && (entrypoint_given || words("Entrypoint") == 0)) {
        throw UsageError("no command: the image names none, and none was given", "docker sandbox run -d IMAGE COMMAND [ARG...]");
      }
    };
    step.check_summary = "the image names a command, as none was given";
  }
  return step;
}

void wrap_in_init(json::Value& config, plan::Step& create, const RunOptions& options)
{
  const managed::Lifetime& lifetime = options.detached->lifetime;
  json::Value entrypoint = json::Value::array();
  entrypoint.push(std::string(k_init_dir) + "/" + std::string(k_init_name));
  entrypoint.push(std::to_string(lifetime.deadline.value_or(0)));
  entrypoint.push(std::to_string(lifetime.idle_seconds));
  entrypoint.push("--");
  if (options.entrypoint && !options.entrypoint->empty()) {
    entrypoint.push(*options.entrypoint);
  }
  // As the engine merges them: --entrypoint replaces the image's and drops its command, unless it
  // is "" (no entrypoint at all).
  plan::Step::Splice image{{"Entrypoint"}, entrypoint.size(), {}};
  if (!options.entrypoint) {
    image.references.push_back("{image-config.Config.Entrypoint}");
  }
  for (const std::string& word : options.command) {
    entrypoint.push(word);
  }
  if (options.command.empty() && (!options.entrypoint || options.entrypoint->empty())) {
    image.references.push_back("{image-config.Config.Cmd}");
  }
  // In the place the engine's own order gives them, after the image: the dry run reads as it runs.
  json::Value wrapped = json::Value::object();
  bool placed = false;
  auto place = [&] {
    wrapped.set("Entrypoint", entrypoint);
    wrapped.set("Cmd", json::Value());
    // An image's health check would run processes the init counts as use, and its stop signal
    // could be the init's touch: neither is the image's to choose here.
    json::Value none = json::Value::array();
    none.push("NONE");
    json::Value healthcheck = json::Value::object();
    healthcheck.set("Test", std::move(none));
    wrapped.set("Healthcheck", std::move(healthcheck));
    wrapped.set("StopSignal", "SIGTERM");
    placed = true;
  };
  for (const json::Member& member : config.members()) {
    if (member.first != "Cmd" && member.first != "Entrypoint") {
      wrapped.set(member.first, member.second);
    }
    if (member.first == "Image") {
      place();
    }
  }
  if (!placed) {
    place();
  }
  config = std::move(wrapped);
  if (!image.references.empty()) {
    create.body_splices.push_back(std::move(image));
  }
}

std::size_t init_argument_count()
{
  return 4; // the init, the deadline, the idle timeout, "--"
}

} // namespace sandbox::run
