#include "volume/volume_steps.h"

#include "archive/member_rules.h"
#include "engine/container_archive.h"
#include "engine/engine_client.h"
#include "engine/mounts.h"
#include "managed/labels.h"
#include "managed/lifetime.h"
#include "util/error.h"
#include "util/file.h"
#include "util/paths.h"

#include <algorithm>

namespace sandbox::volume {

namespace {


json::Value labels_object(const Labels& labels)
{
  json::Value out = json::Value::object();
  for (const auto& [key, value] : labels) {
    out.set(key, value);
  }
  return out;
}

std::string owner_text(const managed::ManagedVolume& volume)
{
  return volume.managed && !volume.tenant.empty() ? "tenant " + volume.tenant : "no tenant";
}

} // namespace

plan::Step find_volume_step(const std::string& id, const std::string& name, const std::optional<std::string>& tenant)
{
  plan::Step step = plan::make_step(id, "read volume " + name + "'s labels", "GET", "/volumes/" + engine::url_encode(name));
  step.accepted = {404};
  step.check_summary = "a docker-sandbox volume" + (tenant ? " of tenant " + *tenant : std::string());
  step.check = [name, tenant](const plan::Reply& reply) {
    if (reply.status == 404) {
      throw Error("no such volume: " + name);
    }
    managed::ManagedVolume volume = managed::volume_from_json(reply.body);
    if (!volume.managed) {
      throw Error(name + " is not a docker-sandbox volume; remove it with docker volume rm if you mean it");
    }
    if (tenant && volume.tenant != *tenant) {
      throw Error("volume " + name + " belongs to " + owner_text(volume) + ", not to tenant " + *tenant + "; refusing to touch it");
    }
  };
  return step;
}

plan::Step mountable_volume_step(const std::string& id, const std::string& name, const std::optional<std::string>& tenant)
{
  plan::Step step = plan::make_step(id, "read volume " + name + "'s labels", "GET", "/volumes/" + engine::url_encode(name));
  step.accepted = {404};
  step.check_summary = tenant ? "a volume of tenant " + *tenant : "a volume of no tenant";
  step.check = [name, tenant](const plan::Reply& reply) {
    if (reply.status == 404) {
      throw Error("--volume " + name + ": no such volume", "create it first: docker sandbox volume create");
    }
    managed::ManagedVolume volume = managed::volume_from_json(reply.body);
    if (tenant && (!volume.managed || volume.tenant != *tenant)) {
      throw Error("--volume " + name + ": the volume belongs to " + owner_text(volume) + ", not to tenant " + *tenant
                  + "; refusing to mount it");
    }
    if (!tenant && volume.managed && !volume.tenant.empty()) {
      throw Error("--volume " + name + ": the volume belongs to tenant " + volume.tenant
                  + "; refusing to mount it in a run without --tenant " + volume.tenant);
    }
  };
  return step;
}

plan::Step create_volume_step(const std::string& id, const managed::NewVolume& volume, const std::string& creator)
{
  plan::Step step = plan::make_step(id, "create volume " + volume.name, "POST", "/volumes/create");
  json::Value body = json::Value::object();
  body.set("Name", volume.name);
  body.set("Driver", "local");
  body.set("Labels", labels_object(volume.labels)); // managed::new_volume() put our creator label among them
  step.body = std::move(body);
  step.check_summary = "the reply carries our " + std::string(managed::k_label_creator) + " label (the name was free)";
  std::string name = volume.name;
  step.check = [name, creator](const plan::Reply& reply) {
    std::string found = reply.body["Labels"].string_or(std::string(managed::k_label_creator));
    if (found != creator) {
      throw Error("volume " + name + " already exists", "pick another name, or remove it first");
    }
  };
  return step;
}

plan::Step remove_volume_step(const std::string& id, const std::string& create_id, const std::string& name)
{
  plan::Step step = plan::make_step(id, "remove volume " + name, "DELETE", "/volumes/" + engine::url_encode(name));
  step.accepted = {404};
  step.only_if_sent = {create_id};
  step.best_effort = true; // prune removes a volume that stayed
  return step;
}

std::vector<plan::Step> helper_image_steps()
{
  std::string image(k_helper_image);
  plan::Step look = plan::make_step("helper-image", "look for the helper image " + image, "GET", "/images/" + image + "/json");
  look.accepted = {404};
  plan::Step import = plan::make_step("helper-import", "import it: an empty image, never run, that volumes travel through", "POST",
                              "/images/create");
  import.query = {{"fromSrc", "-"},
                  {"repo", image}, // name:tag in one: Podman ignores a separate tag
                  {"changes", "LABEL " + std::string(managed::k_label_managed) + "=true"},
                  {"message", "docker-sandbox: empty image for volume transfers"}};
  import.kind = plan::StepKind::upload;
  import.upload = plan::Upload{};
  import.only_if_status = std::make_pair(std::string("helper-image"), 404);
  return {look, import};
}

plan::Step never_started_container_step(const std::string& id, const std::string& summary, const std::string& image,
                                        const std::string& name, const std::vector<HelperMount>& mounts, const Labels& labels,
                                        const std::string& role)
{
  Labels all{{std::string(managed::k_label_managed), "true"}, {std::string(managed::k_label_role), role}};
  all.insert(all.end(), labels.begin(), labels.end());
  // Never a detached sandbox, whatever labels its image (the run's, for a lookup) carries.
  for (auto& label : managed::lifetime_labels(std::nullopt)) {
    all.push_back(std::move(label));
  }
  json::Value mount_list = json::Value::array();
  for (const HelperMount& mount : mounts) {
    mount_list.push(engine::mount_json(mount.bind ? "bind" : "volume", mount.volume, mount.target, mount.read_only));
  }
  json::Value host_config = json::Value::object();
  host_config.set("NetworkMode", "none");
  host_config.set("Mounts", std::move(mount_list));
  json::Value command = json::Value::array();
  command.push("/nonexistent"); // never run
  json::Value body = json::Value::object();
  body.set("Image", image);
  body.set("Cmd", std::move(command));
  body.set("NetworkDisabled", true);
  body.set("Labels", labels_object(all));
  body.set("HostConfig", std::move(host_config));
  plan::Step step = plan::make_step(id, summary, "POST", "/containers/create");
  step.query = {{"name", name}};
  step.body = std::move(body);
  return step;
}

plan::Step create_helper_step(const std::string& id, const std::vector<HelperMount>& mounts, const Labels& labels,
                              const std::string& unique, const std::string& role)
{
  return never_started_container_step(id, "create the helper container that the data travels through (never started)",
                                      std::string(k_helper_image), "docker-sandbox-transfer-" + unique, mounts, labels, role);
}

plan::Step remove_helper_step(const std::string& id, const std::string& helper_id)
{
  plan::Step step = plan::make_step(id, "remove the helper container", "DELETE", "/containers/{" + helper_id + ".Id}");
  // With its anonymous volumes: a container made from the user's image has those the image declares.
  step.query = {{"force", "1"}, {"v", "1"}};
  step.accepted = {404};
  step.best_effort = true; // the data has moved; prune removes a helper that stayed
  return step;
}

plan::Step remove_helper_cleanup(const std::string& id, const std::string& helper_id, const std::string& removed_by)
{
  plan::Step step = remove_helper_step(id, helper_id);
  step.unless_sent = removed_by;
  return step;
}

namespace {

plan::Step upload_step(const std::string& id, const std::string& container_ref, const std::string& dir, plan::Upload upload)
{
  plan::Step step = plan::make_step(id, "upload the files into " + dir + " in one tar", "PUT", "/containers/" + container_ref + "/archive");
  step.query = {{"path", dir}, {"noOverwriteDirNonDir", "1"}};
  step.kind = plan::StepKind::upload;
  step.upload = std::move(upload);
  return step;
}

plan::Step upload_roots_step(const std::string& id, const std::string& container_ref, plan::Upload roots)
{
  plan::Step step = plan::make_step(id, "set the owner of each volume's root (the engines that apply it through the mount point)",
                                    "PUT", "/containers/" + container_ref + "/archive");
  step.query = {{"path", "/"}, {"noOverwriteDirNonDir", "1"}};
  step.kind = plan::StepKind::upload;
  step.upload = std::move(roots);
  return step;
}

// The member and what to call it in an error, for each entry checked after an upload.
struct Checked
{
  std::string member;
  std::string shown;
};

std::vector<Checked> checked_entries(const plan::Upload& upload)
{
  std::vector<Checked> out;
  auto add = [&](const std::string& member) {
    // The root is the mount point, there whatever became of the upload: its entries tell.
    if (member != "." && std::none_of(out.begin(), out.end(), [&](const Checked& c) { return c.member == member; })) {
      out.push_back({member, member});
    }
  };
  for (const plan::TarEntry& entry : upload.entries) {
    add(entry.member);
    bool children = entry.source == plan::TarEntry::Source::contents
                    || (entry.source == plan::TarEntry::Source::path && entry.member == ".");
    if (!children) {
      continue;
    }
    std::vector<std::string> names;
    try {
      names = directory_entries(entry.host_path); // sorted; a file has none
    } catch (const Error&) {
      // Not a directory (a file put as the root): the entry itself is checked.
    }
    for (const std::string& name : names) {
      add(archive::child_member(entry.member, name));
    }
  }
  if (out.size() > k_max_verified_entries) {
    out.resize(k_max_verified_entries);
  }
  return out;
}

// The checks of `upload` into `dir` once step `upload_id` sent it, its members named in that
// step's tar below `sent_under` ("." when the tar was sent into `dir` itself).
std::vector<plan::Step> verify_upload_steps(const std::string& id, const std::string& container_ref, const std::string& dir,
                                            const plan::Upload& upload, const std::string& upload_id,
                                            const std::string& volume, const std::string& sent_under)
{
  std::vector<plan::Step> steps;
  std::vector<Checked> checked = checked_entries(upload);
  for (std::size_t i = 0; i < checked.size(); ++i) {
    std::string path = checked[i].member == "." ? dir : dir + "/" + checked[i].member;
    plan::Step stat = plan::make_step(id + "-" + std::to_string(i + 1), "check that the volume holds " + checked[i].shown + " as sent",
                                      "HEAD", "/containers/" + container_ref + "/archive");
    stat.query = {{"path", path}};
    stat.accepted = {404};
    stat.only_if_sent = {upload_id};
    stat.check_summary = "it exists, of the type (a file: of the size) that step " + upload_id + " sent";
    std::string member = archive::child_member(sent_under, checked[i].member);
    std::string shown = checked[i].shown;
    stat.check_recorded = [member, shown, upload_id, volume](const plan::Reply& reply, const plan::Results& results) {
      const json::Value* recorded = results.find(upload_id);
      const json::Value& sent = recorded ? (*recorded)["Sent"][member] : json::Value();
      if (sent.is_null()) {
        return; // not in the tar (gone from the host before it was read): nothing to compare
      }
      std::string prefix = "volume " + volume + ": the engine accepted the upload, but ";
      std::string type = sent.string_or("Type");
      if (reply.status == 404 && type == "symlink") {
        return; // Podman 4.3 answers 404 for any symbolic link inside a volume: nothing to compare
      }
      if (reply.status == 404) {
        throw Error(prefix + "the volume does not hold " + shown + "; the data did not reach it");
      }
      bool directory = engine::stat_is_directory(reply.body);
      bool symlink = engine::stat_is_symlink(reply.body);
      std::string found = directory ? "directory" : symlink ? "symlink" : "file";
      if ((type == "directory" || type == "symlink" || type == "file") && found != type) {
        throw Error(prefix + "the volume holds " + shown + " as a " + found + ", not the " + type + " that was sent");
      }
      if (type == "file" && reply.body["size"].is_int() && sent["Size"].is_int()
          && reply.body["size"].as_int() != sent["Size"].as_int()) {
        throw Error(prefix + "the volume holds " + shown + " with " + std::to_string(reply.body["size"].as_int())
                    + " bytes, not the " + std::to_string(sent["Size"].as_int()) + " that were sent");
      }
    };
    steps.push_back(std::move(stat));
  }
  return steps;
}

constexpr std::size_t k_checks_together = 8;

// `upload` (members below a mount point) as members below `dir` of a tar sent at /.
plan::Upload moved_under(plan::Upload upload, const std::string& dir)
{
  for (plan::TarEntry& entry : upload.entries) {
    entry.member = entry.member == "." ? dir : archive::child_member(dir, entry.member);
  }
  return upload;
}

} // namespace

FillSteps fill_steps(const std::string& container_ref, std::vector<VolumeUpload> uploads, plan::Upload roots,
                     bool put_reaches_mounts)
{
  FillSteps fill;
  auto upload_id = [](std::size_t i) { return i == 0 ? std::string("upload") : "upload-" + std::to_string(i); };
  for (std::size_t i = 0; i < uploads.size(); ++i) {
    const VolumeUpload& one = uploads[i];
    std::string sent_id = put_reaches_mounts ? "upload" : upload_id(i);
    std::string sent_under = put_reaches_mounts ? one.dir.substr(1) : ".";
    for (plan::Step& step : verify_upload_steps(upload_id(i) + "-check", container_ref, one.dir, one.upload, sent_id, one.volume, sent_under)) {
      fill.checks.push_back(std::move(step));
    }
  }
  // The checks go out together, a few at a time: each costs the engine a mount of the helper.
  for (std::size_t i = 0; i + 1 < fill.checks.size(); ++i) {
    if ((i + 1) % k_checks_together != 0) {
      fill.checks[i].overlap = plan::Step::Overlap::with_next;
    }
  }
  if (put_reaches_mounts) {
    std::string into = uploads.size() == 1 ? uploads[0].dir : "each volume";
    plan::Upload all;
    for (VolumeUpload& one : uploads) {
      for (plan::TarEntry& entry : moved_under(std::move(one.upload), one.dir.substr(1)).entries) {
        all.entries.push_back(std::move(entry));
      }
    }
    for (plan::TarEntry& root : roots.entries) {
      // A root already in the tar as a volume's "." member gets the same owner there.
      if (std::none_of(all.entries.begin(), all.entries.end(), [&](const plan::TarEntry& e) { return e.member == root.member; })) {
        all.entries.push_back(std::move(root));
      }
    }
    fill.uploads.push_back(upload_step("upload", container_ref, "/", std::move(all)));
    fill.uploads.back().summary = "upload the files into " + into + " in one tar at / (the engine writes through the mount points)";
    return fill;
  }
  for (std::size_t i = 0; i < uploads.size(); ++i) {
    fill.uploads.push_back(upload_step(upload_id(i), container_ref, uploads[i].dir, std::move(uploads[i].upload)));
  }
  if (!roots.entries.empty()) {
    fill.uploads.push_back(upload_roots_step("upload-root", container_ref, std::move(roots)));
  }
  for (std::size_t i = 0; i + 1 < fill.uploads.size(); ++i) {
    fill.uploads[i].overlap = plan::Step::Overlap::with_next;
  }
  return fill;
}

std::vector<plan::Step> download_steps(const std::string& id, const std::string& container_ref, const std::string& root,
                                       const std::string& path, plan::Download download, const std::string& missing)
{
  std::vector<plan::Step> steps;
  // The root too: a sandbox that was given CAP_SYS_ADMIN could mount a link there.
  std::vector<std::string> components{root};
  std::string prefix = root;
  for (const std::string& part : path_components(path.substr(std::min(root.size(), path.size())))) {
    prefix += "/" + part;
    components.push_back(prefix);
  }
  for (std::size_t i = 0; i < components.size(); ++i) {
    const std::string& checked = components[i];
    plan::Step stat = plan::make_step(id + "-stat" + std::to_string(i + 1), "check that " + checked + " exists and is not a link",
                                      "HEAD", "/containers/" + container_ref + "/archive");
    stat.query = {{"path", checked}};
    stat.accepted = {404};
    stat.check_summary = "it exists and is not a symbolic link";
    stat.check = [checked, missing](const plan::Reply& reply) {
      if (reply.status == 404) {
        throw Error(missing);
      }
      if (!reply.body["mode"].is_int()) {
        throw Error("the engine described " + checked + " without its file mode; refusing to read it");
      }
      if (engine::stat_is_symlink(reply.body)) {
        throw Error(checked + " is a symbolic link (to " + reply.body.string_or("linkTarget")
                    + "); refusing to read through a link that the sandbox could have made");
      }
    };
    if (!steps.empty()) {
      stat.only_if_sent = {steps.back().id};
    }
    steps.push_back(std::move(stat));
  }
  plan::Step get = plan::make_step(id, "download " + path + " as a tar", "GET", "/containers/" + container_ref + "/archive");
  get.query = {{"path", path}};
  get.kind = plan::StepKind::download;
  download.root_name = path.substr(path.rfind('/') + 1);
  get.download = std::move(download);
  if (!steps.empty()) {
    get.only_if_sent = {steps.back().id};
  }
  steps.push_back(std::move(get));
  return steps;
}

} // namespace sandbox::volume
