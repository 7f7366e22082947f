#include "plan/executor.h"

#include "engine/container_archive.h"
#include "engine/raw_http.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/failpoint.h"

#include <cstdio>
#include <optional>
#include <sstream>

namespace sandbox::plan {

namespace {

// Checks and records the reply `get_reply` gives for `step`. A failure of a step with a problem
// label is recorded as a problem, of a best-effort step as a warning; other failures are thrown
// (an engine error as StepFailed).
template <typename GetReply> void settle(const Step& step, Results& results, bool live, GetReply get_reply)
{
  try {
    Reply reply = get_reply();
    if (live && step.check) {
      step.check(reply);
    }
    if (live && step.check_recorded) {
      step.check_recorded(reply, results);
    }
    results.record(step.id, std::move(reply.body), reply.status);
  } catch (const Cancelled&) {
    throw;
  } catch (const Error& e) {
    if (!step.problem_label.empty()) {
      results.add_problem(step.problem_label + ": " + e.what());
      return;
    }
    if (step.best_effort) {
      results.add_warning(step.summary + ": " + e.what());
      return;
    }
    if (dynamic_cast<const ConnectionError*>(&e) || dynamic_cast<const StepFailed*>(&e)) {
      throw;
    }
    if (const auto* engine = dynamic_cast<const EngineError*>(&e)) {
      throw StepFailed(step.id, *engine);
    }
    throw;
  }
}

bool should_send(const Step& step, const Executor& executor, const Results& results)
{
  return !executor.live() || conditions_hold(step, results, CancelToken::instance().requested());
}

// Sends one step unless a live run's conditions skip it, and settles its reply.
void send(const Step& step, Executor& executor, Results& results)
{
  if (!should_send(step, executor, results)) {
    return;
  }
  Step resolved = resolve_step(step, results, executor.live());
  if (!step.walk || !executor.live()) {
    settle(step, results, executor.live(), [&] { return executor.execute(resolved); });
    return;
  }
  std::vector<Reply> walked;
  while (std::optional<engine::Query> query = step.walk(results, walked)) {
    resolved.query = std::move(*query);
    std::size_t sent = walked.size();
    settle(step, results, true, [&] {
      walked.push_back(executor.execute(resolved));
      return walked.back();
    });
    if (walked.size() == sent) {
      return; // a failure recorded as a problem or a warning ends the walk
    }
  }
}

// A step sent ahead of its reply.
struct InFlight
{
  const Step* step;
  std::unique_ptr<PendingReply> pending;
};

// Settles every reply still in flight, in order, even when one of them fails (what succeeded must
// be recorded, or cleanup would not remove it); then rethrows the first failure.
void settle_all(std::vector<InFlight>& flights, Results& results)
{
  std::vector<InFlight> settling = std::move(flights);
  flights.clear();
  std::exception_ptr first;
  for (InFlight& flight : settling) {
    try {
      settle(*flight.step, results, true, [&] { return flight.pending->wait(); });
    } catch (...) {
      if (!first) {
        first = std::current_exception();
      }
    }
  }
  if (first) {
    std::rethrow_exception(first);
  }
}

// Walks `steps` (plan.steps, then plan.on_exit), sending a step with an overlap ahead of its reply
// where the executor can: the replies of a run of with_next steps are read after the step that
// follows them, those of reply_later steps once every step was sent. When anything fails, the
// replies still in flight are read (and recorded) before the failure goes on. `interruptible`:
// nothing new is sent once the user asked us to stop (on_exit steps say themselves whether they
// are sent after an interrupt).
void run_steps(const std::vector<Step>& steps, Executor& executor, Results& results, bool interruptible)
{
  std::vector<InFlight> with_next;
  std::vector<InFlight> later;
  try {
    for (const Step& step : steps) {
      if (interruptible) {
        CancelToken::instance().throw_if_requested();
      }
      failpoint("before-" + step.id);
      if (step.overlap != Step::Overlap::none && executor.live() && executor.overlaps()) {
        if (should_send(step, executor, results)) {
          Step resolved = resolve_step(step, results, true);
          std::unique_ptr<PendingReply> pending;
          try {
            pending = executor.send(resolved);
          } catch (...) {
            // The same mapping as a reply's failure: a problem, a warning, or StepFailed.
            settle(step, results, true, []() -> Reply { throw; });
          }
          if (pending) {
            (step.overlap == Step::Overlap::with_next ? with_next : later).push_back({&step, std::move(pending)});
          }
        }
        continue;
      }
      send(step, executor, results);
      settle_all(with_next, results);
    }
    settle_all(with_next, results);
    settle_all(later, results);
  } catch (...) {
    for (std::vector<InFlight>* flights : {&with_next, &later}) {
      try {
        settle_all(*flights, results);
      } catch (...) {
        // The failure that got us here is the one to report.
      }
    }
    throw;
  }
}

const char* overlap_text(Step::Overlap overlap)
{
  switch (overlap) {
  case Step::Overlap::with_next:
    return "sent together with the next step";
  case Step::Overlap::reply_later:
    return "its reply is read once the steps after it were sent";
  case Step::Overlap::none:
    break;
  }
  return "";
}

// Walks plan.cleanup, collecting one line per failed step. A with_next step goes out together with
// the step after it in the list (the sandbox's removal beside the proxy's); both replies are read
// before anything else is sent, and at once when that step is not sent. Stops at the first step
// that could not reach the engine (nothing after it could either) and returns that error, once
// the replies in flight were read.
std::optional<ConnectionError> run_cleanup_steps(const Plan& plan, Executor& executor, Results& results,
                                                 std::vector<std::string>& errors)
{
  executor.begin_cleanup();
  std::optional<ConnectionError> lost;
  // Reads one reply (or sends and reads), mapping its failure to a line of `errors` or a warning.
  auto settle_cleanup = [&](const Step& step, auto get_reply) {
    try {
      get_reply();
    } catch (const ConnectionError& e) {
      errors.push_back(step.summary + ": " + e.what());
      if (!lost) {
        lost = ConnectionError("cleanup failed: " + errors.back(), e.hint());
      }
    } catch (const std::exception& e) {
      if (step.best_effort) {
        results.add_warning(step.summary + ": " + e.what());
      } else {
        errors.push_back(step.summary + ": " + e.what());
      }
    }
  };
  std::vector<InFlight> with_next;
  auto read_in_flight = [&] {
    for (InFlight& flight : with_next) {
      settle_cleanup(*flight.step, [&] { flight.pending->wait(); });
    }
    with_next.clear();
  };
  for (const Step& step : plan.cleanup) {
    if (lost) {
      break;
    }
    // Interrupted or not: a copied output stays after Ctrl-C (unless_interrupted).
    if (executor.live() && (!results.can_resolve(step.path) || !conditions_hold(step, results, CancelToken::instance().requested()))) {
      read_in_flight();
      continue;
    }
    if (step.overlap == Step::Overlap::with_next && executor.live() && executor.overlaps()) {
      settle_cleanup(step, [&] { with_next.push_back({&step, executor.send(resolve_step(step, results, true))}); });
      continue;
    }
    settle_cleanup(step, [&] { executor.execute(resolve_step(step, results, executor.live())); });
    read_in_flight();
  }
  read_in_flight();
  return lost;
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
  case StepKind::upload:
    return "upload";
  case StepKind::download:
    return "download";
  case StepKind::lookup:
    return "lookup";
  case StepKind::request:
    break;
  }
  return "request";
}

std::string owner_text(const TarEntry& entry)
{
  std::string text = entry.uid < 0 ? "each file's own owner" : "owner " + std::to_string(entry.uid) + ":" + std::to_string(entry.gid);
  if (entry.mode) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%o", *entry.mode);
    text += ", mode " + std::string(mode);
  }
  return text;
}

