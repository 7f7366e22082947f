#include "pflag_args.h"

#include "util/error.h"

#include <map>

namespace sandbox::cli {

namespace {

enum class Takes { nothing, value, optional_value };

struct Flag
{
  std::string name; // the first long name
  Takes takes = Takes::nothing;
};

struct FlagTable
{
  std::map<std::string, Flag> by_long;
  std::map<char, Flag> by_short;

  explicit FlagTable(const cxxopts::Options& options)
  {
    for (const std::string& group : options.groups()) {
      for (const cxxopts::HelpOptionDetails& option : options.group_help(group).options) {
        Flag flag{option.l.empty() ? option.s : option.l.front(),
                  option.is_boolean ? Takes::nothing : option.has_implicit ? Takes::optional_value : Takes::value};
        for (const std::string& name : option.l) {
          by_long[name] = flag;
        }
        if (option.s.size() == 1) {
          by_short[option.s[0]] = flag;
        }
      }
    }
  }
};

// pflag's strconv.ParseBool.
bool parse_bool(const std::string& flag, const std::string& value)
{
  for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (value == yes) {
      return true;
    }
  }
  for (const char* no : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (value == no) {
      return false;
    }
  }
  throw UsageError("invalid argument \"" + value + "\" for \"" + flag + "\" flag: expected true or false");
}

class Rewriter
{
public:
  Rewriter(const FlagTable& table, const Args& args) : m_table(table), m_args(args) {}

  // Rewrites the flag at m_args[i] (and its value) onto `out`; returns the index after them.
  std::size_t flag(std::size_t i, Args& out)
  {
    const std::string& arg = m_args[i];
    if (arg.starts_with("--")) {
      return long_flag(i, out);
    }
    std::string shorthands = arg.substr(1);
    while (!shorthands.empty()) {
      char c = shorthands[0];
      auto found = m_table.by_short.find(c);
      if (found == m_table.by_short.end()) {
        out.push_back(std::string("-") + c); // cxxopts names it
        shorthands.erase(0, 1);
        continue;
      }
      const Flag& known = found->second;
      std::string rest = shorthands.substr(1);
      if (rest.starts_with("=")) { // -e=K=V, -i=false
        emit(known, "-" + std::string(1, c), rest.substr(1), out);
        return i + 1;
      }
      if (known.takes == Takes::value) {
        if (!rest.empty()) { // -eK=V, -ieK=V
          emit(known, "-" + std::string(1, c), rest, out);
          return i + 1;
        }
        if (i + 1 < m_args.size()) { // -ie K=V
          emit(known, "-" + std::string(1, c), m_args[i + 1], out);
          return i + 2;
        }
        out.push_back("--" + known.name); // cxxopts: needs an argument
        return i + 1;
      }
      emit(known, "-" + std::string(1, c), "true", out);
      shorthands = rest;
    }
    return i + 1;
  }

  // Appends every boolean flag whose last value was true.
  void emit_booleans(Args& out) const
  {
    for (const auto& [name, value] : m_booleans) {
      if (value) {
        out.push_back("--" + name);
      }
    }
  }

private:
  std::size_t long_flag(std::size_t i, Args& out)
  {
    const std::string& arg = m_args[i];
    std::size_t equals = arg.find('=');
    std::string name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    auto found = m_table.by_long.find(name);
    if (found == m_table.by_long.end()) {
      out.push_back(arg); // cxxopts names it
      return i + 1;
    }
    if (equals != std::string::npos) {
      emit(found->second, "--" + name, arg.substr(equals + 1), out);
      return i + 1;
    }
    if (found->second.takes == Takes::value && i + 1 < m_args.size()) {
      emit(found->second, "--" + name, m_args[i + 1], out);
      return i + 2;
    }
    if (found->second.takes == Takes::nothing) {
      emit(found->second, "--" + name, "true", out);
    } else {
      out.push_back("--" + found->second.name);
    }
    return i + 1;
  }

  // A value goes in a word of its own, which cxxopts takes as it is (its `--name=value` form
  // refuses a value with a line break). A boolean's last value wins, as in pflag: it is noted
  // here and given (or not) once all flags are read.
  void emit(const Flag& flag, const std::string& typed, const std::string& value, Args& out)
  {
    if (flag.takes == Takes::value) {
      out.push_back("--" + flag.name);
      out.push_back(value);
    } else if (flag.takes == Takes::optional_value) {
      out.push_back("--" + flag.name + "=" + value);
    } else {
      m_booleans[flag.name] = parse_bool(typed, value);
    }
  }

  const FlagTable& m_table;
  const Args& m_args;
  std::map<std::string, bool> m_booleans;
};

} // namespace

std::pair<Args, Args> pflag_args(const cxxopts::Options& options, const Args& args, bool stop_at_positional)
{
  FlagTable table(options);
  Rewriter rewriter(table, args);
  Args flags;
  std::size_t i = 0;
  while (i < args.size()) {
    const std::string& arg = args[i];
    if (arg == "--") {
      rewriter.emit_booleans(flags);
      return {flags, Args(args.begin() + static_cast<long>(i) + 1, args.end())};
    }
    if (arg.size() < 2 || arg[0] != '-') {
      if (stop_at_positional) {
        break;
      }
      flags.push_back(arg);
      ++i;
      continue;
    }
    i = rewriter.flag(i, flags);
  }
  rewriter.emit_booleans(flags);
  return {flags, Args(args.begin() + static_cast<long>(std::min(i, args.size())), args.end())};
}

} // namespace sandbox::cli
