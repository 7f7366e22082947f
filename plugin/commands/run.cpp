#include "commands.h"
#include "commands/docker_run_habits.h"
#include "commands/run_check.h"
#include "expired_sandboxes.h"
#include "shipped_programs.h"
#include "pflag_args.h"
#include "plan_flags.h"
#include "terminal.h"

#include "engine/local_peer.h"
#include "run/command_lookup.h"
#include "run/engine_facts.h"
#include "run/host_side.h"
#include "run/isolation.h"
#include "run/profile.h"
#include "run/proxy_env.h"
#include "run/run_planner.h"
#include "run/run_session.h"
#include "run/run_volumes.h"
#include "run/self_check.h"
#include "run/user_lookup.h"
#include "run/workspace_mode.h"
#include "run/workspace_probe.h"
#include "volume/transfer_executor.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/file.h"
#include "util/identity.h"
#include "util/paths.h"
#include "util/printable.h"
#include "util/units.h"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <memory>
#include <ostream>
#include <unistd.h>

namespace sandbox::cli {

run::RunFlags read_run_flags(const cxxopts::ParseResult& parsed, const Args& positionals)
{
  run::RunFlags flags;
  if (!positionals.empty()) {
    flags.image = positionals[0];
    flags.command.assign(positionals.begin() + 1, positionals.end());
  }
  flags.entrypoint = optional_flag<std::string>(parsed, "entrypoint");
  flags.user = optional_flag<std::string>(parsed, "user");
  flags.network = optional_flag<std::string>(parsed, "network");
  flags.allow_hosts = list_flag(parsed, "allow-host");
  flags.egress_network = optional_flag<std::string>(parsed, "egress-network");
  flags.egress_log = optional_flag<std::string>(parsed, "egress-log");
  flags.seccomp_profile = optional_flag<std::string>(parsed, "seccomp-profile");
  flags.workspace = optional_flag<std::string>(parsed, "workspace");
  flags.workspace_mode = optional_flag<std::string>(parsed, "workspace-mode");
  flags.workspace_named = flags.workspace.has_value();
  flags.profile = optional_flag<std::string>(parsed, "profile");
  flags.output = optional_flag<std::string>(parsed, "output");
  flags.name = optional_flag<std::string>(parsed, "name");
  flags.workdir = optional_flag<std::string>(parsed, "workdir");
  flags.runtime = optional_flag<std::string>(parsed, "runtime");
  flags.isolation = optional_flag<std::string>(parsed, "isolation");
  flags.memory = optional_flag<std::string>(parsed, "memory");
  flags.cpus = optional_flag<std::string>(parsed, "cpus");
  flags.pids_limit = optional_flag<std::string>(parsed, "pids-limit");
  flags.timeout = optional_flag<std::string>(parsed, "timeout");
  flags.stop_timeout = optional_flag<std::string>(parsed, "stop-timeout");
  flags.tenant = optional_flag<std::string>(parsed, "tenant");
  flags.run = optional_flag<std::string>(parsed, "run");
  flags.inputs = list_flag(parsed, "input");
  flags.collects = list_flag(parsed, "collect");
  flags.volumes = list_flag(parsed, "volume");
  flags.mounts = list_flag(parsed, "mount");
  flags.workspace_target = optional_flag<std::string>(parsed, "workspace-target");
  flags.output_target = optional_flag<std::string>(parsed, "output-target");
  flags.keep_volumes = parsed.count("keep-volumes") > 0;
  flags.collect_max_bytes = optional_flag<std::string>(parsed, "collect-max-bytes");
  flags.collect_max_files = optional_flag<std::string>(parsed, "collect-max-files");
  flags.cap_add = list_flag(parsed, "cap-add");
  flags.exclude = list_flag(parsed, "exclude");
  flags.tmpfs = list_flag(parsed, "tmpfs");
  flags.env = list_flag(parsed, "env");
  flags.env_files = list_flag(parsed, "env-file");
  flags.labels = list_flag(parsed, "label");
  flags.hostname = optional_flag<std::string>(parsed, "hostname");
  flags.shm_size = optional_flag<std::string>(parsed, "shm-size");
  flags.ulimits = list_flag(parsed, "ulimit");
  flags.platform = optional_flag<std::string>(parsed, "platform");
  flags.publish = list_flag(parsed, "publish");
  flags.devices = list_flag(parsed, "device");
  flags.gpus = optional_flag<std::string>(parsed, "gpus");
  flags.writable_root = parsed.count("writable-root") > 0;
  flags.no_init = parsed.count("no-init") > 0;
  flags.allow_new_privileges = parsed.count("allow-new-privileges") > 0;
  flags.workspace_rw = parsed.count("workspace-rw") > 0;
  flags.interactive = parsed.count("interactive") > 0;
  flags.tty = parsed.count("tty") > 0;
  flags.detach_keys = optional_flag<std::string>(parsed, "detach-keys");
  if (flags.detach_keys && flags.detach_keys->empty()) {
    flags.detach_keys.reset(); // as in docker: an empty value means the default
  }
  flags.keep = parsed.count("keep") > 0;
  flags.pull = parsed.count("pull") > 0;
  flags.detach = parsed.count("detach") > 0;
  flags.ttl = optional_flag<std::string>(parsed, "ttl");
  flags.idle_timeout = optional_flag<std::string>(parsed, "idle-timeout");
  read_docker_run_spellings(parsed, flags);
  return flags;
}

namespace {

// Applies the project's profile (with the user's consent to what it relaxes), resolves every
// setting, and prints one warning line for each default that the flags or the profile relax.
run::RunOptions resolve_run(CommandContext& ctx, run::RunFlags& flags, const run::HostFacts& host,
                            const run::RunIdentity& identity)
{
  std::vector<run::Relaxation> typed = run::flag_relaxations(flags);
  run::ConsentStore store(host.config_dir);
  std::optional<run::AppliedProfile> profile = run::use_project_profile(flags, host.cwd, store, ctx.program());
  run::RunOptions run = run::resolve_run_options(flags, host, identity);
  for (const run::Relaxation& relaxation : typed) {
    ctx.warn(relaxation.text());
  }
  if (profile) {
    std::string source = "profile " + profile->path + (profile->named ? "" : " (trusted)") + " relaxes ";
    for (const run::Relaxation& relaxation : profile->relaxations) {
      ctx.warn(source + relaxation.text());
    }
  }
  for (const std::string& warning : run.warnings) {
    ctx.warn(warning);
  }
  return run;
}

std::string lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The one line for an image the engine does not have (the run's create, or the --user lookup's).
void explain_missing_image(const plan::StepFailed& e, const std::string& image)
{
  // Docker says "No such image: X", Podman "no such image: X: image not known".
  if (e.status() == 404 && lower(e.what()).find("no such image") != std::string::npos) {
    throw Error("image " + image + " is not present locally; no pull was attempted",
                "import or load it first (docker import, docker load), or pass --pull");
  }
}

// The engine's facts a run depends on, from /info. An engine that refuses /info (a socket
// proxy's policy) is taken as rootful with every limit, and that is said once.
std::optional<run::EngineFacts> read_engine_facts(CommandContext& ctx, const PlanFlags& plan_flags,
                                                  const std::optional<engine::SocketPeer>& peer)
{
  try {
    run::EngineFacts facts = run::engine_facts(ctx.client(plan_flags.api_version).get_json("/info"));
    // Root's own engine saying rootless (ROOTLESSKIT_STATE_DIR in its environment is enough) would
    // make the default sandbox user host root: its word is not taken.
    facts.rootless = facts.rootless && !(peer && peer->uid == 0);
    return facts;
  } catch (const ConnectionError&) {
    throw;
  } catch (const EngineError& e) {
    ctx.warn("the engine refused /info (" + std::string(e.what()) + "): whether it is rootless and which limits it enforces "
             "is not known");
    return std::nullopt;
  }
}

// What the engine decides before the run is planned, each asked only when it matters: whether
// it runs rootless (then its uid 0, its owner, is the default user) and what limits it cannot
// enforce (said in one line), the ids of a named --user, and whether it sees the directories
// to bind (or they are copied). A dry run asks nothing: it says what a live run would ask.
// Options resolved again print only the warnings they add.
void settle_with_engine(CommandContext& ctx, const PlanFlags& plan_flags, run::RunFlags& flags, run::HostFacts& host,
                        const run::RunIdentity& identity, run::RunOptions& run)
{
  std::vector<std::string> said = run.warnings;
  auto say_new_warnings = [&] {
    for (const std::string& warning : run.warnings) {
      if (std::find(said.begin(), said.end(), warning) == said.end()) {
        ctx.warn(warning);
        said.push_back(warning);
      }
    }
  };
  std::optional<engine::SocketPeer> peer = engine::socket_peer(ctx.endpoint());
  bool local = peer && peer->shares_our_paths;
  bool picks_runtime = run.isolation == run::Isolation::gvisor || run.isolation == run::Isolation::automatic;
  std::optional<run::EngineFacts> facts;
  if (plan_flags.dry_run) {
    if (std::string note = run::isolation_plan_note(run); !note.empty()) {
      ctx.err() << "docker sandbox: run: " << note << '\n';
    }
  } else if (!local || picks_runtime) {
    facts = read_engine_facts(ctx, plan_flags, peer);
  }
  // Options resolved again plan the runtime before the engine's answer: each takes it again.
  auto settle_runtime = [&] {
    if (!picks_runtime || plan_flags.dry_run) {
      return;
    }
    if (facts) {
      run::settle_isolation(run, *facts, plan_features(ctx, plan_flags));
    } else if (run.isolation == run::Isolation::gvisor) {
      throw Error("--isolation gvisor: the engine refused /info, so which of its runtimes is gVisor is not known",
                  "--runtime NAME names the engine's gVisor runtime directly");
    } else {
      run.runtime.reset(); // auto, not knowing: the engine's default
    }
  };
  settle_runtime(); // refused before anything is created
  if (facts && !local) {
    if (facts->rootless && !host.rootless_engine) {
      host.rootless_engine = true;
      run = run::resolve_run_options(flags, host, identity);
      say_new_warnings();
      settle_runtime();
    }
    if (std::string line = run::unenforced_limits_line(run, *facts); !line.empty()) {
      ctx.warn(line);
    }
  }
  if (run.user_named && plan_flags.dry_run) {
    ctx.err() << "docker sandbox: run: planned without the ids of --user " << printable(run.user)
              << "; a live run first reads them from the image's /etc/passwd and /etc/group\n";
  } else if (run.user_named) {
    volume::TransferExecutor executor(ctx.client(plan_flags.api_version), {CancelToken::instance().fd(), nullptr});
    try {
      run::resolve_user_in_image(executor, plan_version(ctx, plan_flags), flags, host, identity, run);
    } catch (const plan::StepFailed& e) {
      explain_missing_image(e, run.image);
      throw;
    }
    say_new_warnings();
  }
  bool probe = run.workspace_mode == run::WorkspaceMode::detect && run::binds_host_paths(run);
  bool probed = false;
  if (probe && !local && plan_flags.dry_run) {
    // A dry run changes nothing on the engine, and the probe would: it plans the bind.
    ctx.err() << "docker sandbox: run: planned with the directories bound; a live run first asks the engine whether it sees them, "
                 "and copies them if not (--workspace-mode bind or copy plans exactly)\n";
  } else if (probe) {
    volume::TransferExecutor executor(ctx.client(plan_flags.api_version), {CancelToken::instance().fd(), nullptr});
    probed = run::copy_unless_engine_sees(local, executor, plan_version(ctx, plan_flags), flags, host, identity, run);
    say_new_warnings();
  }
  if (run.workspace_copy && (run.workspace || run.output)) {
    ctx.err() << "docker sandbox: run: " << run::workspace_mode_line(run, probed) << '\n';
  }
  settle_runtime();
}

// The message for an exit the user should understand without decoding the number.
void explain_exit(CommandContext& ctx, const run::RunOptions& options, const run::RunOutcome& outcome,
                  const plan::Results& results)
{
  if (run::killed_by_memory_limit(results)) {
    ctx.err() << "docker sandbox: run: killed: memory limit " << (options.memory > 0 ? format_size(options.memory) : "of the host")
              << " reached\n";
  }
  if (outcome.end == run::RunEnd::timed_out) {
    ctx.err() << "docker sandbox: run: timed out: the sandbox ran longer than --timeout " << format_duration(*options.timeout)
              << " and was stopped\n";
  }
  if (!outcome.wait_error.empty()) {
    ctx.err() << "docker sandbox: run: " << printable(outcome.wait_error) << '\n';
  }
}

// The proxy's decisions: the summary line, and with --egress-log the lines themselves.
void report_egress(CommandContext& ctx, const run::EgressOptions& egress, int log_dir, const plan::Results& results)
{
  const json::Value* log = results.find(std::string(run::k_egress_log_step));
  if (!log || !log->is_string()) {
    return; // its failure is a warning already
  }
  run::EgressReport report = run::read_egress_log(log->as_string());
  ctx.err() << printable(run::egress_summary(report)) << '\n';
  if (!egress.log_file) {
    return;
  }
  std::string text;
  for (const std::string& line : report.lines) {
    text += line + '\n';
  }
  try {
    write_file_at(log_dir, split_last_component(*egress.log_file).second, text);
  } catch (const Error& e) {
    ctx.warn(std::string("--egress-log: ") + e.what());
  }
}

// run -d: the plan ends with the sandbox started; it goes on, and its name is printed.
int start_detached(CommandContext& ctx, const run::RunOptions& run, const plan::Plan& plan, engine::EngineClient& client,
                   run::HostSide& host_side)
{
  run::RunSession session(client, run, run::RunIo{}, {CancelToken::instance().fd(), nullptr});
  plan::Results results;
  try {
    plan::run_plan(plan, session, results, [&](plan::Results& so_far) {
      for (const std::string& problem : host_side.started()) {
        ctx.warn(problem);
      }
      so_far.set_detached();
    });
  } catch (const run::CommandCannotRun& e) {
    ctx.err() << "docker sandbox: " << e.what() << '\n'; // docker run's words and code
    return e.exit_code();
  } catch (const plan::StepFailed& e) {
    if (e.step() == "start") {
      ctx.err() << "docker sandbox: " << printable(run::start_failure_line(e.what())) << '\n';
      return run::start_failure_exit_code(e.what());
    }
    explain_missing_image(e, run.image);
    throw;
  }
  for (const std::string& warning : results.warnings()) {
    ctx.warn(warning + " ('" + ctx.program() + " prune' removes it later)");
  }
  ctx.out() << printable(*run.name) << '\n';
  return 0;
}

} // namespace

cxxopts::Options run_options(const std::string& program)
{
  cxxopts::Options options = command_options(program, "run", "[OPTIONS] IMAGE [COMMAND] [ARG...]",
                           "Defaults: non-root user, no network, "
                           "read-only root, all capabilities dropped, no-new-privileges, seccomp, pids and memory "
                           "limits, the current directory read-only at /workspace, /workspace/output writable and moved "
                           "into ./output at the end.");
  options.add_options("sandbox")
    ("u,user", "User as UID[:GID] (default: yours; 65534:65534 when you are root)", cxxopts::value<std::string>(), "USER")
    ("network,net", "Network: none (default), bridge, host or a network name", cxxopts::value<std::string>(), "NETWORK")
    ("allow-host", "Let the sandbox reach HOST (a name, *.domain, an address or a CIDR block) on PORT (default 443 and 80) through an egress proxy, and nothing else; repeatable", cxxopts::value<std::vector<std::string>>(), "HOST[:PORT]")
    ("egress-network", "The network the egress proxy reaches out on (default bridge)", cxxopts::value<std::string>(), "NAME")
    ("egress-log", "Write the egress proxy's decisions to FILE as JSON lines", cxxopts::value<std::string>(), "FILE")
    ("p,publish", "Publish a port on the host as [IP:][HOSTPORT:]PORT[/PROTO], on 127.0.0.1 unless IP is given (implies --network bridge)", cxxopts::value<std::vector<std::string>>(), "PORT")
    ("device", "Pass a host device into the sandbox: HOSTPATH[:PATH[:rwm]]", cxxopts::value<std::vector<std::string>>(), "DEVICE")
    ("gpus", "Pass GPUs into the sandbox: all, a count, or device=IDS", cxxopts::value<std::string>(), "GPUS")
    ("writable-root", "Make the root filesystem writable")
    ("allow-new-privileges", "Let setuid binaries gain privileges (no-new-privileges is on by default)")
    ("no-init", "Run the command as pid 1 instead of under an init process")
    ("cap-add", "Add a capability (all are dropped by default)", cxxopts::value<std::vector<std::string>>(), "CAP")
    ("seccomp-profile", "Seccomp profile file (JSON), or unconfined", cxxopts::value<std::string>(), "FILE")
    ("m,memory", "Memory limit, swap included (default 2g; 0 for none)", cxxopts::value<std::string>(), "SIZE")
    ("cpus", "Number of CPUs", cxxopts::value<std::string>(), "N")
    ("pids-limit", "Process limit (default 512; 0 for none)", cxxopts::value<std::string>(), "N")
    ("runtime", "OCI runtime, e.g. runsc", cxxopts::value<std::string>(), "RUNTIME")
    ("isolation", "The wall to the host's kernel: runc, gvisor (the engine's runsc runtime; refused when it has none) or auto (gVisor when the engine has it); default: the engine's default runtime", cxxopts::value<std::string>(), "KIND")
    ("timeout", "Stop the sandbox after this long and exit 124, e.g. 30s, 5m", cxxopts::value<std::string>(), "DURATION")
    ("stop-timeout", "Seconds between the stop signal and SIGKILL (default 10)", cxxopts::value<std::string>(), "SECONDS")
    ("d,detach", "Run the sandbox in the background and print its name; it ends at its --ttl")
    ("ttl", "With -d: the sandbox's lifetime, after which it is stopped and removed, e.g. 30m, 8h (default 8h; 0 for none)", cxxopts::value<std::string>(), "DURATION")
    ("idle-timeout", "With -d: stop the sandbox once nothing was exec'd in it or attached to it for this long", cxxopts::value<std::string>(), "DURATION")
    ("keep", "Keep the container after it exits")
    ("check", "Instead of COMMAND, report what the sandbox can do from inside (uid, capabilities, seccomp, network, writable and executable paths) against these settings; needs /bin/sh in the image")
    ("pull", "Pull the image when it is missing (default: never pull)")
    ("tenant", "Tenant the run belongs to (labels every object)", cxxopts::value<std::string>(), "TENANT")
    ("profile", "Settings file (default: .docker-sandbox.json in the workspace, if present; none to ignore it)", cxxopts::value<std::string>(), "FILE");
  options.add_options("files")
    ("workspace", "Directory mounted read-only at /workspace (default: current; none)", cxxopts::value<std::string>(), "DIR")
    ("workspace-rw", "Mount the workspace writable")
    ("workspace-target", "Where the workspace appears in the sandbox (default /workspace; also the working directory)", cxxopts::value<std::string>(), "PATH")
    ("output-target", "Where the output appears in the sandbox (default WORKSPACE-TARGET/output)", cxxopts::value<std::string>(), "PATH")
    ("workspace-mode", "bind the workspace and output by path, copy them through run volumes, or auto: bind only when the engine sees them (default auto)", cxxopts::value<std::string>(), "MODE")
    ("output", "Directory that receives, when the sandbox exits, what it wrote to /workspace/output (which starts empty; default ./output; none)", cxxopts::value<std::string>(), "DIR")
    ("exclude", "Lay an executable tmpfs over PATH in the workspace, e.g. node_modules", cxxopts::value<std::vector<std::string>>(), "PATH")
    ("tmpfs", "Mount a tmpfs: PATH[:size=,mode=,uid=,gid=,exec|noexec]", cxxopts::value<std::vector<std::string>>(), "PATH[:OPTS]");
  options.add_options("volumes")
    ("run", "The run's id, for labels and volume names (with --tenant)", cxxopts::value<std::string>(), "RUN")
    ("input", "Copy a host file or directory into a new read-only volume at PATH (default /inputs); needs --tenant", cxxopts::value<std::vector<std::string>>(), "HOSTPATH[:PATH]")
    ("collect", "After the run, copy PATH from the output volume at /outputs to HOSTDIR; needs --tenant", cxxopts::value<std::vector<std::string>>(), "PATH:HOSTDIR")
    ("collect-max-bytes", "Stop --collect once it would write more than this to the host (default 10g, and never the destination's last free space)", cxxopts::value<std::string>(), "SIZE")
    ("collect-max-files", "Stop --collect once it would write more files than this (default 1000000)", cxxopts::value<std::string>(), "N")
    ("keep-volumes", "Keep the run's input and output volumes (their names are printed)")
    ("v,volume", "Bind a host path read-only (:rw to let the sandbox change it), or mount a volume (a managed one must belong to --tenant): HOSTPATH|NAME:PATH[:ro|rw]", cxxopts::value<std::vector<std::string>>(), "SRC:PATH")
    ("mount", "docker's mount syntax: type=bind (read-only unless readonly=false), volume or tmpfs, source=, target=", cxxopts::value<std::vector<std::string>>(), "SPEC");
  options.add_options("process")
    ("i,interactive", "Keep stdin open and forward it")
    ("t,tty", "Allocate a pseudo-TTY")
    ("e,env", "Set KEY=VALUE, or pass KEY from your environment", cxxopts::value<std::vector<std::string>>(), "KEY[=VALUE]")
    ("env-file", "Read environment variables from a file", cxxopts::value<std::vector<std::string>>(), "FILE")
    ("name", "Container name", cxxopts::value<std::string>(), "NAME")
    ("label", "Add a label KEY=VALUE", cxxopts::value<std::vector<std::string>>(), "KEY=VALUE")
    ("w,workdir", "Working directory inside the container (default /workspace)", cxxopts::value<std::string>(), "DIR")
    ("entrypoint", "Override the image's entrypoint", cxxopts::value<std::string>(), "CMD")
    ("h,hostname", "The sandbox's host name", cxxopts::value<std::string>(), "NAME")
    ("shm-size", "Size of /dev/shm (default the engine's, 64m)", cxxopts::value<std::string>(), "SIZE")
    ("ulimit", "A resource limit, e.g. nofile=1024:2048", cxxopts::value<std::vector<std::string>>(), "NAME=SOFT[:HARD]")
    ("platform", "The image's platform, when the engine holds several, e.g. linux/arm64", cxxopts::value<std::string>(), "OS/ARCH")
    ("detach-keys", "Keys that detach from a -it session, e.g. ctrl-x,x (default: config.json's detachKeys, else ctrl-p,ctrl-q); a run the plugin must finish is not detached", cxxopts::value<std::string>(), "KEYS")
    ("help", "Print usage"); // docker run's -h is --hostname
  add_docker_run_spellings(options);
  add_plan_flags(options);
  return options;
}

int run_run(CommandContext& ctx, const Args& args)
{
  cxxopts::Options options = run_options(ctx.program());
  auto [flag_args, positionals] = pflag_args(options, args, true); // docker run stops at IMAGE
  std::optional<cxxopts::ParseResult> parsed = parse_command_line(ctx, options, flag_args, docker_run_flag_line);
  if (!parsed) {
    return 0;
  }
  PlanFlags plan_flags = read_plan_flags(*parsed);

  run::HostFacts host{current_directory(), ::getuid(), ::getgid(), ctx.env(),
                      ctx.config_dir()};
  run::RunIdentity identity{random_hex(12), rfc3339_now(), owner_tag(), random_hex(16)};
  run::RunFlags flags = read_run_flags(*parsed, positionals);
  // Always: a profile's egress.allow is applied later, and needs them as much as --allow-host.
  host.host_addresses = run::local_host_addresses();
  if (!flags.detach_keys && ctx.config().detach_keys) {
    flags.detach_keys = ctx.config().detach_keys;
    flags.detach_keys_from = "detachKeys in " + ctx.config().dir + "/config.json";
  }
  if (flags.tty && flags.interactive && !flags.detach && !plan_flags.dry_run && ::isatty(STDIN_FILENO) == 0) {
    ctx.err() << "docker sandbox: run: the input device is not a TTY\n"; // docker run's words and exit code
    return 1;
  }
  managed::Removals expired = remove_expired_sandboxes(ctx, plan_flags);
  run::RunOptions run = resolve_run(ctx, flags, host, identity);
  settle_with_engine(ctx, plan_flags, flags, host, identity, run);
  if (run.egress) {
    std::optional<run::ShippedProgram> program = egress_program();
    if (!program) {
      throw UsageError("--allow-host: this build of docker-sandbox carries no egress proxy (a sanitizer or fuzzing build)");
    }
    run.egress->program = *program;
  }
  if (run.detached) {
    std::optional<run::ShippedProgram> program = init_program();
    if (!program) {
      throw UsageError("-d: this build of docker-sandbox carries no init for detached sandboxes (a fuzzing build)");
    }
    run.detached->init = *program;
  }
  run.credentials = ctx.config().credentials;
  // config.json's proxies are for a sandbox with a network of its own; --allow-host's proxy is
  // the only way out of its internal network.
  if (!ctx.config().proxies.empty() && !run.egress) {
    run::add_proxy_env(run, ctx.config().proxies, ctx.endpoint().host);
  }
  if (run.tty) {
    run.console_size = terminal_size(STDOUT_FILENO);
  }
  bool check = parsed->count("check") > 0;
  if (check && run.detached) {
    throw UsageError("-d cannot be combined with --check: the report is read when the sandbox ends");
  }
  if (check) {
    run::make_self_check(run);
  }
  engine::ApiVersion version = plan_version(ctx, plan_flags);
  engine::EngineFeatures features = plan_features(ctx, plan_flags);
  if (std::optional<std::string> line = run::fit_tmpfs_owners(run.tmpfs, run.sandbox_uid, run.sandbox_gid, features)) {
    ctx.warn(*line);
  }
  plan::Plan plan = run::plan_run(run, version, features);
  plan.secrets = run::proxy_secrets(run.env);
  if (plan_flags.dry_run) {
    plan.steps.insert(plan.steps.begin(), expired.plan.steps.begin(), expired.plan.steps.end());
    print_plan(ctx, plan_flags, plan);
    return 0;
  }

  engine::EngineClient& client = ctx.client(plan_flags.api_version);
  UniqueFd egress_log_dir = run.egress ? run::open_egress_log_directory(*run.egress) : UniqueFd();
  run::HostSide host_side(run, host, [&ctx](const std::string& line) { ctx.warn(line); });
  if (run.detached) {
    return start_detached(ctx, run, plan, client, host_side);
  }
  std::unique_ptr<RawTerminal> raw_terminal;
  if (run.tty && run.interactive) {
    raw_terminal = std::make_unique<RawTerminal>(STDIN_FILENO);
  }
  run::RunIo io;
  io.resize_fd = run.tty ? window_change_fd() : -1;
  io.terminal_size = [] { return terminal_size(STDOUT_FILENO); };
  io.progress = [&ctx](const std::string& line) { ctx.err() << printable(line) << '\n'; };
  // The terminal is raw while attached: a line starts at its left edge only after a carriage
  // return, which the escaping error stream would show as "\r", so this goes to the descriptor.
  io.notice = [&ctx](const std::string& line) {
    ctx.err() << std::flush;
    std::string text = "\r\ndocker sandbox: run: " + printable(line) + "\r\n";
    (void)!::write(STDERR_FILENO, text.data(), text.size());
  };
  std::optional<CheckCapture> capture;
  if (check) {
    io.stdout_fd = capture.emplace().fd();
  }

  run::RunSession session(client, run, io, {CancelToken::instance().fd(), nullptr});
  run::RunOutcome outcome;
  plan::Results results;
  auto say_kept_volumes = [&] {
    for (const std::string& name : run::kept_volumes(run, results, CancelToken::instance().requested())) {
      ctx.err() << "docker sandbox: run: kept volume " << printable(name) << '\n';
    }
  };
  try {
    plan::run_plan(plan, session, results, [&](plan::Results& so_far) {
      for (const std::string& problem : host_side.started()) {
        ctx.warn(problem);
      }
      std::string container = so_far.find("create")->string_or("Id");
      outcome = session.monitor(container);
      if (outcome.end == run::RunEnd::detached) {
        so_far.set_detached();
      } else {
        so_far.set_exit_code(outcome.status_code);
      }
    });
  } catch (const run::CommandCannotRun& e) {
    raw_terminal.reset();
    ctx.err() << "docker sandbox: " << e.what() << '\n'; // docker run's words and code
    if (check) {
      ctx.err() << "hint: " << k_check_needs_shell << '\n';
    }
    return e.exit_code();
  } catch (const plan::StepFailed& e) {
    raw_terminal.reset();
    if (e.step() == "start") {
      ctx.err() << "docker sandbox: " << printable(run::start_failure_line(e.what())) << '\n';
      return run::start_failure_exit_code(e.what());
    }
    explain_missing_image(e, run.image);
    throw;
  } catch (const Cancelled&) {
    // Ctrl-C while what the sandbox wrote was read back: the volumes it stays in are kept.
    raw_terminal.reset();
    say_kept_volumes();
    throw;
  } catch (const ConnectionError& e) {
    // Mid-run: the container and the run's volumes may still exist once the engine is back.
    raw_terminal.reset();
    throw Error("the engine went away during the run: " + std::string(e.what()),
                "once it is back, '" + ctx.program() + " prune' removes the sandbox container and the run's volumes");
  }
  raw_terminal.reset();
  if (outcome.end == run::RunEnd::detached) {
    std::string name = run.name ? *run.name : results.find("create")->string_or("Id").substr(0, 12);
    ctx.err() << "\ndocker sandbox: run: detached; sandbox " << printable(name) << " goes on: 'docker attach " << printable(name)
              << "' attaches again, '" << ctx.program() << " rm -f " << printable(name) << "' stops and removes it\n";
    return 0;
  }
  std::vector<std::string> delivery_problems = host_side.finished(); // the container is gone
  if (check && outcome.end == run::RunEnd::exited) {
    return report_check(ctx, run, outcome, capture->text());
  }
  for (const std::string& changed : session.changed_files()) {
    ctx.warn(changed + " changed while it was copied into a volume; the volume holds it as it was when copying began");
  }
  explain_exit(ctx, run, outcome, results);
  if (run.egress) {
    report_egress(ctx, *run.egress, egress_log_dir.get(), results);
  }
  for (const std::string& warning : results.warnings()) {
    ctx.warn(warning + " ('" + ctx.program() + " prune' removes it later)");
  }
  say_kept_volumes();
  std::vector<std::string> collect_problems = results.problems();
  collect_problems.insert(collect_problems.end(), delivery_problems.begin(), delivery_problems.end());
  for (const std::string& problem : collect_problems) {
    ctx.err() << "docker sandbox: run: " << printable(problem) << '\n';
  }
  switch (outcome.end) {
  case run::RunEnd::timed_out:
    return 124;
  case run::RunEnd::cancelled:
    throw Cancelled();
  case run::RunEnd::output_closed:
    return 128 + SIGPIPE;
  case run::RunEnd::detached:
  case run::RunEnd::exited:
    if (CancelToken::instance().requested()) {
      throw Cancelled(); // after the command exited, before its results were all collected
    }
    break;
  }
  // The sandbox succeeded but its results did not arrive: that is the plugin's failure.
  return outcome.status_code == 0 && !collect_problems.empty() ? 125 : outcome.status_code;
}

} // namespace sandbox::cli
