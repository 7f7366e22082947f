#include "managed/images.h"

#include "managed/labels.h"

#include <algorithm>

namespace sandbox::managed {

std::string familiar_image_name(std::string name)
{
  for (std::string_view prefix : {"docker.io/library/", "docker.io/"}) {
    if (name.starts_with(prefix)) {
      name.erase(0, prefix.size());
      break;
    }
  }
  return name;
}

json::Value list_managed_images(engine::EngineClient& client)
{
  return client.get_json("/images/json", {{"filters", label_filters({std::string(k_label_managed) + "=true"})}});
}

std::vector<std::string> stale_egress_images(const json::Value& images, const std::string& current)
{
  std::vector<std::string> out;
  if (!images.is_array()) {
    return out;
  }
  std::string prefix = std::string(k_egress_image_repository) + ":";
  for (const json::Value& image : images.elements()) {
    // Checked here too: an engine may answer a label filter loosely.
    const json::Value& labels = image["Labels"];
    const json::Value& tags = image["RepoTags"];
    if (!labels.is_object() || labels.string_or(std::string(k_label_managed)) != "true" || !tags.is_array()) {
      continue;
    }
    for (const json::Value& tag : tags.elements()) {
      std::string name = familiar_image_name(tag.is_string() ? tag.as_string() : "");
      std::string suffix = name.size() > prefix.size() ? name.substr(prefix.size()) : "";
      bool ours = name.starts_with(prefix) && !suffix.empty()
                  && suffix.find_first_not_of("0123456789abcdef") == std::string::npos;
      if (ours && name != current) {
        out.push_back(name);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<plan::Step> remove_image_steps(const std::vector<std::string>& tags)
{
  std::vector<plan::Step> out;
  for (const std::string& tag : tags) {
    plan::Step step = plan::make_step("remove-image-" + tag, "remove the image " + tag + " (another build's egress proxy)",
                                      "DELETE", "/images/" + tag);
    step.accepted = {404, 409};
    out.push_back(std::move(step));
  }
  return out;
}

} // namespace sandbox::managed
