// Endpoint resolution exactly as the docker CLI does it (reference §2.1-2.4): config directory,
// which context wins, the synthesised default context (host parsing, TLS from flags and env),
// stored contexts read from a real temporary context store, and the client-side knobs.

#include "engine/config_file.h"
#include "engine/endpoint.h"
#include "engine/environment.h"
#include "engine/global_options.h"
#include "util/error.h"
#include "util/json.h"

#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using Args = std::vector<std::string>;
using Env = std::map<std::string, std::string>;
using Headers = std::vector<std::pair<std::string, std::string>>;
using sandbox::engine::Endpoint;
using sandbox::engine::TransportKind;

const char* const k_sbxtest_digest = "4bcd29318b9a7ae27c315ec75b04e1e53a74a16ade969c933ff5be8601f4c1e9";

std::string transport_name(TransportKind kind)
{
  switch (kind) {
  case TransportKind::unix_socket:
    return "unix";
  case TransportKind::tcp:
    return "tcp";
  case TransportKind::dial_stdio:
    return "dial_stdio";
  }
  return "?";
}

void write_file(const std::string& path, const std::string& content)
{
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) {
    throw std::runtime_error("cannot write " + path);
  }
}

// A docker config directory under /tmp, removed again at the end of the test.
class ConfigDir
{
public:
  ConfigDir()
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "sandbox-unit-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
  }
  ~ConfigDir()
  {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  ConfigDir(const ConfigDir&) = delete;
  ConfigDir& operator=(const ConfigDir&) = delete;

  const std::string& path() const { return m_path; }

  // Writes contexts/meta/<digest>/meta.json as `docker context create` does.
  void add_context(const std::string& name, const std::string& host, bool skip_tls_verify = false) const
  {
    sandbox::json::Value docker = sandbox::json::Value::object();
    docker.set("Host", host);
    docker.set("SkipTLSVerify", skip_tls_verify);
    sandbox::json::Value endpoints = sandbox::json::Value::object();
    endpoints.set("docker", docker);
    sandbox::json::Value meta = sandbox::json::Value::object();
    meta.set("Name", name);
    meta.set("Metadata", sandbox::json::Value::object());
    meta.set("Endpoints", endpoints);
    write_file(meta_path(name), meta.dump());
  }

  std::string meta_path(const std::string& name) const
  {
    return m_path + "/contexts/meta/" + sandbox::engine::context_digest(name) + "/meta.json";
  }

  // contexts/tls/<digest>/docker/<file> for each file; returns that directory.
  std::string add_context_tls(const std::string& name, const std::vector<std::string>& files) const
  {
    std::string dir = m_path + "/contexts/tls/" + sandbox::engine::context_digest(name) + "/docker";
    std::filesystem::create_directories(dir);
    for (const std::string& file : files) {
      write_file(dir + "/" + file, "-----BEGIN CERTIFICATE-----\n");
    }
    return dir;
  }

  void write_config(const std::string& json) const { write_file(m_path + "/config.json", json); }

  void set_current_context(const std::string& name) const
  {
    write_config(R"({"auths":{},"currentContext":")" + name + R"("})");
  }

  // ca.pem, cert.pem, key.pem (as named) directly in this directory, as DOCKER_CERT_PATH holds them.
  void add_pem_files(const std::vector<std::string>& files) const
  {
    for (const std::string& file : files) {
      write_file(m_path + "/" + file, "-----BEGIN CERTIFICATE-----\n");
    }
  }

  sandbox::engine::ConfigFile config() const { return sandbox::engine::load_config_file(m_path); }

private:
  std::string m_path;
};

sandbox::engine::GlobalOptions globals(const Args& args)
{
  return sandbox::engine::parse_global_flags(args).options;
}

Endpoint resolve(const ConfigDir& dir, const Args& flags, const Env& env = {})
{
  return sandbox::engine::resolve_endpoint(globals(flags), sandbox::engine::fixed_environment(env), dir.config());
}

std::string context_name(const ConfigDir& dir, const Args& flags, const Env& env = {})
{
  return sandbox::engine::resolve_context_name(globals(flags), sandbox::engine::fixed_environment(env), dir.config());
}

std::string resolve_error(const ConfigDir& dir, const Args& flags, const Env& env = {})
{
  return sandbox::test::message_of<sandbox::Error>([&] { resolve(dir, flags, env); });
}

Endpoint parsed_host(const std::string& text, bool default_to_tls = false)
{
  Endpoint endpoint;
  sandbox::engine::parse_host(text, default_to_tls, endpoint);
  return endpoint;
}

std::string host_error(const std::string& text)
{
  return sandbox::test::message_of<sandbox::Error>([&] { parsed_host(text); });
}

