#pragma once

// The images the plugin imports itself, never pulled: each build of the egress proxy is its own
// image (docker-sandbox-egress-proxy:<digest>), so every upgrade would leave the last one behind.
// Prune removes those of other builds that no container uses.

#include "engine/engine_client.h"
#include "plan/plan.h"
#include "util/json.h"

#include <string>
#include <vector>

namespace sandbox::managed {

// An image's name as the docker CLI shows it (its FamiliarString): Podman names every image in
// full, docker.io/library/NAME:TAG.
std::string familiar_image_name(std::string name);

// The repository of the egress proxy's images.
inline constexpr std::string_view k_egress_image_repository = "docker-sandbox-egress-proxy";

// GET /images/json of the images labelled docker-sandbox.managed=true.
json::Value list_managed_images(engine::EngineClient& client);

// In that list, the tags of the egress proxy's repository (hex tags only), but `current` (this
// build's), sorted; an image the label filter let through without the label is passed over.
std::vector<std::string> stale_egress_images(const json::Value& images, const std::string& current);

// DELETE /images/{tag} for each, which takes the tag away (and the image with its last tag): 404
// (gone already) and 409 (a container still uses it, a kept sandbox's proxy) are accepted.
std::vector<plan::Step> remove_image_steps(const std::vector<std::string>& tags);

} // namespace sandbox::managed
