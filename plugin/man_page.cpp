// The man pages say what --help says, from the same table and flags (help.h), in man's own
// layout: the flags as tagged paragraphs, so that man fills and wraps them to the reader's width.

#include "man_page.h"

#include "commands.h"
#include "help.h"
#include "metadata.h"

namespace sandbox::cli {

namespace {

// Escapes text for troff: backslashes, dashes, and a leading dot or quote that would start a request.
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

// "docker-sandbox-volume-ls" for "volume ls".
std::string page_name(const std::string& path)
{
  std::string name = "docker-sandbox";
  for (char c : " " + path) {
    name += c == ' ' ? '-' : c;
  }
  return name;
}

std::string header(const std::string& name, const std::string& summary)
{
  std::string upper;
  for (char c : name) {
    upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return ".TH " + upper + " 1 \"\" \"docker-sandbox " SANDBOX_VERSION "\" \"User Commands\"\n.SH NAME\n" + escape(name) +
         " \\- " + escape(summary) + "\n";
}

std::string options_section(const std::vector<FlagHelp>& flags)
{
  std::string out = ".SH OPTIONS\n";
  for (const FlagHelp& flag : flags) {
    out += ".TP\n";
    if (!flag.shorthand.empty()) {
      out += "\\fB\\-" + escape(flag.shorthand) + "\\fR, ";
    }
    out += "\\fB\\-\\-" + escape(flag.name) + "\\fR";
    if (!flag.argument.empty()) {
      out += (flag.argument.starts_with("[=") ? "" : " ") + std::string("\\fI") + escape(flag.argument) + "\\fR";
    }
    out += "\n" + escape(flag.usage) + "\n";
  }
  return out;
}

std::string see_also(const std::vector<std::string>& pages)
{
  std::string out = ".SH SEE ALSO\n";
  for (std::size_t i = 0; i < pages.size(); ++i) {
    out += ".BR " + escape(pages[i]) + " (1)" + (i + 1 < pages.size() ? "," : "") + "\n";
  }
  return out;
}

ManPage command_page(const Command& command, const std::string& parent)
{
  std::string path = parent.empty() ? std::string(command.name) : parent + " " + std::string(command.name);
  ManPage page{page_name(path), header(page_name(path), std::string(command.summary))};
  if (command.subcommands) {
    page.troff += ".SH SYNOPSIS\n\\fBdocker sandbox " + escape(path) + "\\fR \\fICOMMAND\\fR\n.SH COMMANDS\n";
    std::vector<std::string> pages{"docker-sandbox"};
    for (const Command& sub : *command.subcommands()) {
      std::string name = page_name(path + " " + std::string(sub.name));
      page.troff += ".TP\n.BR " + escape(name) + " (1)\n" + escape(std::string(sub.summary)) + "\n";
      pages.push_back(name);
    }
    page.troff += see_also(pages);
    return page;
  }
  cxxopts::Options options = command.options("docker sandbox");
  CommandText text = command_text(options);
  page.troff += ".SH SYNOPSIS\n\\fB" + escape(text.usage) + "\\fR\n";
  if (!text.details.empty()) {
    page.troff += ".SH DESCRIPTION\n" + escape(text.details) + "\n";
  }
  if (std::string aliases = alias_line("docker sandbox", path); !aliases.empty()) {
    page.troff += ".SH ALIASES\n" + escape(aliases) + "\n";
  }
  if (std::vector<FlagHelp> flags = visible_flags(options); !flags.empty()) {
    page.troff += options_section(flags);
  }
  page.troff += see_also({parent.empty() ? "docker-sandbox" : page_name(parent)});
  return page;
}

ManPage root_page()
{
  ManPage page{"docker-sandbox", header("docker-sandbox", k_short_description)};
  page.troff += ".SH SYNOPSIS\n\\fBdocker sandbox\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n"
                "\\fBdocker\\-sandbox\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n";
  page.troff += ".SH DESCRIPTION\n"
                "A Docker CLI plugin that runs code you do not fully trust in a container that is locked down by "
                "default: a non-root user, no network, a read-only root filesystem, every capability dropped, "
                "no-new-privileges, the engine's seccomp profile, pid and memory limits, the current directory "
                "read-only at /workspace and a writable ./output. Every default can be relaxed with an explicit "
                "flag, and \\-\\-dry\\-run prints the Engine API requests instead of sending them.\n"
                ".PP\nIt reaches the engine the docker CLI would use: \\-H, DOCKER_HOST, \\-\\-context, DOCKER_CONTEXT, "
                "the current context in config.json, TLS settings, and ssh:// through docker system dial\\-stdio.\n";
  page.troff += ".SH COMMANDS\n";
  std::vector<std::string> pages{"docker"};
  for (const Command& command : command_table()) {
    std::string name = page_name(std::string(command.name));
    page.troff += ".TP\n.BR " + escape(name) + " (1)\n" + escape(std::string(command.summary)) + "\n";
    pages.push_back(name);
  }
  page.troff += ".SH EXIT STATUS\n"
                "The exit status of the sandboxed command; 125 when docker\\-sandbox failed before the container ran; "
                "126 when the command cannot be invoked; 127 when it is not found; 124 when \\-\\-timeout stopped it; "
                "130 or 143 when interrupted; 141 when the reader of its output went away. Other commands exit 0 on "
                "success and 1 on failure.\n";
  page.troff += ".SH FILES\n.TP\n.I .docker\\-sandbox.json\nProject profile at the workspace root. It may tighten the sandbox; "
                "what it relaxes needs your consent to its exact content (see trust).\n.TP\n"
                ".I ~/.docker/sandbox/trusted\\-profiles.json\nThe profiles you trusted: real path and SHA\\-256 of each.\n";
  page.troff += see_also(pages);
  return page;
}

} // namespace

std::vector<ManPage> man_pages()
{
  std::vector<ManPage> pages{root_page()};
  for (const Command& command : command_table()) {
    pages.push_back(command_page(command, ""));
    if (command.subcommands) {
      for (const Command& sub : *command.subcommands()) {
        pages.push_back(command_page(sub, std::string(command.name)));
      }
    }
  }
  return pages;
}

} // namespace sandbox::cli
