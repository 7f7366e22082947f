#include "plan/executor.h"

#include "util/cancel.h"
#include "util/error.h"
#include "util/failpoint.h"

#include <optional>

namespace sandbox::plan {

namespace {

// Walks plan.cleanup, collecting one line per failed step. Stops at the first step that could not
// reach the engine (nothing after it could either) and returns that error.
std::optional<ConnectionError> run_cleanup_steps(const Plan& plan, Executor& executor, const Results& results,
                                                 std::vector<std::string>& errors)
{
  executor.begin_cleanup();
  for (const Step& step : plan.cleanup) {
    if (executor.live() && !results.can_resolve(step.path)) {
      continue;
    }
    try {
      executor.execute(resolve_step(step, results, executor.live()));
    } catch (const ConnectionError& e) {
      errors.push_back(step.summary + ": " + e.what());
      return ConnectionError("cleanup failed: " + errors.back(), e.hint());
    } catch (const std::exception& e) {
      errors.push_back(step.summary + ": " + e.what());
    }
  }
  return std::nullopt;
}

const char* kind_name(StepKind kind)
{
  switch (kind) {
  case StepKind::attach:
    return "attach";
  case StepKind::wait:
    return "wait";
  case StepKind::progress:
    return "progress";
  case StepKind::request:
    break;
  }
  return "request";
}

} // namespace

Results run_plan(const Plan& plan, Executor& executor, const std::function<void(Results&)>& between)
{
  Results results;
  try {
    for (const Step& step : plan.steps) {
      CancelToken::instance().throw_if_requested(); // nothing new once the user asked us to stop
      failpoint("before-" + step.id);
      results.record(step.id, executor.execute(resolve_step(step, results, executor.live())));
    }
    if (between) {
      between(results);
    }
    for (const Step& step : plan.on_exit) {
      results.record(step.id, executor.execute(resolve_step(step, results, executor.live())));
    }
  } catch (...) {
    std::vector<std::string> ignored;
    run_cleanup_steps(plan, executor, results, ignored);
    executor.finish();
    throw;
  }
  std::vector<std::string> errors;
  std::optional<ConnectionError> engine_lost = run_cleanup_steps(plan, executor, results, errors);
  executor.finish();
  if (engine_lost) {
    throw *engine_lost;
  }
  if (!errors.empty()) {
    throw Error("cleanup failed: " + errors.front());
  }
  return results;
}

std::vector<std::string> run_cleanup(const Plan& plan, Executor& executor, const Results& results)
{
  std::vector<std::string> errors;
  run_cleanup_steps(plan, executor, results, errors);
  return errors;
}

json::Value HttpExecutor::execute(const Step& step)
{
  engine::HttpResponse response = m_client.call(step.method, step.path, step.query, step.body, step.accepted);
  if (response.body.empty() || response.header("Content-Type").find("json") == std::string::npos) {
    return json::Value();
  }
  try {
    return json::parse(response.body);
  } catch (const json::JsonError& e) {
    throw EngineError(response.status, step.summary + ": the engine sent invalid JSON: " + e.what());
  }
}

std::string versioned_target(engine::ApiVersion version, const Step& step)
{
  return "/v" + version.str() + step.path + engine::encode_query(step.query);
}

DryRunPrinter::DryRunPrinter(std::ostream& out, DryRunFormat format, engine::ApiVersion version)
  : m_out(out), m_format(format), m_version(version)
{
}

json::Value DryRunPrinter::execute(const Step& step)
{
  ++m_count;
  if (m_format == DryRunFormat::json) {
    json::Value entry = json::Value::object();
    entry.set("step", step.id);
    entry.set("summary", step.summary);
    entry.set("method", step.method);
    entry.set("path", "/v" + m_version.str() + step.path);
    json::Value query = json::Value::object();
    for (const auto& [name, value] : step.query) {
      query.set(name, value);
    }
    entry.set("query", std::move(query));
    entry.set("body", step.body ? *step.body : json::Value());
    entry.set("kind", kind_name(step.kind));
    entry.set("only_if_exit_code", step.only_if_exit_code ? json::Value(*step.only_if_exit_code) : json::Value());
    entry.set("cleanup", m_in_cleanup);
    m_json.push(std::move(entry));
    return json::Value();
  }
  if (m_count > 1) {
    m_out << '\n';
  }
  m_out << "# " << m_count << ". " << step.summary << (m_in_cleanup ? " (cleanup, on every exit path)" : "");
  if (step.only_if_exit_code) {
    m_out << " (only if it exited " << *step.only_if_exit_code << ")";
  }
  m_out << '\n';
  m_out << step.method << ' ' << versioned_target(m_version, step) << '\n';
  if (step.body) {
    m_out << step.body->pretty() << '\n';
  }
  return json::Value();
}

void DryRunPrinter::finish()
{
  if (m_format == DryRunFormat::json) {
    m_out << m_json.pretty() << '\n';
  }
  m_out.flush();
}

} // namespace sandbox::plan
