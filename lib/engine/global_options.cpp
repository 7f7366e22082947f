#include "engine/global_options.h"

#include "util/error.h"

#include <array>
#include <cctype>
#include <string_view>

namespace sandbox::engine {

namespace {

enum class Kind { boolean, value };

struct FlagSpec
{
  char shorthand; // '\0' when none
  std::string_view name;
  Kind kind;
};

// docker/cli cli/flags/options.go InstallFlags, plus the root-only -h/-v.
constexpr std::array k_flags{
  FlagSpec{'\0', "config", Kind::value},   FlagSpec{'c', "context", Kind::value},
  FlagSpec{'D', "debug", Kind::boolean},   FlagSpec{'H', "host", Kind::value},
  FlagSpec{'l', "log-level", Kind::value}, FlagSpec{'\0', "tls", Kind::boolean},
  FlagSpec{'\0', "tlsverify", Kind::boolean}, FlagSpec{'\0', "tlscacert", Kind::value},
  FlagSpec{'\0', "tlscert", Kind::value},  FlagSpec{'\0', "tlskey", Kind::value},
  FlagSpec{'h', "help", Kind::boolean},    FlagSpec{'v', "version", Kind::boolean},
};

const FlagSpec* find_long(std::string_view name)
{
  for (const FlagSpec& spec : k_flags) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

const FlagSpec* find_short(char c)
{
  for (const FlagSpec& spec : k_flags) {
    if (spec.shorthand == c) {
      return &spec;
    }
  }
  return nullptr;
}

bool parse_bool(std::string_view flag, std::string_view text)
{
  // Go's strconv.ParseBool, which pflag uses.
  for (std::string_view yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == yes) {
      return true;
    }
  }
  for (std::string_view no : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == no) {
      return false;
    }
  }
  throw UsageError("invalid argument \"" + std::string(text) + "\" for \"--" + std::string(flag)
                   + "\" flag: not a boolean");
}

void apply(GlobalOptions& out, const FlagSpec& spec, std::optional<std::string> value)
{
  if (spec.kind == Kind::boolean) {
    bool on = value ? parse_bool(spec.name, *value) : true;
    if (spec.name == "debug") {
      out.debug = on;
    } else if (spec.name == "tls") {
      out.tls = on;
    } else if (spec.name == "tlsverify") {
      out.tls_verify = on;
    } else if (spec.name == "help") {
      out.help = on;
    } else if (spec.name == "version") {
      out.version = on;
    }
    return;
  }
  if (spec.name == "config") {
    out.config_dir = value;
  } else if (spec.name == "context") {
    out.context = value;
  } else if (spec.name == "host") {
    if (out.host) {
      throw UsageError("Specify only one -H");
    }
    out.host = value;
  } else if (spec.name == "log-level") {
    out.log_level = value;
  } else if (spec.name == "tlscacert") {
    out.tls_ca_cert = value;
  } else if (spec.name == "tlscert") {
    out.tls_cert = value;
  } else if (spec.name == "tlskey") {
    out.tls_key = value;
  }
}

void validate(GlobalOptions& options)
{
  if (options.host && options.context) {
    throw UsageError("conflicting options: cannot specify both --host and --context");
  }
  // An empty level means the default, as in the CLI. logrus.ParseLevel ignores case, so the
  // level is kept lower-cased.
  if (options.log_level && !options.log_level->empty()) {
    std::string lower = *options.log_level;
    for (char& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (std::string_view level : {"debug", "info", "warn", "error", "fatal", "panic", "trace", "warning"}) {
      if (lower == level) {
        options.log_level = lower;
        return;
      }
    }
    throw UsageError("Unable to parse logging level: " + *options.log_level);
  }
}

} // namespace

ParsedGlobals parse_global_flags(const std::vector<std::string>& args)
{
  ParsedGlobals parsed;
  GlobalOptions& out = parsed.options;
  std::size_t i = 0;
  while (i < args.size()) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.verbatim.push_back(arg);
      ++i;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      break;
    }
    out.verbatim.push_back(arg);
    ++i;
    if (arg[1] == '-') {
      std::string_view body = std::string_view(arg).substr(2);
      std::size_t eq = body.find('=');
      std::string_view name = body.substr(0, eq);
      const FlagSpec* spec = find_long(name);
      if (!spec) {
        throw UsageError("unknown flag: --" + std::string(name));
      }
      std::optional<std::string> value;
      if (eq != std::string_view::npos) {
        value = std::string(body.substr(eq + 1));
      } else if (spec->kind == Kind::value) {
        if (i >= args.size()) {
          throw UsageError("flag needs an argument: --" + std::string(name));
        }
        value = args[i];
        out.verbatim.push_back(args[i]);
        ++i;
      }
      apply(out, *spec, value);
      continue;
    }
    // A cluster of shorthands: -D, -Dl debug, -Hunix:///x, -H=unix:///x.
    for (std::size_t pos = 1; pos < arg.size(); ++pos) {
      const FlagSpec* spec = find_short(arg[pos]);
      if (!spec) {
        throw UsageError(std::string("unknown shorthand flag: '") + arg[pos] + "' in " + arg);
      }
      if (spec->kind == Kind::boolean) {
        if (pos + 1 < arg.size() && arg[pos + 1] == '=') {
          apply(out, *spec, arg.substr(pos + 2));
          break;
        }
        apply(out, *spec, std::nullopt);
        continue;
      }
      std::string value = arg.substr(pos + 1);
      if (!value.empty() && value[0] == '=') {
        value.erase(0, 1);
      } else if (value.empty()) {
        if (i >= args.size()) {
          throw UsageError(std::string("flag needs an argument: '") + arg[pos] + "' in -" + arg[pos]);
        }
        value = args[i];
        out.verbatim.push_back(args[i]);
        ++i;
      }
      apply(out, *spec, value);
      break;
    }
  }
  validate(out);
  parsed.next = i;
  return parsed;
}

} // namespace sandbox::engine
