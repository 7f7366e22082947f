#pragma once

// A Plan is the ordered list of Engine API requests a command will send, computed from parsed
// options and the API version alone (no I/O), then handed to an Executor: the HTTP executor, the
// dry-run printer, or a recorder in tests. Steps name the values later steps use: a path may say
// {create.Id}, filled from the reply of the step with id "create". Everything a live run decides
// from a reply (whether to send a step, whether a reply is acceptable) is written in the step as
// data, so that the dry run shows it.

#include "engine/api_version.h"
#include "engine/engine_client.h"
#include "util/json.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::plan {

enum class StepKind {
  request, // an ordinary request and reply
  attach,  // a hijacked connection that streams stdio until the container ends
  wait,     // a long poll whose reply arrives when the container stops
  progress, // a reply that is a stream of JSON progress lines (image pull, import)
  upload,   // the body is a tar built from host files while it is sent (see Upload)
  download, // the reply is a tar, extracted safely on the host or copied out (see Download)
  lookup,   // a read sent while planning, in a dry run too (what rm and prune list)
};

// One member (or group of members) of an uploaded tar.
struct TarEntry
{
  enum class Source {
    directory, // a directory member `member`, made with the owner below
    path,      // the host file, link or tree `host_path`, stored as `member` and below
    contents,  // each entry of the host directory `host_path`, stored below `member`
    stdin_tar, // the members of a tar read from stdin, stored below `member`
    bytes,     // a regular file `member` holding `bytes` (a program that ships inside ours)
  };
  Source source = Source::path;
  std::string host_path;
  std::string member;
  long uid = 65534; // -1 (with gid -1): each host file's own
  long gid = 65534;
  std::optional<unsigned> mode; // forced permission bits; nullopt keeps each file's own
  // Members below `member` stored as empty directories whatever the host holds there (mount
  // points: the excluded paths and the output of a copied workspace).
  std::vector<std::string> hollow;
  // The device and inode `host_path` had when it was checked: the upload refuses another.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> identity;
  // Source::bytes: the contents, which outlive the plan, and what they are, for the dry run.
  std::string_view bytes;
  std::string bytes_what;
};

struct Upload
{
  std::vector<TarEntry> entries; // none: an empty tar
};

// Where a downloaded tar goes. The caps hold for all the plan's downloads together.
struct Download
{
  std::string destination; // a host directory, or "-": a tar to stdout
  std::string root_name;   // the first component of every member (the basename of the path read)
  bool overwrite = false;
  std::uint64_t max_bytes = UINT64_MAX;
  std::uint64_t max_files = UINT64_MAX;
};

// A reply as the runner sees it: the HTTP status and the JSON body (null when there is none; a
// HEAD of an archive path gives its decoded stat).
struct Reply
{
  int status = 0;
  json::Value body;
};

class Results;

// A request header whose value is a secret (X-Registry-Auth): made only when a live run sends the
// step, never by planning or by the dry run, which shows `summary` in its place.
struct SecretHeader
{
  std::string name;
  std::string summary; // where the value comes from, e.g. "credentials for ... from ..."
  // The value; "" sends no header. Throws Error when it cannot be made.
  std::function<std::string()> value;
};

struct Step
{
  std::string id;        // how later steps refer to this one's reply
  std::string summary;   // one line for people, shown by the dry-run printer
  std::string method;
  std::string path;      // unversioned; may contain {step.Field}
  engine::Query query;
  std::optional<json::Value> body;
  // Members of the body, each a path of object keys (or array indexes) to a string or an array of
  // strings, whose {step.Field} references are filled like the path's (the sandbox's ExtraHosts,
  // which name the proxy's address; the proxy's first argument). No other part of a body is ever
  // filled: it holds the user's own text.
  std::vector<std::vector<std::string>> body_references;
  // Arrays of the body that take in the elements of arrays from earlier replies: at index `at` of
  // the array at `path`, the strings of each referenced array in turn ({image-config.Config.Cmd});
  // a null or missing array adds nothing, another value is refused. The array's own elements (the
  // user's command) are never filled. The dry run shows each reference as one element.
  struct Splice
  {
    std::vector<std::string> path;
    std::size_t at = 0;
    std::vector<std::string> references;
  };
  std::vector<Splice> body_splices;
  // The reply's body is kept as a JSON string, whatever its type (a container's log); it is bounded
  // like every reply.
  bool text_reply = false;
  std::vector<int> accepted; // statuses beyond 2xx that are not errors (304 on start, 404 on removal)
  StepKind kind = StepKind::request;
  std::optional<Upload> upload;     // kind upload
  std::optional<Download> download; // kind download
  std::optional<SecretHeader> secret_header; // sent by the executors of progress steps (a pull)

