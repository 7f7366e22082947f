#pragma once

// JSON Schema validation (draft 04, RapidJSON's SchemaValidator) behind the project's JSON seam.

#include <string>
#include <string_view>
#include <vector>

namespace sandbox::json {

struct SchemaProblem
{
  std::string where; // the key path in the document, e.g. "/limits/memory" ("" for the root)
  std::string what;  // what was expected, in words
};

// Validates `document` (JSON text) against `schema` (JSON text). Returns the first problem found,
// or an empty vector when the document is valid. Throws JsonError when either is not JSON.
std::vector<SchemaProblem> validate(std::string_view schema, std::string_view document);

} // namespace sandbox::json
