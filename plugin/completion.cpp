// Completion follows cobra's protocol because the docker CLI forwards `docker __complete sandbox
// ...` to us verbatim and passes our stdout straight to the shell: candidates, then a directive
// line. As in cobra, the value of `--flag=VALUE` is completed bare: the shell scripts (docker's
// and ours) put the `--flag=` back. The global flags typed before `sandbox` are read back from the
// docker CLI's own request (cli.cpp), so lookups reach the engine the command would.

#include "completion.h"

#include "commands.h"
#include "commands/volume_transfer.h"
#include "run/defaults.h"
#include "managed/containers.h"
#include "util/error.h"
#include "managed/volumes.h"
#include "volume/volume_listing.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <sys/timerfd.h>
#include <unistd.h>

namespace sandbox::cli {

namespace {

constexpr int k_default = 0;      // the shell may complete file names
constexpr int k_no_space = 2;     // the candidate is a prefix: no space after it
constexpr int k_no_file = 4;      // offer nothing beyond our candidates
constexpr int k_filter_dirs = 16; // directory names only
constexpr int k_lookup_seconds = 2;

struct Candidate
{
  std::string word;
  std::string description;
};

struct Answer
{
  std::vector<Candidate> candidates;
  int directive = k_no_file;
  std::optional<std::string> typed; // what candidates must start with, when not the whole word
};

bool starts_with(const std::string& text, const std::string& prefix)
{
  return text.compare(0, prefix.size(), prefix) == 0;
}

// Engine lookups for completion: quick, and empty when anything goes wrong.
class Lookups
{
public:
  explicit Lookups(CommandContext& ctx) : m_ctx(ctx) {}

  std::vector<std::string> names(const std::function<std::vector<std::string>(engine::EngineClient&)>& query)
  {
    try {
      engine::EngineClient& client = m_ctx.client();
      client.limit_time(k_lookup_seconds);
      return query(client);
    } catch (const std::exception&) {
      return {};
    }
  }

  std::vector<std::string> images()
  {
    return names([](engine::EngineClient& client) {
      std::vector<std::string> out;
      json::Value list = client.get_json("/images/json");
      for (const json::Value& image : list.is_array() ? list.elements() : std::vector<json::Value>{}) {
        const json::Value& tags = image["RepoTags"];
        for (const json::Value& tag : tags.is_array() ? tags.elements() : std::vector<json::Value>{}) {
          if (tag.is_string() && tag.as_string() != "<none>:<none>") {
            // Podman lists docker.io/library/NAME:TAG for what the user (and Docker) calls NAME:TAG.
            std::string name = tag.as_string();
            constexpr std::string_view k_library = "docker.io/library/";
            if (name.rfind(k_library, 0) == 0) {
              name.erase(0, k_library.size());
            }
            out.push_back(name);
          }
        }
      }
      return out;
    });
  }

  std::vector<std::string> networks()
  {
    std::vector<std::string> out{"none", "bridge", "host"};
    for (const std::string& name : names([](engine::EngineClient& client) {
           std::vector<std::string> found;
           json::Value list = client.get_json("/networks");
           for (const json::Value& network : list.is_array() ? list.elements() : std::vector<json::Value>{}) {
             found.push_back(network.string_or("Name"));
           }
           return found;
         })) {
      if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) {
        out.push_back(name);
      }
    }
    return out;
  }

  std::vector<std::string> runtimes()
  {
    return names([](engine::EngineClient& client) {
      std::vector<std::string> out;
      json::Value info = client.get_json("/info");
      if (info["Runtimes"].is_object()) {
        for (const json::Member& runtime : info["Runtimes"].members()) {
          out.push_back(runtime.first);
        }
      }
      return out;
    });
  }

  std::vector<managed::ManagedVolume> volumes()
  {
    std::vector<managed::ManagedVolume> out;
    names([&](engine::EngineClient& client) {
      out = managed::list_volumes(client, std::nullopt, std::nullopt);
      return std::vector<std::string>{};
    });
    return out;
  }

