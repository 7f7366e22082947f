#pragma once

// `docker sandbox run` options: RunFlags as the user typed them, RunOptions after validation and
// after every default has been filled in. Resolution reads files the user named (env files, a
// seccomp profile) and looks at the host (workspace, output directory) but creates nothing.

#include "engine/environment.h"
#include "engine/registry_auth.h"
#include "managed/lifetime.h"
#include "run/container_settings.h"
#include "run/egress.h"
#include "run/defaults.h"
#include "run/host_access.h"
#include "run/mount_pins.h"
#include "run/output_stage.h"
#include "run/shipped_program.h"
#include "run/tmpfs.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sandbox::run {

struct RunFlags
{
  std::string image;
  std::vector<std::string> command;
  std::optional<std::string> entrypoint;
  std::optional<std::string> user;
  // The uid and gid that a named --user stands for in the image (run/user_lookup.h), once read.
  std::optional<std::pair<std::int64_t, std::int64_t>> user_ids;
  std::optional<std::string> network;
  std::vector<std::string> allow_hosts;        // --allow-host HOST[:PORT]
  std::optional<std::string> egress_network;  // --egress-network NAME
  std::optional<std::string> egress_log;      // --egress-log FILE
  std::optional<std::string> seccomp_profile; // a file, or "unconfined"
  std::optional<std::string> workspace;       // a directory, or "none"
  bool workspace_named = false;               // --workspace was typed: the user chose it knowingly
  std::optional<std::string> profile;         // --profile: a file, or "none"
  std::optional<std::string> output;          // a directory, or "none"
  std::optional<std::string> name;
  std::optional<std::string> workdir;
  std::optional<std::string> runtime;
  std::optional<std::string> isolation;       // runc, gvisor or auto (run/isolation.h)
  std::optional<std::string> memory;          // "2g", or "0" for no limit
  std::optional<std::string> cpus;            // "1.5"
  std::optional<std::string> pids_limit;      // "512", or "0"/"-1" for no limit
  std::optional<std::string> timeout;         // "30s"
  std::optional<std::string> stop_timeout;    // seconds of grace after the signal
  std::optional<std::string> tenant;
  std::optional<std::string> run;             // --run: the caller's id for this run
  std::optional<std::string> workspace_mode;  // bind, copy or auto
  std::vector<std::string> inputs;            // HOSTPATH[:CONTAINERPATH]
  std::vector<std::string> collects;          // CONTAINERPATH:HOSTDIR
  std::vector<std::string> volumes;           // -v: NAME:PATH[:ro|rw] or HOSTPATH:PATH[:ro|rw]
  std::vector<std::string> mounts;            // --mount type=bind|volume|tmpfs,source=,target=,...
  std::optional<std::string> workspace_target; // where the workspace appears (default /workspace)
  std::optional<std::string> output_target;    // where the output appears (default WORKSPACE/output)
  bool keep_volumes = false;
  std::optional<std::string> collect_max_bytes; // SIZE: caps on what --collect writes to the host
  std::optional<std::string> collect_max_files;
  std::vector<std::string> cap_add;
  std::vector<std::string> exclude;
  std::vector<std::string> tmpfs;
  std::vector<std::string> env;
  std::vector<std::string> env_files;
  std::vector<std::string> labels;
  std::optional<std::string> hostname;
  std::optional<std::string> shm_size;
  std::vector<std::string> ulimits;           // NAME=SOFT[:HARD]
  std::optional<std::string> platform;        // OS[/ARCH[/VARIANT]], for the image
  std::vector<std::string> publish;           // -p [IP:][HOSTPORT:]PORT[/PROTO]
  std::vector<std::string> devices;           // --device HOSTPATH[:PATH[:rwm]]
  std::optional<std::string> gpus;            // --gpus all|N|device=IDS
  bool writable_root = false;
  // docker run's spellings of the defaults (--read-only, --security-opt no-new-privileges,
  // --cap-drop): they change nothing, and contradict a relaxation from the flags or the profile.
  bool read_only_root_asked = false;
  bool no_new_privileges_asked = false;
  std::vector<std::string> cap_drop;
  bool no_init = false;
  bool allow_new_privileges = false;
  bool workspace_rw = false;
  bool interactive = false;
  bool tty = false;
  std::optional<std::string> detach_keys;      // --detach-keys, else config.json's detachKeys
  std::string detach_keys_from = "--detach-keys"; // which of the two, for its error message
  bool keep = false;
  bool pull = false;
  bool detach = false;                         // -d: the sandbox goes on without the plugin (run/detached.h)
  std::optional<std::string> ttl;              // --ttl DURATION, or 0 for none
  std::optional<std::string> idle_timeout;     // --idle-timeout DURATION
};

