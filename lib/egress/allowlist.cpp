#include "egress/allowlist.h"

#include "util/error.h"
#include "util/printable.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace sandbox::egress {

namespace {

bool has_port(const Rule& rule, std::uint16_t port)
{
  return std::find(rule.ports.begin(), rule.ports.end(), port) != rule.ports.end();
}

std::string with_port(std::string_view host, std::uint16_t port)
{
  std::string shown = host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
  return shown + ":" + std::to_string(port);
}

// The problem with `name` as a DNS name (already normalized), or "".
std::string name_problem(std::string_view name)
{
  if (name.empty()) {
    return "the host is empty";
  }
  if (name.size() > 253) {
    return "the name is longer than 253 characters";
  }
  if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return "internationalized names are not supported: write the name in its ASCII (xn--) form";
  }
  std::size_t start = 0;
  std::string_view last;
  while (start <= name.size()) {
    std::size_t dot = std::min(name.find('.', start), name.size());
    std::string_view label = name.substr(start, dot - start);
    if (label.empty() || label.size() > 63) {
      return "each dot-separated label of a name has 1 to 63 characters";
    }
    for (char c : label) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
        return "a name holds only letters, digits, '-', '_' and dots";
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return "a label of a name does not start or end with '-'";
    }
    last = label;
    start = dot + 1;
  }
  if (std::all_of(last.begin(), last.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return "not an IP address, and a DNS name does not end in a numeric label";
  }
  return "";
}

// Parses `rule` into `out`; returns the problem, or "".
std::string parse_rule(std::string_view text, Rule& out)
{
  out.text = std::string(text);
  std::string_view host = text;
  std::string_view port;
  bool bracketed = false;
  if (text.starts_with('[')) {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return "a '[' without its ']'";
    }
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || rest.size() == 1)) {
      return "after ']' only ':PORT' may follow";
    }
    port = rest.empty() ? rest : rest.substr(1);
    bracketed = true;
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    std::size_t colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) {
      return "':' without a port";
    }
  }
  if (port.empty()) {
    out.ports.assign(std::begin(k_default_ports), std::end(k_default_ports));
  } else {
    unsigned value = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535 || port.size() > 5) {
      return "the port must be a number from 1 to 65535";
    }
    out.ports = {static_cast<std::uint16_t>(value)};
  }
  if (std::optional<Network> network = Network::parse(host)) {
    out.kind = Rule::Kind::network;
    out.network = network;
    return "";
  }
  if (bracketed || host.find(':') != std::string_view::npos) {
    return "not an IP address or CIDR block (an IPv6 address with a port is written [ADDRESS]:PORT)";
  }
  if (host.find('/') != std::string_view::npos) {
    return "not a CIDR block";
  }
  std::string name = normalized_host(host);
  if (name.starts_with("*.")) {
    out.kind = Rule::Kind::wildcard;
    name.erase(0, 2);
  } else if (name.find('*') != std::string::npos) {
    return "a wildcard is written *.DOMAIN and matches the names under DOMAIN";
  }
  out.name = name;
  return name_problem(name);
}

} // namespace

std::string normalized_host(std::string_view host)
{
  std::string name(host);
  if (name.ends_with('.')) {
    name.pop_back();
  }
  std::transform(name.begin(), name.end(), name.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return name;
}

Allowlist::Allowlist(const std::vector<std::string>& rules, const std::vector<std::string>& engine_host_addresses)
{
  std::string problems;
  for (const std::string& text : rules) {
    Rule rule;
    std::string problem = parse_rule(text, rule);
    if (!problem.empty()) {
      problems += (problems.empty() ? "" : "\n") + std::string("--allow-host ") + printable(text) + ": " + problem;
    } else {
      m_rules.push_back(std::move(rule));
    }
  }
  for (const std::string& text : engine_host_addresses) {
    if (std::optional<Network> network = Network::parse(text)) {
      m_engine_host.push_back(*network);
    } else {
      problems += (problems.empty() ? "" : "\n") + std::string("engine host address ") + printable(text) +
                  ": not an IP address or CIDR block";
    }
  }
  if (!problems.empty()) {
    throw UsageError(problems);
  }
}

const Rule* Allowlist::address_rule(const Address& address, std::uint16_t port) const
{
  for (const Rule& rule : m_rules) {
    if (rule.kind == Rule::Kind::network && has_port(rule, port) && rule.network->contains(address)) {
      return &rule;
    }
  }
  return nullptr;
}

Decision Allowlist::check_host(std::string_view host, std::uint16_t port) const
{
  std::string name = normalized_host(host);
  if (std::optional<Address> literal = Address::parse(name)) {
    if (const Rule* rule = address_rule(*literal, port)) {
      return {true, "allowed by " + rule->text};
    }
    return {false, "no rule allows " + with_port(literal->text(), port)};
  }
  for (const Rule& rule : m_rules) {
    bool matches = rule.kind == Rule::Kind::name ? name == rule.name
                   : rule.kind == Rule::Kind::wildcard
                     ? name.size() > rule.name.size() && name.ends_with(rule.name) &&
                         name[name.size() - rule.name.size() - 1] == '.'
                     : false;
    if (matches && has_port(rule, port)) {
      return {true, "allowed by " + rule.text};
    }
  }
  return {false, "no rule allows " + with_port(name, port)};
}

Decision Allowlist::decide(std::string_view host, std::uint16_t port, const Address& address) const
{
  Decision decision = check_host(host, port);
  if (!decision.allowed || Address::parse(normalized_host(host))) {
    return decision;
  }
  std::string why(special_kind(address));
  if (why.empty()) {
    for (const Network& network : m_engine_host) {
      if (network.contains(address)) {
        why = "an engine host";
        break;
      }
    }
  } else {
    why = "a " + why;
  }
  if (why.empty()) {
    return decision;
  }
  if (const Rule* rule = address_rule(address, port)) {
    return {true, decision.reason + " and " + rule->text};
  }
  return {false, normalized_host(host) + " resolves to " + address.text() + ", " + why +
                   " address, which only an address rule allows"};
}

} // namespace sandbox::egress
