#include "engine/mounts.h"

namespace sandbox::engine {

json::Value mount_json(const std::string& type, const std::string& source, const std::string& target, bool read_only,
                       bool no_copy)
{
  json::Value mount = json::Value::object();
  mount.set("Type", type);
  mount.set("Source", source);
  mount.set("Target", target);
  mount.set("ReadOnly", read_only);
  if (no_copy) {
    json::Value options = json::Value::object();
    options.set("NoCopy", true);
    mount.set("VolumeOptions", std::move(options));
  }
  return mount;
}

} // namespace sandbox::engine
