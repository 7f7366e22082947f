#include "egress_program.h"

#include "util/digest.h"

#ifdef SANDBOX_EGRESS_PROXY_FILE
// The stripped, static proxy, as read-only data of the plugin.
__asm__(".section .rodata\n"
        ".balign 16\n"
        "sandbox_egress_proxy_begin:\n"
        ".incbin \"" SANDBOX_EGRESS_PROXY_FILE "\"\n"
        "sandbox_egress_proxy_end:\n"
        ".previous\n");
extern "C" const char sandbox_egress_proxy_begin[];
extern "C" const char sandbox_egress_proxy_end[];
#endif

namespace sandbox::cli {

std::optional<run::EgressProgram> egress_program()
{
#ifdef SANDBOX_EGRESS_PROXY_FILE
  run::EgressProgram program;
  program.bytes = std::string_view(sandbox_egress_proxy_begin,
                                   static_cast<std::size_t>(sandbox_egress_proxy_end - sandbox_egress_proxy_begin));
  program.digest = sha256_hex(program.bytes);
  return program;
#else
  return std::nullopt;
#endif
}

} // namespace sandbox::cli
