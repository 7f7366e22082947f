#pragma once

// The Engine API's shape of one HostConfig.Mounts entry, written in one place for the sandbox and
// for the volume helper.

#include "util/json.h"

#include <string>

namespace sandbox::engine {

// {"Type": type, "Source": source, "Target": target, "ReadOnly": read_only}; a volume also gets
// VolumeOptions.NoCopy when `no_copy` (the image's files at the target must not land in it).
json::Value mount_json(const std::string& type, const std::string& source, const std::string& target, bool read_only,
                       bool no_copy = false);

} // namespace sandbox::engine
