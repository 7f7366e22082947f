#pragma once

// The egress policy: which host:port pairs a sandbox may reach through the proxy, and the
// addresses a name may not lead to unless a rule names them (loopback, link-local with the cloud
// metadata address, unspecified, multicast, the engine host's own addresses). The proxy checks the
// address it will connect to and connects to exactly that one, so a name that resolves to
// something else a moment later (DNS rebinding) changes nothing.

#include "egress/address.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::egress {

// The ports a rule without ":PORT" allows.
inline constexpr std::uint16_t k_default_ports[] = {443, 80};

// One parsed HOST[:PORT] rule.
struct Rule
{
  enum class Kind { name, wildcard, network };
  Kind kind = Kind::name;
  // A name in lower case without a trailing dot; for a wildcard, the suffix after "*.".
  std::string name;
  // For Kind::network: the address or CIDR block.
  std::optional<Network> network;
  // The ports it allows: the one written, or k_default_ports.
  std::vector<std::uint16_t> ports;
  // The rule as the user wrote it, for reasons.
  std::string text;
};

// What the proxy does with one request.
struct Decision
{
  bool allowed = false;
  std::string reason;
};

// The rules of one run and the engine host's addresses.
class Allowlist
{
public:
  // Parses every rule and every engine host address (an address or a CIDR block); throws
  // UsageError naming every bad entry, one per line. A wildcard "*.example.com" matches the names
  // under example.com but not example.com itself. Names are ASCII only (IDNA is not supported).
  Allowlist(const std::vector<std::string>& rules, const std::vector<std::string>& engine_host_addresses);

  // Whether some rule allows `host` (as the client asked: a name or an address literal, IPv6
  // without brackets) on `port`, before anything is resolved; the reason names the rule or the miss.
  Decision check_host(std::string_view host, std::uint16_t port) const;

  // The full decision for a connection to `address`, which `host` resolved to: the host must be
  // allowed, and a special or engine host address only when an address rule covers it.
  Decision decide(std::string_view host, std::uint16_t port, const Address& address) const;

  // The rules, in the order they were given.
  const std::vector<Rule>& rules() const { return m_rules; }

private:
  const Rule* address_rule(const Address& address, std::uint16_t port) const;

  std::vector<Rule> m_rules;
  std::vector<Network> m_engine_host;
};

// `host` in the form rules compare: lower case, without one trailing dot.
std::string normalized_host(std::string_view host);

} // namespace sandbox::egress
