#include "run/shipped_program.h"

#include "util/error.h"

namespace sandbox::run {

namespace {

// The architecture the programs were built for, as the engine names it in GET /version.
constexpr std::string_view k_program_arch =
#if defined(__x86_64__)
  "amd64";
#elif defined(__aarch64__)
  "arm64";
#else
  "unknown";
#endif

} // namespace

plan::Step architecture_step(const std::string& id, const std::string& flag, const std::string& program)
{
  plan::Step step = plan::make_step(id, "read the engine's architecture: " + program + " is an " + std::string(k_program_arch) + " program",
                                    "GET", "/version");
  step.check = [flag, program](const plan::Reply& reply) {
    std::string arch = reply.body.is_object() ? reply.body.string_or("Arch") : "";
    if (arch != k_program_arch) {
      throw UsageError(flag + ": the engine runs on " + (arch.empty() ? std::string("an unknown architecture") : arch) + ", and "
                         + program + " of this docker-sandbox is an " + std::string(k_program_arch) + " program",
                       "use a docker-sandbox built for " + (arch.empty() ? std::string("the engine's architecture") : arch));
    }
  };
  step.check_summary = "Arch is " + std::string(k_program_arch);
  return step;
}

} // namespace sandbox::run
