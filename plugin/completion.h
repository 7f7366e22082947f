#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace sandbox::cli {

// Answers cobra's completion protocol for `words` (the words after `sandbox`, the last one being
// completed): one candidate per line (with a tab and description unless `descriptions` is
// false), then ":<directive>". Never fails; an unknown position gives no candidates.
void complete(const std::vector<std::string>& words, bool descriptions, std::ostream& out);

} // namespace sandbox::cli