  // Conditions, all of which must hold for a live run to send the step; the dry-run printer
  // shows them instead.
  std::optional<int> only_if_exit_code;                      // the container exited with this code
  std::optional<std::pair<std::string, int>> only_if_status; // that step replied with this status
  std::vector<std::string> only_if_sent;                     // these steps were sent and succeeded
  std::string unless_sent;                                   // that step did not succeed (cleanup)
  bool unless_interrupted = false;                           // the user did not interrupt the run
  bool unless_detached = false;                              // the user did not detach from the run
  bool unless_problems = false;                              // no earlier step reported a problem

  // Where the engine allows it, a live run does not wait for this step's reply before sending the
  // next step (with_next: both are in flight, then both replies are read; a run of such steps all
  // go out before the step after them), or before sending all the rest of its list, `steps` or
  // `on_exit` (reply_later: nothing after it in that list needs it). The dry run shows it.
  enum class Overlap { none, with_next, reply_later };
  Overlap overlap = Overlap::none;

  // Refuses a reply that is not acceptable (status in 2xx or `accepted`). Throws Error.
  std::function<void(const Reply&)> check;
  // The same, for a check that compares the reply with the replies recorded before it (what an
  // upload sent, against what the engine holds afterwards).
  std::function<void(const Reply&, const Results&)> check_recorded;
  std::string check_summary; // what `check` requires, for the dry run
  // A walk (a command looked up along PATH): a live run sends the step with the query `walk`
  // returns, given the replies recorded so far and those of the step's own sendings, again and
  // again until it returns nullopt; it throws to stop the plan. The dry run shows the step once,
  // with walk_summary (how it is sent again: "with ?path= each ...", "up to 10 times ...").
  std::function<std::optional<engine::Query>(const Results&, const std::vector<Reply>&)> walk;
  std::string walk_summary;
  // When set, a failure of this step (the engine's answer, or a connection that broke) is a
  // problem "<problem_label>: <why>" that the plan records and goes on from (one --collect that
  // failed); otherwise it stops the plan.
  std::string problem_label;
  // A failure of this step is a warning "<summary>: <why>" that the plan records and goes on
  // from, also in cleanup (removing the helper, a run's volume: prune finds what is left).
  bool best_effort = false;
};

// A request step with these fields; the caller sets the rest.
Step make_step(std::string id, std::string summary, std::string method, std::string path);

struct Plan
{
  engine::ApiVersion api_version;
  std::vector<Step> steps;
  std::vector<Step> on_exit; // sent once the work started by `steps` has ended (e.g. read exit state)
  std::vector<Step> cleanup; // sent on every exit path, for each step whose references resolved
  std::vector<std::string> secrets; // text of the requests that the dry run shows as <redacted>
};

// The replies recorded so far, by step id.
class Results
{
public:
  void record(const std::string& id, json::Value reply, int status = 200);
  const json::Value* find(const std::string& id) const;
  // The status `id` replied with; nullopt when it was not sent or failed.
  std::optional<int> status(const std::string& id) const;

  // What the runner needs to decide conditions: the container's exit code once known, and the
  // problems recorded so far.
  void set_exit_code(int code) { m_exit_code = code; }
  // The user detached from the run: the sandbox goes on without the plugin.
  void set_detached() { m_detached = true; }
  bool detached() const { return m_detached; }
  std::optional<int> exit_code() const { return m_exit_code; }
  void add_problem(std::string problem) { m_problems.push_back(std::move(problem)); }
  const std::vector<std::string>& problems() const { return m_problems; }
  void add_warning(std::string warning) { m_warnings.push_back(std::move(warning)); }
  const std::vector<std::string>& warnings() const { return m_warnings; }

  // Replaces each {step.Field} in `text`. With `strict`, a reference that cannot be filled throws
  // Error; otherwise it is left as written (the dry-run shows it that way).
  std::string resolve(const std::string& text, bool strict) const;
  // True when every reference in `text` can be filled.
  bool can_resolve(const std::string& text) const;

private:
  struct Recorded
  {
    std::string id;
    json::Value reply;
    int status = 0;
  };
  std::vector<Recorded> m_replies;
  std::optional<int> m_exit_code;
  bool m_detached = false;
  std::vector<std::string> m_problems;
  std::vector<std::string> m_warnings;
};

// Whether a live run sends `step` now (its conditions hold). `interrupted`: the user asked to stop.
bool conditions_hold(const Step& step, const Results& results, bool interrupted);

// The conditions of `step` as text for people, e.g. "only if step inspect ... replied 404";
// empty when it has none.
std::vector<std::string> condition_texts(const Step& step);

// A step with its references filled.
Step resolve_step(const Step& step, const Results& results, bool strict);

} // namespace sandbox::plan
