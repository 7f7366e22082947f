#include "run/registry_pull.h"

#include "util/error.h"

namespace sandbox::run {

std::optional<plan::SecretHeader> registry_auth_header(const engine::CredentialConfig& config, const std::string& image)
{
  std::string key = engine::auth_config_key(engine::registry_hostname(image));
  std::optional<std::string> source = engine::credential_source(config, key);
  if (!source) {
    return std::nullopt;
  }
  plan::SecretHeader header;
  header.name = "X-Registry-Auth";
  header.summary = "credentials for " + key + " from " + *source;
  header.value = [config, key, image] {
    try {
      engine::AuthConfig auth = engine::find_credentials(config, key, engine::process_environment());
      return auth.empty() ? std::string() : engine::encode_registry_auth(auth);
    } catch (const Error& e) {
      throw Error("pull " + image + ": " + e.what(), e.hint());
    }
  };
  return header;
}

} // namespace sandbox::run
