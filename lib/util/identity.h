#pragma once

// Identifiers that must not collide between parallel invocations.

#include <string>

namespace sandbox {

// `length` lowercase hex characters from the kernel's random source. Throws Error if unavailable.
std::string random_hex(std::size_t length);

// The current UTC time as RFC 3339, e.g. "2026-11-23T10:01:45Z".
std::string rfc3339_now();

// Validates a tenant or run id: [a-zA-Z0-9_-], 1 to 63 characters (they become parts of volume
// names and label values). Throws UsageError naming `what`.
void validate_id(const std::string& value, const std::string& what);

// This machine's host name.
std::string hostname();

// "<hostname>:<pid>" of this process.
std::string owner_tag();

} // namespace sandbox