// One line per tar entry, e.g. "/home/me/in (and below) as in, owner 65534:65534"; a member "."
// is the root of the upload (a volume's mount point).
std::vector<std::string> upload_lines(const Upload& upload)
{
  std::vector<std::string> lines;
  for (const TarEntry& entry : upload.entries) {
    switch (entry.source) {
    case TarEntry::Source::directory:
      lines.push_back("directory " + entry.member + ", " + owner_text(entry));
      break;
    case TarEntry::Source::path:
      lines.push_back(entry.host_path + " (and below) as " + entry.member + ", " + owner_text(entry));
      for (const std::string& hollow : entry.hollow) {
        lines.push_back("  but " + (entry.member == "." ? hollow : entry.member + "/" + hollow) + " as an empty directory");
      }
      break;
    case TarEntry::Source::contents:
      lines.push_back("what is in " + entry.host_path + " into " + entry.member + ", " + owner_text(entry));
      for (const std::string& hollow : entry.hollow) {
        lines.push_back("  but " + (entry.member == "." ? hollow : entry.member + "/" + hollow) + " as an empty directory");
      }
      break;
    case TarEntry::Source::stdin_tar:
      lines.push_back("the members of the tar on stdin into " + entry.member + ", " + owner_text(entry));
      break;
    case TarEntry::Source::bytes:
      lines.push_back(entry.bytes_what + " (" + std::to_string(entry.bytes.size()) + " bytes) as " + entry.member + ", "
                      + owner_text(entry));
      break;
    }
  }
  if (lines.empty()) {
    lines.push_back("an empty tar");
  }
  return lines;
}

