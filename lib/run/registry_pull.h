#pragma once

// The credentials a run's pull sends: the X-Registry-Auth header, as a secret of the plan.

#include "engine/registry_auth.h"
#include "plan/plan.h"

#include <optional>
#include <string>

namespace sandbox::run {

// The X-Registry-Auth header of a pull of `image` from config.json's credentials, made (a helper
// run) only when sent; nullopt when config.json names none for the image's registry.
std::optional<plan::SecretHeader> registry_auth_header(const engine::CredentialConfig& config, const std::string& image);

} // namespace sandbox::run