// What resolution needs to know about the invoker.
struct HostFacts
{
  std::string cwd;
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  engine::Environment env;
  std::string config_dir; // the Docker config dir (credentials, and the user's consent records)
  // The engine runs rootless (run/engine_facts.h): its uid 0 is its owner outside (this user, for
  // their own engine), and any other uid a subordinate one that could neither write the output
  // nor leave files the owner owns.
  bool rootless_engine = false;
  // This host's own addresses, which a name may reach through the egress proxy only by an address
  // rule (for an engine on this host, they are the engine host's).
  std::vector<std::string> host_addresses = {};
};

// The wall between the sandbox and the host's kernel (run/isolation.h): the engine's default
// runtime unless --isolation names one.
enum class Isolation { engine_default, runc, gvisor, automatic };

// What a bound host path is to the run: the workspace and the output have their own rules
// (staged, delivered, copied in DinD); a host bind is one more path the user named with -v.
enum class BindRole { workspace, output, host };

struct BindSpec
{
  std::string source; // absolute host path
  std::string target;
  bool read_only = true;
  BindRole role = BindRole::host;
};

// A named volume mounted into the sandbox.
struct VolumeMount
{
  std::string volume;
  std::string target;
  bool read_only = false;
};

// --input: a host file or directory copied into a new read-only volume mounted at `mount.target`.
struct InputSpec
{
  std::string host_path; // absolute
  bool directory = false; // its contents go into the volume; a file goes in by its name
  VolumeMount mount;
};

// How the workspace and the output reach the sandbox: bound by their host paths, or copied in and
// out through run volumes for an engine that does not see our directories (Docker-in-Docker, a
// remote engine). `detect` binds once a probe has shown that the engine sees them.
enum class WorkspaceMode { bind, copy, detect };

// --workspace-mode copy: the run volumes that stand in for the host directories.
struct WorkspaceCopy
{
  std::optional<VolumeMount> workspace; // filled with the workspace, mounted read-only at /workspace
  std::pair<std::uint64_t, std::uint64_t> identity; // the workspace's device and inode, checked when the upload opens it
  std::vector<std::string> hollow;      // workspace paths uploaded as empty directories (mount points)
  std::optional<VolumeMount> output;    // mounted at /workspace/output, downloaded into the output stage
};

// A detached sandbox (run -d, create): its lifetime, and its init in a run volume.
struct DetachedOptions
{
  managed::Lifetime lifetime;
  VolumeMount init_volume;       // read-only at k_init_dir
  ShippedProgram init;           // set by the plugin before planning
};

// --collect: a path in the run's output volume copied to a host directory after the run.
struct CollectSpec
{
  std::string container_path; // absolute, inside the output volume
  std::string host_dir;       // absolute; missing or empty
};

