#pragma once

// Executors run plans. The runner below is shared by all of them, so a dry run walks exactly the
// steps a real run sends.

#include "plan/plan.h"
#include "util/error.h"

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace sandbox::plan {

// A step failed with the engine's error: what() and status() are the engine's, step() says which
// step it was (a failed start means the command could not be run: 126 or 127, not 125).
class StepFailed : public EngineError
{
public:
  StepFailed(std::string step, const EngineError& error)
    : EngineError(error.status(), error.what(), error.hint()), m_step(std::move(step))
  {
  }
  const std::string& step() const { return m_step; }

private:
  std::string m_step;
};

// A step that was sent and whose reply has not been read yet.
class PendingReply
{
public:
  virtual ~PendingReply() = default;
  // Reads the reply. Throws as Executor::execute does.
  virtual Reply wait() = 0;
};

class Executor
{
public:
  virtual ~Executor() = default;
  // Sends (or shows) one step whose references are filled; returns the reply. Throws on a status
  // that is neither 2xx nor accepted by the step.
  virtual Reply execute(const Step& step) = 0;
  // Sends one step and returns before its reply is read (Step::overlap). The default executes it
  // at once.
  virtual std::unique_ptr<PendingReply> send(const Step& step);
  // True when replies are real, so every reference must resolve.
  virtual bool live() const = 0;
  // Whether steps with an overlap may be in flight together (each on a connection of its own).
  virtual bool overlaps() const { return true; }
  // Called before the cleanup steps are walked.
  virtual void begin_cleanup() {}
  // Called once after the plan, including cleanup, has been walked.
  virtual void finish() {}
};

// Walks plan.steps in order, calls `between` (a live run waits for the container there), walks
// plan.on_exit, then plan.cleanup. A live executor gets only the steps whose conditions hold, and
// a step's check sees its reply. Cleanup also runs when anything before it throws, after which
// the error is rethrown; cleanup steps whose references cannot be filled are skipped (nothing
// was created). An engine error of a step is thrown as StepFailed. Returns every reply by step
// id, and the problems recorded on the way.
Results run_plan(const Plan& plan, Executor& executor, const std::function<void(Results&)>& between = {});
// The same, recording into `results` as it goes: a caller that catches what it throws (Ctrl-C)
// still knows what was created.
void run_plan(const Plan& plan, Executor& executor, Results& results, const std::function<void(Results&)>& between = {});

// Sends steps through an EngineClient.
class HttpExecutor : public Executor
{
public:
  explicit HttpExecutor(engine::EngineClient& client) : m_client(client) {}
  Reply execute(const Step& step) override;
  // Ordinary requests go out on a connection of their own; others are executed at once.
  std::unique_ptr<PendingReply> send(const Step& step) override;
  bool live() const override { return true; }
  // Not through `docker system dial-stdio` (ssh): there every connection is a session of its own,
  // which costs far more than the wait an overlap saves.
  bool overlaps() const override;

protected:
  // The reply as the runner sees it: the status, and the JSON body (or an archive path's stat).
  static Reply reply_of(const Step& step, const engine::HttpResponse& response);

  engine::EngineClient& m_client;
};

enum class DryRunFormat { text, json };

// Prints each step (method, versioned path, query, pretty JSON body, what an upload sends and
// where a download goes, its conditions) instead of sending it.
class DryRunPrinter : public Executor
{
public:
  DryRunPrinter(std::ostream& out, DryRunFormat format, engine::ApiVersion version);
  Reply execute(const Step& step) override;
  bool live() const override { return false; }
  void begin_cleanup() override { m_in_cleanup = true; }
  void finish() override;
  // Prints each of `secrets` (a proxy's user and password in Env) as <redacted> wherever it would
  // show.
  void redact(std::vector<std::string> secrets);

private:
  std::string redacted_text(std::string text) const;

  std::ostream& m_out;
  DryRunFormat m_format;
  engine::ApiVersion m_version;
  bool m_in_cleanup = false;
  int m_count = 0;
  json::Value m_json = json::Value::array();
  std::vector<std::string> m_secrets;
};

// The versioned request line target, e.g. "/v1.41/containers/create?name=x".
std::string versioned_target(engine::ApiVersion version, const Step& step);

} // namespace sandbox::plan
