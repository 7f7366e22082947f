#include "util/json_schema.h"

#include "util/json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

namespace sandbox::json {

namespace {

rapidjson::Document parse_document(std::string_view text)
{
  // Invalid UTF-8 is refused here (only here: the docker CLI accepts it in config.json): RapidJSON
  // 1.1 reads past the end of a key that holds a truncated sequence when it writes the key into
  // the JSON pointer of a problem (found by fuzz.profile).
  check_depth(text);
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (document.HasParseError()) {
    throw JsonError("invalid JSON at offset " + std::to_string(document.GetErrorOffset()) + ": "
                    + rapidjson::GetParseError_En(document.GetParseError()));
  }
  return document;
}

std::string pointer_text(const rapidjson::Pointer& pointer)
{
  rapidjson::StringBuffer buffer;
  pointer.StringifyUriFragment(buffer);
  std::string text(buffer.GetString(), buffer.GetSize());
  return text.size() > 0 && text[0] == '#' ? text.substr(1) : text;
}

const char* type_name(const rapidjson::Value& value)
{
  switch (value.GetType()) {
  case rapidjson::kNullType:
    return "null";
  case rapidjson::kFalseType:
  case rapidjson::kTrueType:
    return "boolean";
  case rapidjson::kObjectType:
    return "object";
  case rapidjson::kArrayType:
    return "array";
  case rapidjson::kStringType:
    return "string";
  case rapidjson::kNumberType:
    return "number";
  }
  return "value";
}

std::string member_string(const rapidjson::Value& node, const char* name)
{
  if (node.IsObject() && node.HasMember(name) && node[name].IsString()) {
    return node[name].GetString();
  }
  return "";
}

// RapidJSON 1.1 reports only the keyword and the two pointers; the words come from the nodes.
std::string describe(const std::string& keyword, const rapidjson::Value& schema_node, const rapidjson::Value* document_node)
{
  if (keyword == "type") {
    std::string expected = member_string(schema_node, "type");
    return "expected " + (expected.empty() ? std::string("another type") : "a " + expected)
           + (document_node ? std::string(", not a ") + type_name(*document_node) : "");
  }
  if (keyword == "additionalProperties" && document_node && document_node->IsObject()) {
    const rapidjson::Value* known = schema_node.IsObject() && schema_node.HasMember("properties") ? &schema_node["properties"] : nullptr;
    for (const auto& member : document_node->GetObject()) {
      if (!known || !known->HasMember(member.name)) {
        return "unknown key \"" + std::string(member.name.GetString()) + "\"";
      }
    }
  }
  if (keyword == "pattern") {
    std::string description = member_string(schema_node, "description");
    return description.empty() ? "does not match " + member_string(schema_node, "pattern") : "expected " + description;
  }
  if (keyword == "enum") {
    std::string description = member_string(schema_node, "description");
    return description.empty() ? "not one of the allowed values" : "expected " + description;
  }
  if (keyword == "minLength") {
    return "must not be empty";
  }
  if (keyword == "minimum" || keyword == "exclusiveMinimum") {
    return "is too small";
  }
  return "violates \"" + keyword + "\"";
}

} // namespace

std::vector<SchemaProblem> validate(std::string_view schema_text, std::string_view document_text)
{
  rapidjson::Document schema_document = parse_document(schema_text);
  rapidjson::Document document = parse_document(document_text);
  rapidjson::SchemaDocument schema(schema_document);
  rapidjson::SchemaValidator validator(schema);
  if (document.Accept(validator)) {
    return {};
  }
  std::string keyword = validator.GetInvalidSchemaKeyword();
  const rapidjson::Value* schema_node = validator.GetInvalidSchemaPointer().Get(schema_document);
  const rapidjson::Value* document_node = validator.GetInvalidDocumentPointer().Get(document);
  static const rapidjson::Value k_empty(rapidjson::kObjectType);
  SchemaProblem problem;
  problem.where = pointer_text(validator.GetInvalidDocumentPointer());
  problem.what = describe(keyword, schema_node ? *schema_node : k_empty, document_node);
  if (keyword == "additionalProperties") {
    // RapidJSON 1.1 points at the offending member itself.
    std::size_t slash = problem.where.rfind('/');
    problem.what = "unknown key \"" + problem.where.substr(slash + 1) + "\"";
    problem.where = problem.where.substr(0, slash);
  }
  return {problem};
}

} // namespace sandbox::json
