#include "volume/helper_container.h"

#include "run/defaults.h"
#include "util/identity.h"

namespace sandbox::volume {

namespace {

constexpr std::string_view k_label_role = "docker-sandbox.role";

// The smallest valid tar: two zero blocks.
std::string empty_tar()
{
  return std::string(1024, '\0');
}

} // namespace

void ensure_helper_image(engine::EngineClient& client)
{
  std::string image(k_helper_image);
  if (client.call("GET", "/images/" + image + "/json", {}, std::nullopt, {404}).status == 200) {
    return;
  }
  std::size_t colon = image.find(':');
  engine::HttpRequest request;
  request.method = "POST";
  request.target = "/images/create"
                   + engine::encode_query({{"fromSrc", "-"},
                                           {"repo", image.substr(0, colon)},
                                           {"tag", image.substr(colon + 1)},
                                           {"changes", "LABEL " + std::string(run::k_label_managed) + "=true"},
                                           {"message", "docker-sandbox: empty image for volume transfers"}});
  request.body = empty_tar();
  request.content_type = "application/x-tar";
  client.call(request);
}

HelperContainer::HelperContainer(engine::EngineClient& client, const std::vector<HelperMount>& mounts,
                                 const std::vector<std::pair<std::string, std::string>>& labels)
  : m_client(client)
{
  json::Value all_labels = json::Value::object();
  all_labels.set(std::string(run::k_label_managed), "true");
  all_labels.set(std::string(k_label_role), "volume-transfer");
  all_labels.set(std::string(run::k_label_created), rfc3339_now());
  all_labels.set(std::string(run::k_label_owner), owner_tag());
  for (const auto& [key, value] : labels) {
    all_labels.set(key, value);
  }
  json::Value mount_list = json::Value::array();
  for (const HelperMount& mount : mounts) {
    json::Value m = json::Value::object();
    m.set("Type", "volume");
    m.set("Source", mount.volume);
    m.set("Target", mount.target);
    m.set("ReadOnly", mount.read_only);
    mount_list.push(std::move(m));
  }
  json::Value host_config = json::Value::object();
  host_config.set("NetworkMode", "none");
  host_config.set("Mounts", std::move(mount_list));
  json::Value command = json::Value::array();
  command.push("/nonexistent"); // never run: the image holds no file at all
  json::Value body = json::Value::object();
  body.set("Image", std::string(k_helper_image));
  body.set("Cmd", std::move(command));
  body.set("NetworkDisabled", true);
  body.set("Labels", std::move(all_labels));
  body.set("HostConfig", std::move(host_config));
  engine::HttpResponse created = m_client.call("POST", "/containers/create",
                                               {{"name", "docker-sandbox-transfer-" + random_hex(12)}}, body);
  m_id = json::parse(created.body).string_or("Id");
}

HelperContainer::~HelperContainer()
{
  try {
    m_client.call("DELETE", "/containers/" + m_id, {{"force", "1"}}, std::nullopt, {404});
  } catch (const std::exception&) {
    // The engine is gone or refuses: `docker sandbox prune` removes it later.
  }
}

} // namespace sandbox::volume
