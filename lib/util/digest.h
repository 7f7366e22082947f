#pragma once

// Content digests (OpenSSL), e.g. to key a user's consent to the exact bytes of a profile.

#include <string>
#include <string_view>

namespace sandbox {

// The SHA-256 of `data` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

} // namespace sandbox