bool contains(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(endpoint)

// --- config directory (§2.1) ---

BOOST_AUTO_TEST_CASE(config_flag_beats_docker_config_and_home)
{
  std::string dir = sandbox::engine::resolve_config_dir(
    globals({"--config", "/flag/cfg"}),
    sandbox::engine::fixed_environment({{"DOCKER_CONFIG", "/env/cfg"}, {"HOME", "/home/u"}}));
  BOOST_TEST(dir == "/flag/cfg");
}

BOOST_AUTO_TEST_CASE(docker_config_beats_home)
{
  std::string dir = sandbox::engine::resolve_config_dir(
    globals({}), sandbox::engine::fixed_environment({{"DOCKER_CONFIG", "/env/cfg"}, {"HOME", "/home/u"}}));
  BOOST_TEST(dir == "/env/cfg");
}

BOOST_AUTO_TEST_CASE(home_dot_docker_is_the_default)
{
  BOOST_TEST(sandbox::engine::resolve_config_dir(globals({}), sandbox::engine::fixed_environment({{"HOME", "/home/u"}}))
             == "/home/u/.docker");
  // An empty DOCKER_CONFIG counts as unset.
  BOOST_TEST(sandbox::engine::resolve_config_dir(
               globals({}), sandbox::engine::fixed_environment({{"DOCKER_CONFIG", ""}, {"HOME", "/home/u"}}))
             == "/home/u/.docker");
}

BOOST_AUTO_TEST_CASE(without_home_the_user_database_home_is_used)
{
  std::string dir = sandbox::engine::resolve_config_dir(globals({}), sandbox::engine::fixed_environment({}));
  BOOST_TEST(dir.size() > std::string("/.docker").size());
  BOOST_TEST(dir.substr(dir.size() - 8) == "/.docker");
}

BOOST_AUTO_TEST_CASE(the_config_dir_decides_which_current_context_applies)
{
  ConfigDir flag_dir;
  ConfigDir env_dir;
  flag_dir.set_current_context("from-flag");
  env_dir.set_current_context("from-env");
  sandbox::engine::GlobalOptions options = globals({"--config", flag_dir.path()});
  sandbox::engine::Environment env = sandbox::engine::fixed_environment({{"DOCKER_CONFIG", env_dir.path()}});
  sandbox::engine::ConfigFile config =
    sandbox::engine::load_config_file(sandbox::engine::resolve_config_dir(options, env));
  BOOST_TEST(sandbox::engine::resolve_context_name(options, env, config) == "from-flag");

  sandbox::engine::GlobalOptions no_flag = globals({});
  sandbox::engine::ConfigFile env_config =
    sandbox::engine::load_config_file(sandbox::engine::resolve_config_dir(no_flag, env));
  BOOST_TEST(sandbox::engine::resolve_context_name(no_flag, env, env_config) == "from-env");
}

BOOST_AUTO_TEST_CASE(missing_config_json_is_an_empty_config)
{
  ConfigDir dir;
  sandbox::engine::ConfigFile config = dir.config();
  BOOST_TEST(config.dir == dir.path());
  BOOST_TEST(sandbox::test::shown(config.current_context) == "<unset>");
  BOOST_TEST(config.http_headers.empty());
  BOOST_TEST(config.warnings.empty());
}

BOOST_AUTO_TEST_CASE(config_json_keys_are_read)
{
  ConfigDir dir;
  dir.write_config(R"({"auths":{},"currentContext":"sbxtest","HttpHeaders":{"X-Meta":"a","X-Num":1,"X-Two":"b"}})");
  sandbox::engine::ConfigFile config = dir.config();
  BOOST_TEST(sandbox::test::shown(config.current_context) == "sbxtest");
  BOOST_TEST((config.http_headers == Headers{{"X-Meta", "a"}, {"X-Two", "b"}}));
  BOOST_TEST(config.warnings.empty());
}

BOOST_AUTO_TEST_CASE(empty_current_context_counts_as_unset)
{
  ConfigDir dir;
  dir.write_config(R"({"currentContext":""})");
  BOOST_TEST(sandbox::test::shown(dir.config().current_context) == "<unset>");
}

BOOST_AUTO_TEST_CASE(unparsable_config_json_is_a_warning)
{
  ConfigDir dir;
  dir.write_config("{not json");
  sandbox::engine::ConfigFile config = dir.config();
  BOOST_REQUIRE(config.warnings.size() == 1u);
  BOOST_TEST(contains(config.warnings[0], "loading config file " + dir.path() + "/config.json: invalid JSON"));
  BOOST_TEST(sandbox::test::shown(config.current_context) == "<unset>");
  // Resolution still works, from the defaults.
  BOOST_TEST(resolve(dir, {}).host == "unix:///var/run/docker.sock");
}

// --- which context (§2.2) ---

BOOST_AUTO_TEST_CASE(context_flag_beats_everything)
{
  ConfigDir dir;
  dir.add_context("sbxunix", "unix:///run/sbx.sock");
  dir.add_context("other", "tcp://other:2375");
  dir.set_current_context("other");
  const Env env = {{"DOCKER_HOST", "tcp://env-host:2375"}, {"DOCKER_CONTEXT", "other"}};
  BOOST_TEST(context_name(dir, {"--context", "sbxunix"}, env) == "sbxunix");
  Endpoint endpoint = resolve(dir, {"-c", "sbxunix"}, env);
  BOOST_TEST(endpoint.context == "sbxunix");
  BOOST_TEST(endpoint.host == "unix:///run/sbx.sock");
  BOOST_TEST(transport_name(endpoint.transport) == "unix");
  BOOST_TEST(endpoint.address == "/run/sbx.sock");
}

BOOST_AUTO_TEST_CASE(host_flag_selects_the_default_context)
{
  ConfigDir dir;
  dir.add_context("other", "tcp://other:2375");
  dir.set_current_context("other");
  const Env env = {{"DOCKER_HOST", "tcp://env-host:2375"}, {"DOCKER_CONTEXT", "other"}};
  BOOST_TEST(context_name(dir, {"-H", "tcp://flag-host:1234"}, env) == "default");
  Endpoint endpoint = resolve(dir, {"-H", "tcp://flag-host:1234"}, env);
  BOOST_TEST(endpoint.context == "default");
  BOOST_TEST(endpoint.host == "tcp://flag-host:1234"); // -H beats DOCKER_HOST
  BOOST_TEST(endpoint.address == "flag-host");
  BOOST_TEST(endpoint.port == 1234);
}

BOOST_AUTO_TEST_CASE(docker_host_selects_default_even_with_docker_context_and_current_context)
{
  ConfigDir dir;
  dir.add_context("sbxtest", "tcp://127.0.0.1:2376", true);
  dir.set_current_context("sbxtest");
  const Env env = {{"DOCKER_HOST", "unix:///var/run/docker.sock"}, {"DOCKER_CONTEXT", "sbxtest"}};
  BOOST_TEST(context_name(dir, {}, env) == "default");
  Endpoint endpoint = resolve(dir, {}, env);
  BOOST_TEST(endpoint.context == "default");
  BOOST_TEST(endpoint.host == "unix:///var/run/docker.sock");
  BOOST_TEST(!endpoint.tls.has_value());
}

BOOST_AUTO_TEST_CASE(docker_host_with_only_current_context_selects_default)
{
  ConfigDir dir;
  dir.add_context("sbxtest", "tcp://127.0.0.1:2376", true);
  dir.set_current_context("sbxtest");
  BOOST_TEST(context_name(dir, {}, {{"DOCKER_HOST", "tcp://h:2375"}}) == "default");
}

BOOST_AUTO_TEST_CASE(docker_context_beats_current_context)
{
  ConfigDir dir;
  dir.add_context("sbxunix", "unix:///run/a.sock");
  dir.add_context("sbxtest", "unix:///run/b.sock");
  dir.set_current_context("sbxtest");
  BOOST_TEST(context_name(dir, {}, {{"DOCKER_CONTEXT", "sbxunix"}}) == "sbxunix");
  Endpoint endpoint = resolve(dir, {}, {{"DOCKER_CONTEXT", "sbxunix"}});
  BOOST_TEST(endpoint.context == "sbxunix");
  BOOST_TEST(endpoint.host == "unix:///run/a.sock");
}

BOOST_AUTO_TEST_CASE(current_context_is_used_when_nothing_else_is_given)
{
  ConfigDir dir;
  dir.add_context("sbxtest", "tcp://127.0.0.1:2376", true);
  dir.set_current_context("sbxtest");
  Endpoint endpoint = resolve(dir, {});
  BOOST_TEST(endpoint.context == "sbxtest");
  BOOST_TEST(endpoint.host == "tcp://127.0.0.1:2376");
  BOOST_TEST(transport_name(endpoint.transport) == "tcp");
}

BOOST_AUTO_TEST_CASE(fallback_is_the_default_socket)
{
  ConfigDir dir;
  Endpoint endpoint = resolve(dir, {});
  BOOST_TEST(endpoint.context == "default");
  BOOST_TEST(endpoint.host == "unix:///var/run/docker.sock");
  BOOST_TEST(transport_name(endpoint.transport) == "unix");
  BOOST_TEST(endpoint.address == "/var/run/docker.sock");
  BOOST_TEST(!endpoint.tls.has_value());
  BOOST_TEST(endpoint.dial_stdio_command.empty());
  BOOST_TEST(endpoint.headers.empty());
  BOOST_TEST(sandbox::test::shown(endpoint.pinned_api_version) == "<unset>");
}

BOOST_AUTO_TEST_CASE(empty_variables_count_as_unset)
{
  ConfigDir dir;
  dir.add_context("sbxtest", "tcp://127.0.0.1:2376", true);
  dir.set_current_context("sbxtest");
  const Env env = {{"DOCKER_HOST", ""}, {"DOCKER_CONTEXT", ""}, {"DOCKER_API_VERSION", ""}};
  Endpoint endpoint = resolve(dir, {}, env);
  BOOST_TEST(endpoint.context == "sbxtest");
  BOOST_TEST(sandbox::test::shown(endpoint.pinned_api_version) == "<unset>");
}

BOOST_AUTO_TEST_CASE(context_named_default_is_synthesised_not_read)
{
  ConfigDir dir; // an empty store: no meta.json for "default" anywhere
  Endpoint by_flag = resolve(dir, {"--context", "default"}, {{"DOCKER_CONTEXT", "other"}});
  BOOST_TEST(by_flag.context == "default");
  BOOST_TEST(by_flag.host == "unix:///var/run/docker.sock");

  Endpoint by_env = resolve(dir, {}, {{"DOCKER_CONTEXT", "default"}});
  BOOST_TEST(by_env.context == "default");

  dir.set_current_context("default");
  Endpoint by_config = resolve(dir, {});
  BOOST_TEST(by_config.context == "default");
  BOOST_TEST(by_config.host == "unix:///var/run/docker.sock");
}

BOOST_AUTO_TEST_CASE(default_context_takes_its_host_from_docker_host)
{
  ConfigDir dir;
  Endpoint endpoint = resolve(dir, {"--context", "default"}, {{"DOCKER_HOST", "tcp://10.0.0.2:2375"}});
  BOOST_TEST(endpoint.context == "default");
  BOOST_TEST(endpoint.host == "tcp://10.0.0.2:2375");
}

BOOST_AUTO_TEST_CASE(unknown_context_is_named_in_the_error)
{
  ConfigDir dir;
  const std::string expected_path = dir.path() + "/contexts/meta/" + sandbox::engine::context_digest("nope") + "/meta.json";
  for (const auto& [flags, env] : std::vector<std::pair<Args, Env>>{
         {{"--context", "nope"}, {}}, {{}, {{"DOCKER_CONTEXT", "nope"}}}}) {
    BOOST_TEST_CONTEXT("flags " << flags.size() << " env " << env.size())
    {
      try {
        resolve(dir, flags, env);
        BOOST_ERROR("expected an Error");
      } catch (const sandbox::Error& e) {
        std::string message = e.what();
        BOOST_TEST(contains(message, "context \"nope\""));
        BOOST_TEST(contains(message, "context not found"));
        BOOST_TEST(message
                   == "context \"nope\": context not found: open " + expected_path + ": no such file or directory");
        BOOST_TEST(contains(e.hint(), "docker context ls"));
      }
    }
  }
  dir.set_current_context("nope");
  BOOST_TEST(contains(resolve_error(dir, {}), "context \"nope\": context not found"));
}

BOOST_AUTO_TEST_CASE(invalid_context_names_never_touch_the_filesystem)
{
  ConfigDir dir;
  std::string message = resolve_error(dir, {"--context", "../../etc"});
  BOOST_TEST(contains(message, "context \"../../etc\": invalid context name"));
}

// --- the store layout (§2.4) ---

BOOST_AUTO_TEST_CASE(context_digest_is_the_sha256_of_the_name)
{
  BOOST_TEST(sandbox::engine::context_digest("sbxtest") == k_sbxtest_digest);
  // printf '' | sha256sum
  BOOST_TEST(sandbox::engine::context_digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(meta_json_extra_fields_and_other_endpoints_are_ignored)
{
  ConfigDir dir;
  write_file(dir.path() + "/contexts/meta/" + k_sbxtest_digest + "/meta.json",
             R"({"Name":"sbxtest","Metadata":{"Description":"probe ctx","Extra":[1,2]},)"
             R"("Endpoints":{"kubernetes":{"Host":"https://k8s"},"docker":{"Host":"tcp://127.0.0.1:2376","SkipTLSVerify":true}}})");
  Endpoint endpoint = resolve(dir, {"--context", "sbxtest"});
  BOOST_TEST(endpoint.host == "tcp://127.0.0.1:2376");
  BOOST_TEST(endpoint.address == "127.0.0.1");
  BOOST_TEST(endpoint.port == 2376);
}

BOOST_AUTO_TEST_CASE(stored_context_with_skip_tls_verify_and_no_tls_dir)
{
  ConfigDir dir;
  dir.add_context("sbxtest", "tcp://127.0.0.1:2376", true);
  Endpoint endpoint = resolve(dir, {"--context", "sbxtest"});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(!endpoint.tls->verify);
  BOOST_TEST(endpoint.tls->ca_file == ""); // system roots
  BOOST_TEST(endpoint.tls->cert_file == "");
  BOOST_TEST(endpoint.tls->key_file == "");
}

BOOST_AUTO_TEST_CASE(stored_context_with_a_tls_dir_verifies_with_its_files)
{
  ConfigDir dir;
  dir.add_context("secure", "tcp://10.1.1.1:2376");
  std::string tls_dir = dir.add_context_tls("secure", {"ca.pem", "cert.pem", "key.pem"});
  BOOST_TEST(tls_dir == dir.path() + "/contexts/tls/" + sandbox::engine::context_digest("secure") + "/docker");
  Endpoint endpoint = resolve(dir, {"--context", "secure"});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(endpoint.tls->verify);
  BOOST_TEST(endpoint.tls->ca_file == tls_dir + "/ca.pem");
  BOOST_TEST(endpoint.tls->cert_file == tls_dir + "/cert.pem");
  BOOST_TEST(endpoint.tls->key_file == tls_dir + "/key.pem");
}

BOOST_AUTO_TEST_CASE(stored_context_with_skip_tls_verify_and_a_tls_dir)
{
  ConfigDir dir;
  dir.add_context("sbxtest", "tcp://127.0.0.1:2376", true);
  std::string tls_dir = dir.add_context_tls("sbxtest", {"ca.pem", "cert.pem", "key.pem"});
  Endpoint endpoint = resolve(dir, {}, {{"DOCKER_CONTEXT", "sbxtest"}});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(!endpoint.tls->verify);
  BOOST_TEST(endpoint.tls->ca_file == tls_dir + "/ca.pem");
  BOOST_TEST(endpoint.tls->cert_file == tls_dir + "/cert.pem");
}

BOOST_AUTO_TEST_CASE(stored_context_uses_a_client_certificate_only_when_both_files_exist)
{
  ConfigDir dir;
  dir.add_context("half", "tcp://10.1.1.1:2376");
  std::string tls_dir = dir.add_context_tls("half", {"ca.pem", "cert.pem"});
  Endpoint endpoint = resolve(dir, {"--context", "half"});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(endpoint.tls->ca_file == tls_dir + "/ca.pem");
  BOOST_TEST(endpoint.tls->cert_file == "");
  BOOST_TEST(endpoint.tls->key_file == "");
}

BOOST_AUTO_TEST_CASE(stored_tcp_context_without_tls_material_is_plain)
{
  ConfigDir dir;
  dir.add_context("plain", "tcp://10.1.1.1:2375");
  BOOST_TEST(!resolve(dir, {"--context", "plain"}).tls.has_value());
}

BOOST_AUTO_TEST_CASE(stored_unix_context_never_uses_tls)
{
  ConfigDir dir;
  dir.add_context("sbxunix", "unix:///var/run/docker.sock", true);
  dir.add_context_tls("sbxunix", {"ca.pem"});
  Endpoint endpoint = resolve(dir, {"--context", "sbxunix"});
  BOOST_TEST(transport_name(endpoint.transport) == "unix");
  BOOST_TEST(!endpoint.tls.has_value());
}

BOOST_AUTO_TEST_CASE(stored_contexts_ignore_the_default_contexts_tls_settings)
{
  ConfigDir dir; // no ca.pem in the config dir: TLS env would fail for the default context
  dir.add_context("plain", "tcp://10.1.1.1:2375");
  const Env env = {{"DOCKER_TLS_VERIFY", "1"}, {"DOCKER_CERT_PATH", dir.path() + "/nowhere"}};
  Endpoint endpoint = resolve(dir, {"--context", "plain", "--tlsverify"}, env);
  BOOST_TEST(!endpoint.tls.has_value());
  BOOST_TEST(contains(resolve_error(dir, {}, env), "ca.pem"));
}

BOOST_AUTO_TEST_CASE(unreadable_meta_json_names_the_context_and_file)
{
  ConfigDir dir;
  write_file(dir.meta_path("broken"), "{\"Name\":");
  std::string message = resolve_error(dir, {"--context", "broken"});
  BOOST_TEST(contains(message, "context \"broken\": " + dir.meta_path("broken") + ": invalid JSON"));
}

BOOST_AUTO_TEST_CASE(meta_json_without_a_docker_endpoint_is_refused)
{
  ConfigDir dir;
  write_file(dir.meta_path("k8s"), R"({"Name":"k8s","Endpoints":{"kubernetes":{"Host":"https://k"}}})");
  BOOST_TEST(resolve_error(dir, {"--context", "k8s"})
             == "context \"k8s\": no docker endpoint in " + dir.meta_path("k8s"));
}

// --- host parsing (§2.3) ---

BOOST_AUTO_TEST_CASE(tcp_host_with_port)
{
  Endpoint e = parsed_host("tcp://192.168.1.5:2376");
  BOOST_TEST(transport_name(e.transport) == "tcp");
  BOOST_TEST(e.address == "192.168.1.5");
  BOOST_TEST(e.port == 2376);
  BOOST_TEST(e.path_prefix == "");
  BOOST_TEST(e.host == "tcp://192.168.1.5:2376");
}

BOOST_AUTO_TEST_CASE(no_scheme_means_tcp)
{
  Endpoint e = parsed_host("myhost:1234");
  BOOST_TEST(transport_name(e.transport) == "tcp");
  BOOST_TEST(e.host == "tcp://myhost:1234");

  Endpoint socket_path = parsed_host("/var/run/docker.sock");
  BOOST_TEST(transport_name(socket_path.transport) == "tcp");
  BOOST_TEST(socket_path.host == "tcp://localhost:2375/var/run/docker.sock");
  BOOST_TEST(socket_path.address == "localhost");
  BOOST_TEST(socket_path.port == 2375);
  BOOST_TEST(socket_path.path_prefix == "/var/run/docker.sock");

  BOOST_TEST(parsed_host(":9999").host == "tcp://localhost:9999");
}

BOOST_AUTO_TEST_CASE(tcp_without_port_is_2375_even_with_tls)
{
  BOOST_TEST(parsed_host("tcp://example.com").port == 2375);
  BOOST_TEST(parsed_host("tcp://example.com", true).port == 2375);
  BOOST_TEST(parsed_host("tcp://example.com", true).host == "tcp://example.com:2375");
  BOOST_TEST(parsed_host("tcp://").host == "tcp://localhost:2375");
}

BOOST_AUTO_TEST_CASE(empty_host_is_the_socket_or_localhost_2376_under_tls)
{
  Endpoint plain = parsed_host("");
  BOOST_TEST(transport_name(plain.transport) == "unix");
  BOOST_TEST(plain.host == "unix:///var/run/docker.sock");

  Endpoint tls = parsed_host("", true);
  BOOST_TEST(transport_name(tls.transport) == "tcp");
  BOOST_TEST(tls.host == "tcp://localhost:2376");
  BOOST_TEST(tls.address == "localhost");
  BOOST_TEST(tls.port == 2376);
}

BOOST_AUTO_TEST_CASE(unix_hosts)
{
  Endpoint empty_path = parsed_host("unix://");
  BOOST_TEST(transport_name(empty_path.transport) == "unix");
  BOOST_TEST(empty_path.address == "/var/run/docker.sock");
  BOOST_TEST(empty_path.host == "unix:///var/run/docker.sock");

  Endpoint custom = parsed_host("unix:///run/user/1000/docker.sock");
  BOOST_TEST(custom.address == "/run/user/1000/docker.sock");
  BOOST_TEST(custom.host == "unix:///run/user/1000/docker.sock");
}

BOOST_AUTO_TEST_CASE(a_path_after_host_and_port_becomes_a_prefix)
{
  Endpoint e = parsed_host("tcp://h:2375/proxy/docker");
  BOOST_TEST(e.path_prefix == "/proxy/docker");
  BOOST_TEST(e.host == "tcp://h:2375/proxy/docker");
  BOOST_TEST(parsed_host("tcp://h:2375/").path_prefix == "");
}

BOOST_AUTO_TEST_CASE(ipv6_hosts)
{
  Endpoint e = parsed_host("tcp://[::1]:2376");
  BOOST_TEST(e.address == "::1");
  BOOST_TEST(e.port == 2376);
  BOOST_TEST(e.host == "tcp://[::1]:2376");
  BOOST_TEST(parsed_host("tcp://[fe80::1]").port == 2375);
}

BOOST_AUTO_TEST_CASE(surrounding_space_is_trimmed)
{
  BOOST_TEST(parsed_host("  tcp://h:1 \n").host == "tcp://h:1");
}

BOOST_AUTO_TEST_CASE(ssh_fd_and_npipe_go_through_dial_stdio)
{
  for (const char* host : {"ssh://me@remote", "ssh://me@remote:2222", "fd://", "npipe:////./pipe/docker_engine"}) {
    BOOST_TEST_CONTEXT("host " << host)
    {
      Endpoint e = parsed_host(host);
      BOOST_TEST(transport_name(e.transport) == "dial_stdio");
      BOOST_TEST(e.host == host);
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_hosts_are_refused)
{
  BOOST_TEST(host_error("foo://x") == "invalid bind address format: foo://x");
  BOOST_TEST(host_error("tcp://h:port") == "invalid bind address format: tcp://h:port");
  BOOST_TEST(host_error("tcp://h:0") == "invalid bind address format: tcp://h:0");
  BOOST_TEST(host_error("tcp://h:65536") == "invalid bind address format: tcp://h:65536");
  BOOST_TEST(host_error("tcp://h:-1") == "invalid bind address format: tcp://h:-1");
  BOOST_TEST(host_error("tcp://[::1") == "invalid bind address format: tcp://[::1");
  BOOST_TEST(host_error("tcp://[::1]x") == "invalid bind address format: tcp://[::1]x");
}

BOOST_AUTO_TEST_CASE(an_invalid_host_from_the_environment_fails_resolution)
{
  ConfigDir dir;
  BOOST_TEST(resolve_error(dir, {}, {{"DOCKER_HOST", "bogus://x"}}) == "invalid bind address format: bogus://x");
  BOOST_TEST(resolve_error(dir, {"-H", "tcp://h:99999"}) == "invalid bind address format: tcp://h:99999");
}

// --- dial-stdio (§2.5) ---

BOOST_AUTO_TEST_CASE(a_plain_ssh_host_runs_ssh_as_the_docker_cli_connection_helper_does)
{
  ConfigDir dir;
  Endpoint endpoint = resolve(dir, {"-D", "-l", "warn", "-H", "ssh://me@remote:2222", "sandbox"},
                              {{"DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", "/usr/bin/docker"}});
  BOOST_TEST(transport_name(endpoint.transport) == "dial_stdio");
  BOOST_TEST(endpoint.host == "ssh://me@remote:2222");
  // One ssh login per connection; `docker system dial-stdio` would ping first, over a second one.
  const Args expected = {"ssh", "-o", "ConnectTimeout=30", "-T", "-l", "me", "-p", "2222", "--", "remote",
                         "docker", "system", "dial-stdio"};
  BOOST_TEST(endpoint.dial_stdio_command == expected, boost::test_tools::per_element());
  Endpoint bare = resolve(dir, {}, {{"DOCKER_HOST", "ssh://remote.example"}});
  BOOST_TEST((bare.dial_stdio_command == Args{"ssh", "-o", "ConnectTimeout=30", "-T", "--", "remote.example", "docker", "system", "dial-stdio"}));
}

BOOST_AUTO_TEST_CASE(other_ssh_hosts_are_tunnelled_through_the_docker_cli_with_the_verbatim_global_flags)
{
  ConfigDir dir;
  // A socket path on the far side: the docker CLI knows how to pass it on.
  Endpoint endpoint = resolve(dir, {"-D", "-l", "warn", "-H", "ssh://me@remote/run/docker.sock", "sandbox"},
                              {{"DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", "/usr/bin/docker"}});
  BOOST_TEST(transport_name(endpoint.transport) == "dial_stdio");
  const Args expected = {"/usr/bin/docker", "-D", "-l", "warn", "-H", "ssh://me@remote/run/docker.sock", "system", "dial-stdio"};
  BOOST_TEST(endpoint.dial_stdio_command == expected, boost::test_tools::per_element());
  for (const char* odd : {"ssh://-oProxyCommand=x", "ssh://me;rm@remote", "ssh://[::1]:22", "ssh://remote:"}) {
    BOOST_TEST_CONTEXT("host " << odd)
    {
      BOOST_TEST(resolve(dir, {"-H", odd}, {}).dial_stdio_command.front() == "docker");
    }
  }
}

BOOST_AUTO_TEST_CASE(fd_docker_host_is_tunnelled_through_plain_docker)
{
  ConfigDir dir;
  Endpoint endpoint = resolve(dir, {}, {{"DOCKER_HOST", "fd://"}});
  BOOST_TEST(transport_name(endpoint.transport) == "dial_stdio");
  // Without DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND (standalone) the docker on PATH is used.
  BOOST_TEST((endpoint.dial_stdio_command == Args{"docker", "system", "dial-stdio"}));
}

BOOST_AUTO_TEST_CASE(ssh_context_is_tunnelled_with_the_context_flag)
{
  ConfigDir dir;
  dir.add_context("remote", "ssh://me@remote/var/run/docker.sock");
  Endpoint endpoint = resolve(dir, {"--context=remote", "--config", dir.path()},
                              {{"DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", "/usr/libexec/docker/cli"}});
  BOOST_TEST(endpoint.context == "remote");
  BOOST_TEST(transport_name(endpoint.transport) == "dial_stdio");
  BOOST_TEST(!endpoint.tls.has_value());
  const Args expected = {"/usr/libexec/docker/cli", "--context=remote", "--config", dir.path(), "system", "dial-stdio"};
  BOOST_TEST(endpoint.dial_stdio_command == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(dial_stdio_command_drops_a_trailing_double_dash)
{
  ConfigDir dir;
  Endpoint endpoint = resolve(dir, {"-H", "ssh://h/s.sock", "--", "sandbox"});
  BOOST_TEST((endpoint.dial_stdio_command == Args{"docker", "-H", "ssh://h/s.sock", "system", "dial-stdio"}));
}

BOOST_AUTO_TEST_CASE(direct_transports_have_no_dial_stdio_command)
{
  ConfigDir dir;
  BOOST_TEST(resolve(dir, {"-H", "tcp://h:1"}).dial_stdio_command.empty());
  BOOST_TEST(resolve(dir, {"-H", "unix:///x.sock"}).dial_stdio_command.empty());
}

// --- TLS for the default context (§2.3) ---

BOOST_AUTO_TEST_CASE(docker_tls_verify_with_cert_path)
{
  ConfigDir dir;
  ConfigDir certs;
  certs.add_pem_files({"ca.pem", "cert.pem", "key.pem"});
  Endpoint endpoint = resolve(dir, {}, {{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS_VERIFY", "1"},
                                        {"DOCKER_CERT_PATH", certs.path()}});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(endpoint.tls->verify);
  BOOST_TEST(endpoint.tls->ca_file == certs.path() + "/ca.pem");
  BOOST_TEST(endpoint.tls->cert_file == certs.path() + "/cert.pem");
  BOOST_TEST(endpoint.tls->key_file == certs.path() + "/key.pem");
}

BOOST_AUTO_TEST_CASE(docker_tls_verify_0_still_means_verify)
{
  ConfigDir dir;
  dir.add_pem_files({"ca.pem"});
  Endpoint endpoint = resolve(dir, {}, {{"DOCKER_TLS_VERIFY", "0"}});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(endpoint.tls->verify);
  // TLS without a host means tcp://localhost:2376.
  BOOST_TEST(endpoint.host == "tcp://localhost:2376");
  BOOST_TEST(endpoint.port == 2376);
  // Certificates default to the config dir; missing cert and key are dropped silently.
  BOOST_TEST(endpoint.tls->ca_file == dir.path() + "/ca.pem");
  BOOST_TEST(endpoint.tls->cert_file == "");
  BOOST_TEST(endpoint.tls->key_file == "");
}

BOOST_AUTO_TEST_CASE(missing_ca_pem_is_an_error_naming_the_path)
{
  ConfigDir dir;
  BOOST_TEST(resolve_error(dir, {}, {{"DOCKER_TLS_VERIFY", "0"}})
             == "unable to resolve docker endpoint: open " + dir.path() + "/ca.pem: no such file or directory");
  // Even without verification.
  BOOST_TEST(resolve_error(dir, {"--tls"}, {{"DOCKER_HOST", "tcp://h:2376"}})
             == "unable to resolve docker endpoint: open " + dir.path() + "/ca.pem: no such file or directory");
  BOOST_TEST(resolve_error(dir, {}, {{"DOCKER_TLS", "1"}, {"DOCKER_CERT_PATH", "/no/such/certs"}})
             == "unable to resolve docker endpoint: open /no/such/certs/ca.pem: no such file or directory");
}

BOOST_AUTO_TEST_CASE(docker_tls_without_verify_skips_verification)
{
  ConfigDir dir;
  dir.add_pem_files({"ca.pem", "cert.pem", "key.pem"});
  Endpoint endpoint = resolve(dir, {"-H", "tcp://h:2376"}, {{"DOCKER_TLS", "yes"}});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(!endpoint.tls->verify);
  BOOST_TEST(endpoint.tls->cert_file == dir.path() + "/cert.pem");
}

BOOST_AUTO_TEST_CASE(tls_flags_with_explicit_files)
{
  ConfigDir dir;
  ConfigDir elsewhere;
  elsewhere.add_pem_files({"my-ca.pem", "my-cert.pem", "my-key.pem"});
  Endpoint endpoint = resolve(dir,
                              {"--tlsverify", "--tlscacert", elsewhere.path() + "/my-ca.pem", "--tlscert",
                               elsewhere.path() + "/my-cert.pem", "--tlskey=" + elsewhere.path() + "/my-key.pem", "-H",
                               "tcp://h:2376"});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(endpoint.tls->verify);
  BOOST_TEST(endpoint.tls->ca_file == elsewhere.path() + "/my-ca.pem");
  BOOST_TEST(endpoint.tls->cert_file == elsewhere.path() + "/my-cert.pem");
  BOOST_TEST(endpoint.tls->key_file == elsewhere.path() + "/my-key.pem");
}

BOOST_AUTO_TEST_CASE(missing_cert_or_key_named_by_a_flag_is_an_error)
{
  ConfigDir dir;
  dir.add_pem_files({"ca.pem", "key.pem"});
  BOOST_TEST(resolve_error(dir, {"--tls", "--tlscert", "/no/cert.pem", "-H", "tcp://h:2376"})
             == "unable to resolve docker endpoint: open /no/cert.pem: no such file or directory");
  BOOST_TEST(resolve_error(dir, {"--tls", "--tlskey", "/no/key.pem", "-H", "tcp://h:2376"})
             == "unable to resolve docker endpoint: open /no/key.pem: no such file or directory");
  BOOST_TEST(resolve_error(dir, {"--tls", "--tlscacert", "/no/ca.pem", "-H", "tcp://h:2376"})
             == "unable to resolve docker endpoint: open /no/ca.pem: no such file or directory");
}

BOOST_AUTO_TEST_CASE(a_client_certificate_needs_both_default_files)
{
  ConfigDir dir;
  dir.add_pem_files({"ca.pem", "cert.pem"});
  Endpoint endpoint = resolve(dir, {"--tlsverify", "-H", "tcp://h:2376"});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(endpoint.tls->cert_file == "");
  BOOST_TEST(endpoint.tls->key_file == "");
}

BOOST_AUTO_TEST_CASE(tls_false_flag_overrides_docker_tls)
{
  ConfigDir dir; // no ca.pem: enabling TLS would fail
  Endpoint endpoint = resolve(dir, {"--tls=false", "-H", "tcp://h:2375"}, {{"DOCKER_TLS", "1"}});
  BOOST_TEST(!endpoint.tls.has_value());
  BOOST_TEST(endpoint.host == "tcp://h:2375");
}

BOOST_AUTO_TEST_CASE(tlsverify_false_still_turns_tls_on_without_verification)
{
  // docker/cli SetDefaultOptions: giving --tlsverify at all, even =false, turns TLS on.
  ConfigDir dir;
  dir.add_pem_files({"ca.pem"});
  Endpoint endpoint = resolve(dir, {"--tlsverify=false", "-H", "tcp://h:2376"});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(!endpoint.tls->verify);
}

BOOST_AUTO_TEST_CASE(tlsverify_false_flag_overrides_docker_tls_verify)
{
  ConfigDir dir;
  dir.add_pem_files({"ca.pem"});
  Endpoint endpoint = resolve(dir, {"--tlsverify=false", "-H", "tcp://h:2376"}, {{"DOCKER_TLS_VERIFY", "1"}});
  BOOST_REQUIRE(endpoint.tls.has_value());
  BOOST_TEST(!endpoint.tls->verify);
}

BOOST_AUTO_TEST_CASE(tls_settings_are_not_applied_to_a_unix_socket)
{
  ConfigDir dir;
  dir.add_pem_files({"ca.pem"});
  Endpoint endpoint = resolve(dir, {"-H", "unix:///run/d.sock"}, {{"DOCKER_TLS_VERIFY", "1"}});
  BOOST_TEST(transport_name(endpoint.transport) == "unix");
  BOOST_TEST(!endpoint.tls.has_value());
}

BOOST_AUTO_TEST_CASE(tls_with_a_host_keeps_the_hosts_port)
{
  ConfigDir dir;
  dir.add_pem_files({"ca.pem"});
  Endpoint endpoint = resolve(dir, {"--tlsverify", "-H", "tcp://h"});
  BOOST_TEST(endpoint.host == "tcp://h:2375");
  BOOST_TEST(endpoint.tls.has_value());
}

// --- other knobs (§2.6) ---

BOOST_AUTO_TEST_CASE(docker_api_version_is_pinned)
{
  ConfigDir dir;
  BOOST_TEST(sandbox::test::shown(resolve(dir, {}, {{"DOCKER_API_VERSION", "1.43"}}).pinned_api_version) == "1.43");
  dir.add_context("sbxunix", "unix:///run/a.sock");
  BOOST_TEST(sandbox::test::shown(
               resolve(dir, {"--context", "sbxunix"}, {{"DOCKER_API_VERSION", "1.41"}}).pinned_api_version)
             == "1.41");
}

BOOST_AUTO_TEST_CASE(docker_custom_headers_are_parsed)
{
  ConfigDir dir;
  Endpoint endpoint =
    resolve(dir, {}, {{"DOCKER_CUSTOM_HEADERS", "X-Auth-Token=abc, X-Expr=a=b,Cgroup-Parent=/sys/x ,X-Pad= padded "}});
  // Names are trimmed; values are kept as written (docker/cli withCustomHeadersFromEnv).
  BOOST_TEST((endpoint.headers
              == Headers{{"X-Auth-Token", "abc"}, {"X-Expr", "a=b"}, {"Cgroup-Parent", "/sys/x "}, {"X-Pad", " padded "}}));
}

BOOST_AUTO_TEST_CASE(custom_headers_ignore_empty_values_and_keep_the_last_duplicate)
{
  ConfigDir dir;
  Endpoint endpoint = resolve(dir, {}, {{"DOCKER_CUSTOM_HEADERS", "one=1,four=,two=2,ONE=uno"}});
  BOOST_TEST((endpoint.headers == Headers{{"one", "uno"}, {"two", "2"}}));
}

BOOST_AUTO_TEST_CASE(config_http_headers_are_sent)
{
  ConfigDir dir;
  dir.write_config(R"({"HttpHeaders":{"X-From-Config":"1","X-Other":"2"}})");
  BOOST_TEST((resolve(dir, {}).headers == Headers{{"X-From-Config", "1"}, {"X-Other", "2"}}));
  // An empty DOCKER_CUSTOM_HEADERS counts as unset.
  BOOST_TEST(resolve(dir, {}, {{"DOCKER_CUSTOM_HEADERS", ""}}).headers.size() == 2u);
}

BOOST_AUTO_TEST_CASE(custom_headers_from_the_environment_replace_config_headers)
{
  // As in the docker CLI: sending both would give a proxy two values for one header.
  ConfigDir dir;
  dir.write_config(R"({"HttpHeaders":{"X-Auth":"from-config","X-Other":"2"}})");
  Endpoint endpoint = resolve(dir, {}, {{"DOCKER_CUSTOM_HEADERS", "X-Auth=from-env"}});
  BOOST_TEST((endpoint.headers == Headers{{"X-Auth", "from-env"}}));
}

BOOST_AUTO_TEST_CASE(malformed_custom_headers_are_refused)
{
  ConfigDir dir;
  const std::string prefix = "failed to set custom headers from DOCKER_CUSTOM_HEADERS environment variable: ";
  BOOST_TEST(resolve_error(dir, {}, {{"DOCKER_CUSTOM_HEADERS", "novalue"}})
             == prefix + "missing \"=\" in key=value pair \"novalue\"");
  BOOST_TEST(resolve_error(dir, {}, {{"DOCKER_CUSTOM_HEADERS", "A=1,broken"}})
             == prefix + "missing \"=\" in key=value pair \"broken\"");
  for (const char* value : {"=x", " =x", "A=1,,B=2", "A=1,"}) {
    BOOST_TEST_CONTEXT("DOCKER_CUSTOM_HEADERS=" << value)
    {
      BOOST_TEST(resolve_error(dir, {}, {{"DOCKER_CUSTOM_HEADERS", value}})
                 == prefix + "value contains a key=value pair with an empty key");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
