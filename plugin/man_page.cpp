#include "man_page.h"

#include "commands.h"
#include "metadata.h"

namespace sandbox::cli {

namespace {

// Escapes text for troff: backslashes, and a leading dot or quote that would start a request.
std::string escape(const std::string& text)
{
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (line_start && (c == '.' || c == '\'')) {
      out += "\\&";
      out += c;
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

} // namespace

std::string man_page()
{
  std::string page;
  page += ".TH DOCKER-SANDBOX 1 \"\" \"docker-sandbox " SANDBOX_VERSION "\" \"User Commands\"\n";
  page += ".SH NAME\ndocker-sandbox \\- " + escape(std::string(k_short_description)) + "\n";
  page += ".SH SYNOPSIS\n.B docker sandbox\n.I COMMAND\n[\\fIOPTIONS\\fR]\n.br\n.B docker-sandbox\n.I COMMAND\n"
          "[\\fIOPTIONS\\fR]\n";
  page += ".SH DESCRIPTION\n"
          "A Docker CLI plugin that runs code you do not fully trust in a container that is locked down by "
          "default: a non-root user, no network, a read-only root filesystem, every capability dropped, "
          "no-new-privileges, the engine's seccomp profile, pid and memory limits, the current directory "
          "read-only at /workspace and a writable ./output. Every default can be relaxed with an explicit "
          "flag, and \\-\\-dry\\-run prints the Engine API requests instead of sending them.\n"
          ".PP\nIt reaches the engine the docker CLI would use: \\-H, DOCKER_HOST, \\-\\-context, DOCKER_CONTEXT, "
          "the current context in config.json, TLS settings, and ssh:// through docker system dial\\-stdio.\n";
  page += ".SH COMMANDS\n";
  for (const Command& command : command_table()) {
    page += ".SS " + std::string(command.name) + "\n" + escape(std::string(command.summary)) + ".\n.PP\n.nf\n";
    page += escape(command.options("docker sandbox").help());
    page += ".fi\n";
  }
  page += ".SH EXIT STATUS\n"
          "The exit status of the sandboxed command; 125 when docker-sandbox failed before the container ran; "
          "126 when the command cannot be invoked; 127 when it is not found; 124 when \\-\\-timeout stopped it; "
          "130 or 143 when interrupted; 141 when the reader of its output went away. Other commands exit 0 on "
          "success and 1 on failure.\n";
  page += ".SH FILES\n.TP\n.I .docker-sandbox.json\nProject profile at the workspace root. It may tighten the sandbox; what it "
          "relaxes needs your consent to its exact content (see trust).\n.TP\n.I ~/.docker/sandbox/trusted-profiles.json\n"
          "The profiles you trusted: real path and SHA-256 of each.\n";
  page += ".SH SEE ALSO\n.BR docker (1)\n";
  return page;
}

} // namespace sandbox::cli
