#include "expired_sandboxes.h"

#include "util/cancel.h"
#include "util/error.h"
#include "util/identity.h"
#include "util/printable.h"
#include "util/trace.h"

#include <ctime>
#include <ostream>

namespace sandbox::cli {

managed::Removals remove_expired_sandboxes(CommandContext& ctx, const PlanFlags& flags)
{
  if (flags.dry_run && flags.api_version) {
    return {};
  }
  try {
    engine::EngineClient& client = ctx.client(flags.api_version);
    managed::Removals removals;
    try {
      removals = managed::plan_remove_expired(client, static_cast<std::int64_t>(std::time(nullptr)),
                                              managed::local_owner_check(hostname()), plan_version(ctx, flags));
    } catch (const EngineError& e) {
      // An engine that will not list (a socket proxy's policy): nothing to remove that we can
      // see, and no line on every command for it.
      trace(std::string("expired sandboxes not looked for: ") + e.what());
      return {};
    }
    if (flags.dry_run || removals.names.empty()) {
      return removals;
    }
    plan::HttpExecutor executor(client);
    plan::run_plan(removals.plan, executor);
    for (const std::string& name : removals.names) {
      ctx.err() << "docker sandbox: removed " << printable(name) << ": its sandbox's --ttl has passed\n";
    }
    removals.plan.steps.clear(); // sent
    return removals;
  } catch (const Cancelled&) {
    throw;
  } catch (const ConnectionError&) {
    throw; // the command could not have worked either
  } catch (const Error& e) {
    ctx.warn(std::string("could not remove the sandboxes whose --ttl has passed: ") + e.what());
  }
  return {};
}

} // namespace sandbox::cli
