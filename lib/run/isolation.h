#pragma once

// Which wall stands between the sandboxed code and the host's kernel. runc: namespaces,
// capabilities, seccomp and no-new-privileges, all enforced by the host's kernel, which the code
// calls directly. gVisor (the OCI runtime runsc): a kernel of its own in user space that answers
// the code's system calls, so a bug in the host's kernel is one wall further away. --isolation
// names the kind; which of the engine's runtimes is gVisor only its GET /info says.

#include "engine/engine_features.h"
#include "run/engine_facts.h"
#include "run/run_options.h"

#include <optional>
#include <string>

namespace sandbox::run {

// The fix for an engine without gVisor, exactly: the Debian package, the daemon.json entry, the
// reload. For the refusal's hint and for `doctor`.
extern const char* const k_gvisor_fix;

// Parses --isolation's value: "runc", "gvisor" or "auto"; nullopt for anything else.
std::optional<Isolation> parse_isolation(const std::string& text);

// "runc", "gvisor", "auto"; "" for the engine's default.
std::string isolation_name(Isolation isolation);

// The runtime planned before the engine is asked: "runc" for runc, "runsc" (the name the fix
// gives it) for gvisor, none for auto and the engine's default.
std::optional<std::string> planned_runtime(Isolation isolation);

// The engine's gVisor runtime: the first whose name or path's last component is runsc; nullopt
// when it has none.
std::optional<EngineRuntime> gvisor_runtime_of(const EngineFacts& facts);

// Its name, what HostConfig.Runtime takes.
std::optional<std::string> gvisor_runtime(const EngineFacts& facts);

// Sets options.runtime for options.isolation on an engine with `facts`: gvisor takes the
// engine's gVisor runtime, auto takes it when there is one. Throws Error, with k_gvisor_fix as
// the hint, for gvisor on an engine without one, or on one that does not honour the runtime a
// container asks for (`runtime_choice` false: its runtimes are then never taken, auto included),
// or with a network when the gVisor runtime runs with --network=none, or with a pids limit too
// low for gVisor's own tasks (auto takes the default then).
void settle_isolation(RunOptions& options, const EngineFacts& facts, const engine::EngineFeatures& features);

// For a dry run, which reads nothing from the engine: the line saying what a live run decides
// about the runtime first; "" when the plan is exact (runc, the engine's default).
std::string isolation_plan_note(const RunOptions& options);

} // namespace sandbox::run