struct RunOptions
{
  std::string image;
  std::vector<std::string> command;
  std::optional<std::string> entrypoint;
  std::string user;                          // "65534:65534", "1000:1000", or what --user said
  std::optional<std::int64_t> sandbox_uid;   // numeric uid when known
  std::optional<std::int64_t> sandbox_gid;
  bool user_named = false;                   // --user names a user or group: the ids come from the image
  std::string network = "none";               // with egress: its internal network
  std::optional<EgressOptions> egress;        // --allow-host
  bool read_only_root = true;
  bool init = true;
  bool no_new_privileges = true;
  std::vector<std::string> cap_add;          // CAP_ names
  std::optional<std::string> seccomp;        // compact profile JSON, or "unconfined"
  std::int64_t pids_limit = k_default_pids;  // -1: unlimited
  std::int64_t memory = 0;                   // bytes; 0: unlimited
  std::optional<std::int64_t> nano_cpus;
  std::vector<BindSpec> binds;               // workspace, output, -v host paths
  std::string workspace_target = k_workspace_target;
  std::string output_target = std::string(k_workspace_target) + "/" + k_output_name;
  std::vector<TmpfsSpec> tmpfs;              // /tmp, excludes, --tmpfs
  std::vector<std::string> env;              // KEY=VALUE
  std::vector<std::pair<std::string, std::string>> labels; // ours first, then the user's
  std::optional<std::string> name;
  std::string workdir;                       // empty: the image's
  std::optional<std::string> runtime;        // HostConfig.Runtime; with gvisor, settled from the engine's runtimes
  Isolation isolation = Isolation::engine_default;
  std::optional<std::string> hostname;
  std::optional<std::int64_t> shm_size;      // bytes of /dev/shm; unset: the engine's 64m
  std::vector<Ulimit> ulimits;
  std::optional<std::string> platform;
  std::vector<PortPublish> ports;
  std::vector<DeviceSpec> devices;
  std::optional<GpuRequest> gpus;
  bool interactive = false;
  bool tty = false;
  std::string detach_keys;     // docker's spelling, for the engine's detachKeys: ctrl-p,ctrl-q unless chosen
  std::string detach_sequence; // their bytes
  std::optional<std::pair<int, int>> console_size; // rows, columns of the user's terminal
  bool keep = false;
  bool pull = false;
  std::optional<DetachedOptions> detached;   // -d
  engine::CredentialConfig credentials;      // config.json's, for the pull's X-Registry-Auth
  std::optional<std::chrono::milliseconds> timeout;
  int stop_timeout_seconds = 10;
  std::string run_id;
  std::string created;                       // RFC 3339, from RunIdentity
  std::string owner;                         // "<hostname>:<pid>", from RunIdentity
  std::string nonce;                         // from RunIdentity
  WorkspaceMode workspace_mode = WorkspaceMode::detect;
  std::optional<std::string> workspace;      // host path, when mounted or copied
  std::optional<std::string> output;         // host path, when mounted or copied
  std::optional<WorkspaceCopy> workspace_copy; // with WorkspaceMode::copy
  std::vector<std::string> dirs_to_create;   // host directories the run needs (created after planning)
  std::vector<PinSpec> pins;                 // a workspace whose path could be swapped: staged while it starts
  std::optional<StagedOutput> staged_output; // where the sandbox writes what goes into `output`
  std::vector<std::string> warnings;         // e.g. host networking
  std::optional<std::string> tenant;
  std::string run_label;                     // --run, else run_id
  std::vector<VolumeMount> volumes;          // --volume: existing volumes, checked against the tenant
  std::vector<InputSpec> inputs;             // volumes this run creates and fills
  std::optional<VolumeMount> output_volume;  // created when something is collected
  std::vector<CollectSpec> collects;
  std::uint64_t collect_max_bytes = k_default_copy_max_bytes; // all collects together may write this much
  std::uint64_t collect_max_files = k_default_copy_max_files; // and this many files, directories and links
  bool keep_volumes = false;
};

// Identity of this run, chosen by the caller (random id, clock, host and pid) so that resolution is
// deterministic in tests.
struct RunIdentity
{
  std::string run_id;  // 12 lowercase hex characters
  std::string created; // RFC 3339 UTC
  std::string owner;   // "<hostname>:<pid>" of the plugin process
  std::string nonce;   // random, not in any name: proves a volume was made by this run ("": the run id)
};

// Validates every flag and fills in the locked-down defaults. Collects all problems and throws
// one UsageError listing them.
RunOptions resolve_run_options(const RunFlags& flags, const HostFacts& host, const RunIdentity& identity);

// True when the run binds host paths (the workspace, the output, -v HOSTPATH:PATH), which an
// engine that does not see this host's directories would bind from its own.
bool binds_host_paths(const RunOptions& options);

// Adds one -e entry to `out`: KEY=VALUE, or KEY alone with its value from `env` (nothing when it is
// unset there), as docker does. Throws UsageError, `where` in front, for a name that is empty or
// holds whitespace or a control character.
void add_env_entry(const std::string& entry, const engine::Environment& env, std::vector<std::string>& out,
                   const std::string& where);

// Parses a docker env file (KEY=VALUE, KEY alone takes the value from `env`, # comments).
// Throws UsageError naming file:line on a bad line.
std::vector<std::string> parse_env_file(const std::string& path, const std::string& text,
                                        const engine::Environment& env);

} // namespace sandbox::run