std::string download_line(const Download& download)
{
  if (download.destination == "-") {
    return "written to stdout, its members named from " + download.root_name;
  }
  std::string line = "extracted safely into " + download.destination;
  if (download.max_bytes != UINT64_MAX) {
    line += ", at most " + std::to_string(download.max_bytes) + " bytes";
  }
  if (download.max_files != UINT64_MAX) {
    line += " and " + std::to_string(download.max_files) + " files";
  }
  return line + (download.max_bytes != UINT64_MAX || download.max_files != UINT64_MAX ? " for all downloads together" : "");
}

std::string redacted(const SecretHeader& header)
{
  return "<redacted: " + header.summary + ">";
}

json::Value string_array(const std::vector<std::string>& items)
{
  json::Value out = json::Value::array();
  for (const std::string& item : items) {
    out.push(item);
  }
  return out;
}

} // namespace

Results run_plan(const Plan& plan, Executor& executor, const std::function<void(Results&)>& between)
{
  Results results;
  run_plan(plan, executor, results, between);
  return results;
}

void run_plan(const Plan& plan, Executor& executor, Results& results, const std::function<void(Results&)>& between)
{
  try {
    run_steps(plan.steps, executor, results, true);
    if (between) {
      between(results);
    }
    run_steps(plan.on_exit, executor, results, false);
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
}

std::unique_ptr<PendingReply> Executor::send(const Step& step)
{
  struct Done : PendingReply
  {
    Reply reply;
    Reply wait() override { return reply; }
  };
  auto done = std::make_unique<Done>();
  done->reply = execute(step);
  return done;
}

Reply HttpExecutor::execute(const Step& step)
{
  return reply_of(step, m_client.call(step.method, step.path, step.query, step.body, step.accepted));
}

bool HttpExecutor::overlaps() const
{
  return m_client.endpoint().transport != engine::TransportKind::dial_stdio;
}

std::unique_ptr<PendingReply> HttpExecutor::send(const Step& step)
{
  if (step.kind != StepKind::request) {
    return Executor::send(step);
  }
  struct InFlightRequest : PendingReply
  {
    Step step;
    engine::PendingRequest request;
    InFlightRequest(engine::EngineClient& client, const Step& sent)
      : step(sent), request(client, sent.method, sent.path + engine::encode_query(sent.query),
                            sent.body ? std::optional<std::string>(sent.body->dump()) : std::nullopt)
    {
    }
    Reply wait() override { return reply_of(step, request.finish(step.accepted)); }
  };
  return std::make_unique<InFlightRequest>(m_client, step);
}

Reply HttpExecutor::reply_of(const Step& step, const engine::HttpResponse& response)
{
  Reply reply;
  reply.status = response.status;
  if (!response.header(engine::k_path_stat_header).empty()) {
    reply.body = engine::decode_path_stat(response);
    return reply;
  }
  if (step.text_reply) {
    reply.body = json::Value(response.body);
    return reply;
  }
  if (response.body.empty() || response.header("Content-Type").find("json") == std::string::npos) {
    return reply;
  }
  try {
    reply.body = json::parse(response.body);
  } catch (const json::JsonError& e) {
    throw EngineError(response.status, step.summary + ": the engine sent invalid JSON: " + e.what());
  }
  return reply;
}

std::string versioned_target(engine::ApiVersion version, const Step& step)
{
  return "/v" + version.str() + step.path + engine::encode_query(step.query);
}

DryRunPrinter::DryRunPrinter(std::ostream& out, DryRunFormat format, engine::ApiVersion version)
  : m_out(out), m_format(format), m_version(version)
{
}

Reply DryRunPrinter::execute(const Step& step)
{
  ++m_count;
  std::vector<std::string> conditions = condition_texts(step);
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
    entry.set("target", versioned_target(m_version, step));
    entry.set("conditions", string_array(conditions));
    if (!step.check_summary.empty()) {
      entry.set("check", step.check_summary);
    }
    if (!step.walk_summary.empty()) {
      entry.set("walk", step.walk_summary);
    }
    if (step.overlap != Step::Overlap::none) {
      entry.set("overlap", overlap_text(step.overlap));
    }
    if (step.secret_header) {
      json::Value headers = json::Value::object();
      headers.set(step.secret_header->name, redacted(*step.secret_header));
      entry.set("headers", std::move(headers));
    }
    if (step.upload) {
      entry.set("upload", string_array(upload_lines(*step.upload)));
    }
    if (step.download) {
      entry.set("download", download_line(*step.download));
    }
    m_json.push(std::move(entry));
    return Reply();
  }
  std::ostringstream text;
  if (m_count > 1) {
    text << '\n';
  }
  text << "# " << m_count << ". " << step.summary << (m_in_cleanup ? " (cleanup, on every exit path)" : "");
  for (const std::string& condition : conditions) {
    text << " (" << condition << ")";
  }
  if (step.overlap != Step::Overlap::none) {
    text << " (" << overlap_text(step.overlap) << ")";
  }
  text << '\n';
  if (!step.check_summary.empty()) {
    text << "#    requires: " << step.check_summary << '\n';
  }
  if (!step.walk_summary.empty()) {
    text << "#    sent " << step.walk_summary << '\n';
  }
  text << step.method << ' ' << versioned_target(m_version, step) << '\n';
  if (step.secret_header) {
    text << step.secret_header->name << ": " << redacted(*step.secret_header) << '\n';
  }
  if (step.body) {
    text << step.body->pretty() << '\n';
  }
  if (step.upload) {
    text << "body: a tar of\n";
    for (const std::string& line : upload_lines(*step.upload)) {
      text << "  " << line << '\n';
    }
  }
  if (step.download) {
    text << "reply: a tar, " << download_line(*step.download) << '\n';
  }
  m_out << redacted_text(text.str());
  return Reply();
}

void DryRunPrinter::redact(std::vector<std::string> secrets)
{
  m_secrets = std::move(secrets);
}

std::string DryRunPrinter::redacted_text(std::string text) const
{
  for (const std::string& secret : m_secrets) {
    // As printed: inside a JSON string (a body), escaped.
    std::string shown = json::Value(secret).dump();
    shown = shown.substr(1, shown.size() - 2);
    for (std::size_t at = 0; !shown.empty() && (at = text.find(shown, at)) != std::string::npos;) {
      text.replace(at, shown.size(), "<redacted>");
      at += 10;
    }
  }
  return text;
}

void DryRunPrinter::finish()
{
  if (m_format == DryRunFormat::json) {
    m_out << redacted_text(m_json.pretty()) << '\n';
  }
  m_out.flush();
}

} // namespace sandbox::plan
