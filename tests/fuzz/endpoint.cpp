// Fuzz target: choosing the engine the way the docker CLI does, from global flags, environment
// variables, config.json and a stored context's meta.json. Any combination must resolve or be
// refused with an Error; a resolved TCP endpoint has a valid port, a socket endpoint a path.
//
// Input, fields cut at NUL bytes: DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CUSTOM_HEADERS,
// DOCKER_API_VERSION, DOCKER_TLS_VERIFY, config.json, the context's meta.json, then global flags.

#include "engine/api_version.h"
#include "engine/config_file.h"
#include "engine/endpoint.h"
#include "engine/global_options.h"
#include "fuzz_input.h"
#include "util/error.h"

#include <map>
#include <sys/stat.h>

namespace {

using sandbox::fuzz::field;
using sandbox::fuzz::invariant_failed;

void make_dirs(const std::string& path)
{
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    ::mkdir(path.substr(0, slash).c_str(), 0755);
  }
  ::mkdir(path.c_str(), 0755);
}

void check(const sandbox::engine::Endpoint& endpoint, bool resolved)
{
  using sandbox::engine::TransportKind;
  if (endpoint.transport == TransportKind::tcp && (endpoint.port <= 0 || endpoint.port > 65535)) {
    invariant_failed("a TCP endpoint with port " + std::to_string(endpoint.port));
  }
  if (endpoint.transport == TransportKind::unix_socket && endpoint.address.empty()) {
    invariant_failed("a socket endpoint without a path");
  }
  // parse_host leaves the command to resolve_endpoint, which must fill it.
  if (resolved && endpoint.transport == TransportKind::dial_stdio && endpoint.dial_stdio_command.empty()) {
    invariant_failed("a dial-stdio endpoint without a command");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::vector<std::string> fields = sandbox::fuzz::split_fields(data, size);
  sandbox::fuzz::ScratchDir scratch; // fresh for every input: no context of an earlier one is seen
  const std::string& dir = scratch.path();
  std::string context = field(fields, 1).empty() ? "fuzz" : field(fields, 1);
  std::map<std::string, std::string> variables{{"DOCKER_CONFIG", dir}, {"HOME", dir}};
  const char* names[] = {"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CUSTOM_HEADERS", "DOCKER_API_VERSION",
                         "DOCKER_TLS_VERIFY"};
  for (std::size_t i = 0; i < 5; ++i) {
    if (!field(fields, i).empty()) {
      variables[names[i]] = field(fields, i);
    }
  }
  sandbox::engine::Environment env = sandbox::engine::fixed_environment(variables);
  sandbox::fuzz::write_file(dir + "/config.json", field(fields, 5));
  std::string meta_dir = dir + "/contexts/meta/" + sandbox::engine::context_digest(context);
  make_dirs(meta_dir);
  sandbox::fuzz::write_file(meta_dir + "/meta.json", field(fields, 6));

  sandbox::engine::Endpoint parsed;
  try {
    sandbox::engine::parse_host(field(fields, 0), !field(fields, 4).empty(), parsed);
    check(parsed, false);
  } catch (const sandbox::Error&) {
  }
  try {
    sandbox::engine::check_pinned(field(fields, 3));
  } catch (const sandbox::Error&) {
  }

  std::vector<std::string> words(fields.size() > 7 ? fields.begin() + 7 : fields.end(), fields.end());
  try {
    sandbox::engine::ParsedGlobals globals = sandbox::engine::parse_global_flags(words);
    sandbox::engine::ConfigFile config =
      sandbox::engine::load_config_file(sandbox::engine::resolve_config_dir(globals.options, env));
    sandbox::engine::resolve_context_name(globals.options, env, config);
    check(sandbox::engine::resolve_endpoint(globals.options, env, config), true);
  } catch (const sandbox::Error&) {
  }
  return 0;
}
