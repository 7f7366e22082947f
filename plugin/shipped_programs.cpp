#include "shipped_programs.h"

#include "util/digest.h"

// Each program, stripped and static, as read-only data of the plugin, between two symbols.
#define SANDBOX_INCBIN(name, file)                                                                                   \
  __asm__(".section .rodata\n"                                                                                       \
          ".balign 16\n" #name "_begin:\n"                                                                           \
          ".incbin \"" file "\"\n" #name "_end:\n"                                                                   \
          ".previous\n");                                                                                            \
  extern "C" const char name##_begin[];                                                                              \
  extern "C" const char name##_end[];

#ifdef SANDBOX_EGRESS_PROXY_FILE
SANDBOX_INCBIN(sandbox_egress_proxy, SANDBOX_EGRESS_PROXY_FILE)
#endif
#ifdef SANDBOX_INIT_FILE
SANDBOX_INCBIN(sandbox_init, SANDBOX_INIT_FILE)
#endif

namespace sandbox::cli {

namespace {

run::ShippedProgram program(const char* begin, const char* end)
{
  run::ShippedProgram out;
  out.bytes = std::string_view(begin, static_cast<std::size_t>(end - begin));
  return out;
}

} // namespace

std::optional<run::ShippedProgram> egress_program()
{
#ifdef SANDBOX_EGRESS_PROXY_FILE
  run::ShippedProgram proxy = program(sandbox_egress_proxy_begin, sandbox_egress_proxy_end);
  proxy.digest = sha256_hex(proxy.bytes); // names its image
  return proxy;
#else
  return std::nullopt;
#endif
}

std::optional<run::ShippedProgram> init_program()
{
#ifdef SANDBOX_INIT_FILE
  return program(sandbox_init_begin, sandbox_init_end);
#else
  return std::nullopt;
#endif
}

} // namespace sandbox::cli
