#pragma once

// A Plan is the ordered list of Engine API requests a command will send, computed from parsed
// options and the API version alone (no I/O), then handed to an Executor: the HTTP executor, the
// dry-run printer, or a recorder in tests. Steps name the values later steps use: a path may say
// {create.Id}, filled from the reply of the step with id "create".

#include "engine/api_version.h"
#include "engine/engine_client.h"
#include "util/json.h"

#include <optional>
#include <string>
#include <vector>

namespace sandbox::plan {

enum class StepKind {
  request, // an ordinary request and reply
  attach,  // a hijacked connection that streams stdio until the container ends
  wait,     // a long poll whose reply arrives when the container stops
  progress, // a reply that is a stream of JSON progress lines (image pull, import)
};

struct Step
{
  std::string id;        // how later steps refer to this one's reply
  std::string summary;   // one line for people, shown by the dry-run printer
  std::string method;
  std::string path;      // unversioned; may contain {step.Field}
  engine::Query query;
  std::optional<json::Value> body;
  std::vector<int> accepted; // statuses beyond 2xx that are not errors (304 on start, 404 on removal)
  StepKind kind = StepKind::request;
  // An on_exit step that matters only when the work ended with this code. The executor that knows
  // the code (the live run session) skips it otherwise; the dry-run printer shows the condition.
  std::optional<int> only_if_exit_code;
};

struct Plan
{
  engine::ApiVersion api_version;
  std::vector<Step> steps;
  std::vector<Step> on_exit; // sent once the work started by `steps` has ended (e.g. read exit state)
  std::vector<Step> cleanup; // sent on every exit path, for each step whose references resolved
};

// The replies recorded so far, by step id.
class Results
{
public:
  void record(const std::string& id, json::Value reply);
  const json::Value* find(const std::string& id) const;

  // Replaces each {step.Field} in `text`. With `strict`, a reference that cannot be filled throws
  // Error; otherwise it is left as written (the dry-run shows it that way).
  std::string resolve(const std::string& text, bool strict) const;
  // True when every reference in `text` can be filled.
  bool can_resolve(const std::string& text) const;

private:
  std::vector<std::pair<std::string, json::Value>> m_replies;
};

// A step with its references filled.
Step resolve_step(const Step& step, const Results& results, bool strict);

} // namespace sandbox::plan
