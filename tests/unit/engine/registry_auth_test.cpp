// Registry credentials as the docker CLI finds them: the registry of an image reference, the key
// its credentials are stored under, config.json's auths, credsStore and credHelpers (a fake
// docker-credential-fake on a temporary PATH), and the X-Registry-Auth value.

#include "engine/config_file.h"
#include "engine/environment.h"
#include "engine/registry_auth.h"
#include "util/error.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

using sandbox::engine::AuthConfig;
using sandbox::engine::CredentialConfig;
using sandbox::test::message_of;
using sandbox::test::TempDir;

void write_file(const std::string& path, const std::string& text)
{
  std::ofstream(path) << text;
}

// Puts `script` (a /bin/sh body) on a PATH of its own as docker-credential-<suffix>.
void install_helper(const TempDir& dir, const std::string& suffix, const std::string& script)
{
  std::string path = dir.path + "/docker-credential-" + suffix;
  write_file(path, "#!/bin/sh\n" + script);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

sandbox::engine::Environment path_of(const TempDir& dir)
{
  return sandbox::engine::fixed_environment({{"PATH", dir.path}});
}

// A helper that keeps what it read on stdin and answers as docker-credential-helpers do.
std::string answering(const TempDir& dir, const std::string& username, const std::string& secret)
{
  return "cat > " + dir.path + "/stdin\n[ \"$1\" = get ] || exit 3\n"
         "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + username + "\",\"Secret\":\"" + secret + "\"}\\n' \"$(cat "
         + dir.path + "/stdin)\"\n";
}

// The message of the Error credential_helper_get throws when docker-credential-SUFFIX runs `script`.
std::string failure_of(const TempDir& dir, const std::string& suffix, const std::string& script,
                       const sandbox::engine::HelperLimits& limits = {})
{
  install_helper(dir, suffix, script);
  return message_of<sandbox::Error>(
    [&] { sandbox::engine::credential_helper_get(suffix, "registry.example", path_of(dir), limits); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(registry_auth)

BOOST_AUTO_TEST_CASE(an_image_reference_names_its_registry_as_docker_does)
{
  using sandbox::engine::registry_hostname;
  BOOST_TEST(registry_hostname("alpine") == "docker.io");
  BOOST_TEST(registry_hostname("alpine:3.20") == "docker.io");
  BOOST_TEST(registry_hostname("alpine@sha256:0123") == "docker.io");
  BOOST_TEST(registry_hostname("library/alpine") == "docker.io");
  BOOST_TEST(registry_hostname("me/tool:1") == "docker.io");
  BOOST_TEST(registry_hostname("docker.io/me/tool") == "docker.io");
  BOOST_TEST(registry_hostname("index.docker.io/me/tool") == "docker.io");
  BOOST_TEST(registry_hostname("registry.example/tool:1") == "registry.example");
  BOOST_TEST(registry_hostname("ghcr.io/org/tool@sha256:0123") == "ghcr.io");
  BOOST_TEST(registry_hostname("localhost/tool") == "localhost");
  BOOST_TEST(registry_hostname("localhost:5000/tool") == "localhost:5000");
  BOOST_TEST(registry_hostname("buildhost:5000/a/b:c") == "buildhost:5000");
  BOOST_TEST(registry_hostname("Registry/tool") == "Registry"); // upper case is never a repository
}

BOOST_AUTO_TEST_CASE(docker_hub_credentials_live_under_the_index_url)
{
  BOOST_TEST(sandbox::engine::auth_config_key("docker.io") == "https://index.docker.io/v1/");
  BOOST_TEST(sandbox::engine::auth_config_key("registry.example:5000") == "registry.example:5000");
}

BOOST_AUTO_TEST_CASE(the_header_is_base64url_json_as_the_cli_sends_it)
{
  AuthConfig password;
  password.username = "u";
  password.password = "???"; // '/' in standard base64: '_' in base64url
  password.server_address = "registry.example";
  BOOST_TEST(sandbox::engine::encode_registry_auth(password)
             == "eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6Ij8_PyIsInNlcnZlcmFkZHJlc3MiOiJyZWdpc3RyeS5leGFtcGxlIn0=");
  AuthConfig token;
  token.server_address = "https://index.docker.io/v1/";
  token.identity_token = "tok";
  // {"serveraddress":"https://index.docker.io/v1/","identitytoken":"tok"}
  BOOST_TEST(sandbox::engine::encode_registry_auth(token)
             == "eyJzZXJ2ZXJhZGRyZXNzIjoiaHR0cHM6Ly9pbmRleC5kb2NrZXIuaW8vdjEvIiwiaWRlbnRpdHl0b2tlbiI6InRvayJ9");
}

BOOST_AUTO_TEST_CASE(config_json_auths_are_decoded_and_a_bad_one_is_a_warning_that_hides_it)
{
  TempDir dir;
  write_file(dir.path + "/config.json", R"({
    "auths": {
      "https://index.docker.io/v1/": {"auth": "bWU6czNjcmV0"},
      "registry.example": {"auth": "bWU6czNjcmV0", "identitytoken": "tok"},
      "bad.example": {"auth": "not-base64-secret"}
    },
    "credsStore": "desktop",
    "credHelpers": {"gcr.io": "gcloud"}
  })");
  sandbox::engine::ConfigFile config = sandbox::engine::load_config_file(dir.path);
  const CredentialConfig& credentials = config.credentials;
  BOOST_TEST(credentials.config_path == dir.path + "/config.json");
  BOOST_TEST(credentials.creds_store == "desktop");
  BOOST_TEST(credentials.cred_helpers.at("gcr.io") == "gcloud");
  BOOST_TEST(credentials.auths.at("https://index.docker.io/v1/").username == "me");
  BOOST_TEST(credentials.auths.at("https://index.docker.io/v1/").password == "s3cret");
  BOOST_TEST(credentials.auths.at("registry.example").identity_token == "tok");
  BOOST_TEST(credentials.auths.at("registry.example").server_address == "registry.example");
  BOOST_TEST(credentials.auths.count("bad.example") == 0u);
  BOOST_REQUIRE(config.warnings.size() == 1u);
  BOOST_TEST(config.warnings[0].find("auths entry bad.example") != std::string::npos, config.warnings[0]);
  BOOST_TEST(config.warnings[0].find("not-base64-secret") == std::string::npos, config.warnings[0]);
}

BOOST_AUTO_TEST_CASE(auths_answer_for_their_key_or_a_legacy_url_of_the_same_host)
{
  CredentialConfig config;
  config.config_path = "/home/me/.docker/config.json";
  config.auths["https://registry.example/v1/"].username = "legacy";
  config.auths["other.example"].username = "other";
  auto env = sandbox::engine::fixed_environment({});
  BOOST_TEST(sandbox::engine::find_credentials(config, "registry.example", env).username == "legacy");
  BOOST_TEST(sandbox::engine::find_credentials(config, "other.example", env).username == "other");
  BOOST_TEST(sandbox::engine::find_credentials(config, "none.example", env).empty());
  BOOST_TEST(sandbox::test::shown(sandbox::engine::credential_source(config, "registry.example"))
             == "auths in /home/me/.docker/config.json");
  BOOST_TEST(sandbox::test::shown(sandbox::engine::credential_source(config, "none.example")) == "<unset>");
}

BOOST_AUTO_TEST_CASE(a_helper_gets_the_key_on_stdin_and_its_json_is_parsed)
{
  TempDir dir;
  install_helper(dir, "fake", answering(dir, "me", "s3cret"));
  AuthConfig auth = sandbox::engine::credential_helper_get("fake", "https://index.docker.io/v1/", path_of(dir));
  BOOST_TEST(auth.username == "me");
  BOOST_TEST(auth.password == "s3cret");
  BOOST_TEST(auth.server_address == "https://index.docker.io/v1/");
  BOOST_TEST(auth.identity_token.empty());
  std::ifstream stdin_file(dir.path + "/stdin");
  std::string received((std::istreambuf_iterator<char>(stdin_file)), std::istreambuf_iterator<char>());
  BOOST_TEST(received == "https://index.docker.io/v1/");
}

BOOST_AUTO_TEST_CASE(a_token_username_makes_the_secret_an_identity_token)
{
  TempDir dir;
  install_helper(dir, "fake", answering(dir, "<token>", "refresh-token"));
  AuthConfig auth = sandbox::engine::credential_helper_get("fake", "registry.example", path_of(dir));
  BOOST_TEST(auth.username.empty());
  BOOST_TEST(auth.password.empty());
  BOOST_TEST(auth.identity_token == "refresh-token");
}

BOOST_AUTO_TEST_CASE(credentials_not_found_are_no_credentials)
{
  TempDir dir;
  install_helper(dir, "fake", "cat >/dev/null\necho 'credentials not found in native keychain'\nexit 1\n");
  BOOST_TEST(sandbox::engine::credential_helper_get("fake", "registry.example", path_of(dir)).empty());
}

BOOST_AUTO_TEST_CASE(cred_helpers_win_over_creds_store_which_wins_over_auths)
{
  TempDir dir;
  install_helper(dir, "fake", answering(dir, "from-fake", "x"));
  install_helper(dir, "store", answering(dir, "from-store", "x"));
  CredentialConfig config;
  config.config_path = "/c/config.json";
  config.creds_store = "store";
  config.cred_helpers["registry.example"] = "fake";
  config.auths["registry.example"].username = "from-auths";
  config.auths["other.example"].username = "from-auths";
  BOOST_TEST(sandbox::engine::find_credentials(config, "registry.example", path_of(dir)).username == "from-fake");
  BOOST_TEST(sandbox::engine::find_credentials(config, "other.example", path_of(dir)).username == "from-store");
  BOOST_TEST(sandbox::test::shown(sandbox::engine::credential_source(config, "registry.example"))
             == "docker-credential-fake (credHelpers in /c/config.json)");
  BOOST_TEST(sandbox::test::shown(sandbox::engine::credential_source(config, "other.example"))
             == "docker-credential-store (credsStore in /c/config.json)");
}

BOOST_AUTO_TEST_CASE(a_missing_helper_is_one_clear_line)
{
  TempDir dir;
  CredentialConfig config;
  config.config_path = "/c/config.json";
  config.creds_store = "desktop";
  std::string message = message_of<sandbox::Error>(
    [&] { sandbox::engine::find_credentials(config, "https://index.docker.io/v1/", path_of(dir)); });
  BOOST_TEST(message == "credentials for https://index.docker.io/v1/: docker-credential-desktop was not found on PATH "
                        "(credsStore in /c/config.json)");
}

BOOST_AUTO_TEST_CASE(a_helper_in_a_relative_path_entry_is_never_run)
{
  TempDir dir;
  install_helper(dir, "fake", "echo ran > ran\n");
  std::string cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path);
  std::string message = message_of<sandbox::Error>([&] {
    sandbox::engine::credential_helper_get("fake", "registry.example", sandbox::engine::fixed_environment({{"PATH", ":."}}));
  });
  std::filesystem::current_path(cwd);
  BOOST_TEST(message == "docker-credential-fake was not found on PATH");
  BOOST_TEST(!std::filesystem::exists(dir.path + "/ran"));
}

BOOST_AUTO_TEST_CASE(a_failing_helper_is_named_with_its_error_line)
{
  TempDir dir;
  std::string message = failure_of(dir, "fake", "cat >/dev/null\necho 'the keyring is locked'\nexit 1\n");
  BOOST_TEST(message == "docker-credential-fake get exited with status 1: the keyring is locked");
}

BOOST_AUTO_TEST_CASE(a_helper_is_bounded_in_time_and_output)
{
  TempDir dir;
  sandbox::engine::HelperLimits limits;
  limits.timeout = std::chrono::milliseconds(300);
  limits.max_output = 1000;
  std::string slow = failure_of(dir, "slow", "exec sleep 30\n", limits);
  BOOST_TEST(slow.find("docker-credential-slow get did not answer within") == 0u, slow);
  std::string loud = failure_of(dir, "loud", "exec yes secret-looking-output\n", limits);
  std::string lingering = failure_of(dir, "lingering", "exec >&- 2>&-\nexec sleep 30\n", limits);
  BOOST_TEST(lingering.find("docker-credential-lingering get did not exit within") == 0u, lingering);
  BOOST_TEST(loud == "docker-credential-loud get printed more than 1000 bytes");
}

BOOST_AUTO_TEST_CASE(what_a_helper_prints_on_success_never_reaches_a_message)
{
  TempDir dir;
  std::string message = failure_of(dir, "fake", "cat >/dev/null\necho 'Username: me Secret: s3cret'\n");
  BOOST_TEST(message == "docker-credential-fake get printed something other than JSON credentials");
}

BOOST_AUTO_TEST_SUITE_END()
