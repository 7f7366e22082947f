#pragma once

// Registry credentials for a pull, found as the docker CLI finds them: the image reference names a
// registry, config.json's credHelpers, credsStore or auths say where its credentials are, and they
// reach the engine as the X-Registry-Auth header.

#include "engine/environment.h"

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace sandbox::engine {

// The key Docker Hub's credentials are stored under (the docker CLI's IndexServer).
inline constexpr const char* k_docker_hub_auth_key = "https://index.docker.io/v1/";

// Credentials for one registry; all empty when there are none.
struct AuthConfig
{
  std::string username;
  std::string password;
  std::string server_address;
  std::string identity_token;
  std::string registry_token;

  bool empty() const { return username.empty() && password.empty() && identity_token.empty() && registry_token.empty(); }
};

// Where config.json keeps credentials: "auths" (their "auth" fields decoded), "credsStore" and
// "credHelpers".
struct CredentialConfig
{
  std::string config_path; // the config.json they were read from, for messages
  std::map<std::string, AuthConfig> auths;
  std::string creds_store;
  std::map<std::string, std::string> cred_helpers; // registry host name -> helper suffix

  bool empty() const { return auths.empty() && creds_store.empty() && cred_helpers.empty(); }
};

// Bounds on a credential helper: how long it may take and how much it may print.
struct HelperLimits
{
  std::chrono::milliseconds timeout{60000};
  std::size_t max_output = 64 * 1024;
};

// The registry host of an image reference, as docker/distribution normalises it: the first
// component when it contains '.' or ':', is "localhost" or has upper case, else "docker.io"
// ("index.docker.io" is "docker.io" too).
std::string registry_hostname(const std::string& image);

// The key config.json stores a registry's credentials under: k_docker_hub_auth_key for
// "docker.io", else the host name itself.
std::string auth_config_key(const std::string& hostname);

// Decodes an "auth" field of "auths": base64 of "username:password". Throws Error when it is not
// that; the message never holds the field.
std::pair<std::string, std::string> decode_auth_field(const std::string& field);

// Where credentials for `key` come from, for people: "docker-credential-NAME (credHelpers in
// PATH)", "docker-credential-NAME (credsStore in PATH)" or "auths in PATH"; nullopt when config.json
// names none for it.
std::optional<std::string> credential_source(const CredentialConfig& config, const std::string& key);

// The credentials for `key` as the docker CLI's GetAuthConfig finds them: a credHelpers entry for
// it, else credsStore (both through `helper_get`), else "auths" (exactly `key`, else an entry whose
// URL has that host name). Empty when there are none. Throws Error when a helper fails.
AuthConfig find_credentials(const CredentialConfig& config, const std::string& key, const Environment& env,
                            const HelperLimits& limits = {});

// Runs `docker-credential-SUFFIX get` (found along env's PATH) with `server` on its stdin and parses
// its {"ServerURL","Username","Secret"}; a Username of "<token>" makes Secret an identity token.
// Empty when the helper says the credentials are not found. Throws Error, naming the helper but
// never what it printed on success, when it is missing, fails, exceeds `limits` or prints other
// than that JSON.
AuthConfig credential_helper_get(const std::string& suffix, const std::string& server, const Environment& env,
                                 const HelperLimits& limits = {});

// The X-Registry-Auth value the docker CLI sends: base64url of the JSON of the non-empty fields
// among username, password, serveraddress, identitytoken and registrytoken.
std::string encode_registry_auth(const AuthConfig& auth);

} // namespace sandbox::engine