  std::vector<managed::ManagedContainer> containers()
  {
    std::vector<managed::ManagedContainer> out;
    names([&](engine::EngineClient& client) {
      out = managed::list_managed_containers(client);
      return std::vector<std::string>{};
    });
    return out;
  }

  // The entries of directory `dir` of `volume`: one archive listing on volume get's read-only
  // helper, bounded in entries and bytes, and stopped when the time for a lookup is up.
  std::vector<archive::ListedEntry> volume_entries(const std::string& volume, const std::string& dir,
                                                   const std::optional<std::string>& tenant)
  {
    std::vector<archive::ListedEntry> out;
    int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    itimerspec deadline{};
    deadline.it_value.tv_sec = k_lookup_seconds;
    if (timer < 0 || ::timerfd_settime(timer, 0, &deadline, nullptr) != 0) {
      if (timer >= 0) {
        ::close(timer);
      }
      return out;
    }
    names([&](engine::EngineClient& client) {
      volume::ListingLimits limits;
      limits.cancel_fd = timer;
      out = volume::list_volume_directory(client, {volume, dir}, transfer_requester(tenant), limits);
      return std::vector<std::string>{};
    });
    ::close(timer);
    return out;
  }

private:
  CommandContext& m_ctx;
};

const std::vector<std::string>& capabilities()
{
  static const std::vector<std::string> k_capabilities{
    "ALL", "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_ADMIN",
    "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_CHROOT", "SYS_PTRACE"};
  return k_capabilities;
}

Answer words(const std::vector<std::string>& items, int directive = k_no_file)
{
  Answer answer;
  answer.directive = directive;
  for (const std::string& item : items) {
    answer.candidates.push_back({item, ""});
  }
  return answer;
}

// Candidates for the value of --<flag> of `command`.
Answer flag_value(Lookups& lookups, std::string_view command, const std::string& flag)
{
  if (flag == "network") {
    return words(lookups.networks());
  }
  if (flag == "runtime") {
    return words(lookups.runtimes());
  }
  if (flag == "format") {
    return words(command == "version" ? std::vector<std::string>{"text", "json"} : std::vector<std::string>{"table", "json"});
  }
  if (flag == "filter") {
    std::vector<std::string> keys{"label=", "name=", "tenant=", "run=", "until="};
    if (command == "ls") {
      keys.push_back("status=");
    }
    return words(keys, k_no_file | k_no_space);
  }
  if (flag == "dry-run") {
    return words({"text", "json"});
  }
  if (flag == "isolation") {
    return words({"runc", "gvisor", "auto"});
  }
  if (flag == "cap-add") {
    return words(capabilities());
  }
  if (flag == "tenant") {
    std::set<std::string> tenants;
    for (const managed::ManagedContainer& c : lookups.containers()) {
      if (!c.tenant.empty()) {
        tenants.insert(c.tenant);
      }
    }
    for (const managed::ManagedVolume& v : lookups.volumes()) {
      if (!v.tenant.empty()) {
        tenants.insert(v.tenant);
      }
    }
    return words(std::vector<std::string>(tenants.begin(), tenants.end()));
  }
  if (flag == "image") {
    return words(lookups.images());
  }
  if (flag == "workspace" || flag == "output" || flag == "exclude" || flag == "workdir") {
    Answer answer = flag == "workdir" ? Answer{} : words({}, k_filter_dirs);
    if (flag == "workspace" || flag == "output") {
      answer.candidates.push_back({"none", ""});
    }
    return answer;
  }
  if (flag == "profile" || flag == "env-file" || flag == "seccomp-profile" || flag == "input" || flag == "collect") {
    return words({}, k_default);
  }
  if (flag == "volume") {
    std::vector<std::string> names;
    for (const managed::ManagedVolume& v : lookups.volumes()) {
      names.push_back(v.name + ":");
    }
    return words(names, k_no_file | k_no_space);
  }
  return words({});
}

// Candidates for positional argument number `index` of `command`.
Answer positional(Lookups& lookups, std::string_view command, std::size_t index)
{
  if (command == "run") {
    return index == 0 ? words(lookups.images()) : words({}, k_default);
  }
  if (command == "rm") {
    std::vector<std::string> names;
    for (const managed::ManagedContainer& c : lookups.containers()) {
      names.push_back(c.name);
    }
    return words(names);
  }
  if (command == "volume put" || command == "volume get") {
    // VOLUME first, then host paths (put: sources; get: PATH in the volume, then DEST).
    if (index > 0) {
      return words({}, k_default);
    }
  }
  if (command == "volume rm" || command == "volume inspect" || command == "volume put" || command == "volume get") {
    std::vector<std::string> names;
    for (const managed::ManagedVolume& v : lookups.volumes()) {
      names.push_back(v.name);
    }
    return words(names);
  }
  if ((command == "trust" || command == "untrust") && index == 0) {
    return words({}, k_default); // a profile file
  }
  if (command == "completion" && index == 0) {
    return words({"bash", "zsh", "fish"});
  }
  return words({});
}

// PATH of `volume get VOL PATH DEST` (or DEST, when PATH is left out): the volume's entries below
// the directory `typed` names, or host paths when it names none of them.
Answer volume_path(Lookups& lookups, const std::string& volume, const std::optional<std::string>& tenant,
                   const std::string& typed)
{
  if (typed.starts_with("/") || typed.starts_with(".") || typed.starts_with("~")) {
    return words({}, k_default); // a host path: DEST
  }
  std::size_t slash = typed.rfind('/');
  std::string dir = slash == std::string::npos ? "" : typed.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : typed.substr(0, slash + 1);
  Answer answer = words({}, k_no_file | k_no_space);
  for (const archive::ListedEntry& entry : lookups.volume_entries(volume, dir, tenant)) {
    std::string word = prefix + entry.name + (entry.type == archive::MemberType::directory ? "/" : "");
    if (starts_with(word, typed)) {
      answer.candidates.push_back({word, ""});
    }
  }
  return answer.candidates.empty() ? words({}, k_default) : answer;
}

struct FlagInfo
{
  std::vector<Candidate> flags;       // every spelling, with its description
  std::set<std::string> takes_value;  // "--memory", "-m"
};

FlagInfo flag_info(const Command& command)
{
  FlagInfo info;
  cxxopts::Options options = command.options("docker sandbox");
  for (const std::string& group : options.groups()) {
    for (const cxxopts::HelpOptionDetails& option : options.group_help(group).options) {
      if (option.desc.empty()) {
        continue; // positional holders
      }
      bool value = !option.is_boolean && !option.has_implicit;
      for (const std::string& name : option.l) {
        info.flags.push_back({"--" + name, option.desc});
        if (value) {
          info.takes_value.insert("--" + name);
        }
      }
      if (!option.s.empty()) {
        info.flags.push_back({"-" + option.s, option.desc});
        if (value) {
          info.takes_value.insert("-" + option.s);
        }
      }
    }
  }
  return info;
}

std::string long_name(const Command& command, const std::string& spelling)
{
  if (starts_with(spelling, "--")) {
    return spelling.substr(2);
  }
  cxxopts::Options options = command.options("docker sandbox");
  for (const std::string& group : options.groups()) {
    for (const cxxopts::HelpOptionDetails& option : options.group_help(group).options) {
      if ("-" + option.s == spelling && !option.l.empty()) {
        return option.l.front();
      }
    }
  }
  return spelling;
}

Answer command_names(const std::vector<Command>& table, bool with_help)
{
  Answer answer;
  for (const Command& command : table) {
    answer.candidates.push_back({std::string(command.name), std::string(command.summary)});
  }
  if (with_help) {
    answer.candidates.push_back({"help", "Help about any command"});
  }
  return answer;
}

// `help [GROUP] <TAB>`: the commands help can be asked about.
Answer help_topics(const std::vector<std::string>& all)
{
  if (all.size() == 2) {
    return command_names(command_table(), false);
  }
  const Command* group = all.size() == 3 ? find_command(all[1]) : nullptr;
  return group && group->subcommands ? command_names(*group->subcommands(), false) : Answer{};
}

Answer answer_for(CommandContext& ctx, const std::vector<std::string>& all)
{
  std::string current = all.empty() ? "" : all.back();
  if (all.size() <= 1) {
    return command_names(command_table(), true);
  }
  if (all[0] == "help") {
    return help_topics(all);
  }
  const Command* command = find_command(all[0]);
  if (!command) {
    return {};
  }
  // Descend into command groups (volume create ...): `path` names the command, e.g. "volume rm".
  std::string path(command->name);
  std::size_t first_arg = 1;
  while (command->subcommands) {
    const std::vector<Command>& table = *command->subcommands();
    if (all.size() == first_arg + 1) {
      return command_names(table, false);
    }
    command = find_in(table, all[first_arg]);
    if (!command) {
      return {};
    }
    path += " " + std::string(command->name);
    ++first_arg;
  }
  Lookups lookups(ctx);
  FlagInfo info = flag_info(*command);
  std::vector<std::string> args(all.begin() + static_cast<long>(first_arg), all.end() - 1);
  std::vector<std::string> positionals;
  std::map<std::string, std::string> given; // flag values typed so far, by long name
  bool only_positionals = false; // after `--`, or after run's IMAGE (the command and its args)
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!only_positionals && arg == "--") {
      only_positionals = true;
    } else if (!only_positionals && arg.size() > 1 && arg[0] == '-') {
      if (std::size_t equals = arg.find('='); equals != std::string::npos) {
        given[long_name(*command, arg.substr(0, equals))] = arg.substr(equals + 1);
      } else if (info.takes_value.count(arg) && i + 1 == args.size()) {
        return flag_value(lookups, path, long_name(*command, arg));
      } else if (info.takes_value.count(arg)) {
        given[long_name(*command, arg)] = args[++i];
      }
    } else {
      positionals.push_back(arg);
      only_positionals = only_positionals || command->name == "run";
    }
  }
  std::size_t equals = current.find('=');
  if (!only_positionals && starts_with(current, "-") && equals != std::string::npos) {
    // --flag=VALUE (or -f=VALUE): the value alone, as cobra answers it.
    Answer answer = flag_value(lookups, path, long_name(*command, current.substr(0, equals)));
    answer.typed = current.substr(equals + 1);
    return answer;
  }
  if (!only_positionals && starts_with(current, "-")) {
    return Answer{info.flags, k_no_file, std::nullopt};
  }
  if (path == "volume get" && positionals.size() == 1) {
    std::optional<std::string> tenant;
    if (given.count("tenant")) {
      tenant = given["tenant"];
    }
    return volume_path(lookups, positionals[0], tenant, current);
  }
  return positional(lookups, path, positionals.size());
}

// Whether a shell can be handed `word` as it stands. The CLI's bash scripts pass candidates to
// `compgen -W`, which expands them ($(...), `...`, $((...)), {a,b}, ~) before offering them: a
// file a sandbox left in a volume, or a name a hostile engine sent, would run a command on the
// host at TAB. Every name we complete (volumes, containers, tenants, images, networks, paths in a
// volume) fits in these characters, or is not offered.
bool shell_safe(std::string_view word)
{
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view("._+,@%=:/-").find(c) != std::string_view::npos;
  });
}

} // namespace

void complete(CommandContext& ctx, const std::vector<std::string>& all, bool descriptions)
{
  Answer answer = answer_for(ctx, all);
  std::string typed = answer.typed.value_or(all.empty() ? "" : all.back());
  for (const Candidate& candidate : answer.candidates) {
    if (!starts_with(candidate.word, typed) || !shell_safe(candidate.word)) {
      continue;
    }
    ctx.out() << candidate.word;
    if (descriptions && !candidate.description.empty()) {
      ctx.out() << '\t' << candidate.description;
    }
    ctx.out() << '\n';
  }
  ctx.out() << ':' << answer.directive << '\n';
}

} // namespace sandbox::cli
