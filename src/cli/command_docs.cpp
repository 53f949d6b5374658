#include "cli/command_docs.h"

#include <fmt/format.h>

namespace sirtkit::cli {
namespace {

// Options a user types (named ones first, then the positionals), without the help flag.
std::vector<const CLI::Option*> options_of(const CLI::App& app) {
  std::vector<const CLI::Option*> named, positional;
  for (const CLI::Option* o : app.get_options()) {
    if (o == app.get_help_ptr() || o->get_group().empty()) continue;
    (o->nonpositional() ? named : positional).push_back(o);
  }
  named.insert(named.end(), positional.begin(), positional.end());
  return named;
}

std::vector<std::string> flags_of(const CLI::Option& o) {
  std::vector<std::string> f;
  for (const auto& s : o.get_snames()) f.push_back("-" + s);
  for (const auto& l : o.get_lnames()) f.push_back("--" + l);
  return f;
}

bool takes_value(const CLI::Option& o) { return o.get_expected_max() > 0; }  // flags expect 0 values

std::string value_name(const CLI::Option& o) {
  std::string t = o.get_type_name();
  if (t.empty()) t = "VALUE";
  return t;
}

// roff: a backslash and a leading dot or quote would be read as requests.
std::string roff(const std::string& text) {
  std::string r;
  for (char c : text) {
    if (c == '\\') r += "\\e";
    else if (c == '-') r += "\\-";
    else r += c;
  }
  if (!r.empty() && (r[0] == '.' || r[0] == '\'')) r = "\\&" + r;
  return r;
}

void man_command(const CLI::App& cmd, const std::string& path, std::string& out) {
  out += ".SS \"" + roff(path) + "\"\n" + roff(cmd.get_description()) + "\n";
  for (const CLI::Option* o : options_of(cmd)) {
    std::string head;
    if (o->nonpositional()) {
      const auto f = flags_of(*o);
      for (std::size_t i = 0; i < f.size(); ++i) head += (i ? ", " : "") + std::string("\\fB") + roff(f[i]) + "\\fR";
      if (takes_value(*o)) head += " \\fI" + roff(value_name(*o)) + "\\fR";
    } else {
      head = "\\fI" + roff(o->get_name(true)) + "\\fR";
    }
    out += ".TP\n" + head + "\n" + roff(o->get_description().empty() ? "(no description)" : o->get_description());
    if (o->get_required()) out += " (required)";
    if (!o->get_default_str().empty()) out += " [default: " + roff(o->get_default_str()) + "]";
    out += "\n";
  }
  for (const CLI::App* sub : visible_subcommands(cmd)) man_command(*sub, path + " " + sub->get_name(), out);
}

// Every command path ("", "calc", "calc mird") with its App, depth first.
void walk(const CLI::App& app, const std::string& path, std::vector<std::pair<std::string, const CLI::App*>>& out) {
  out.emplace_back(path, &app);
  for (const CLI::App* sub : visible_subcommands(app)) walk(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

std::string join_words(const std::vector<std::string>& words) {
  std::string r;
  for (const auto& w : words) r += (r.empty() ? "" : " ") + w;
  return r;
}

// Inside a zsh single-quoted _arguments spec: ' closes the string, [ ] : end fields.
std::string zsh_text(const std::string& text) {
  std::string r;
  for (char c : text) {
    if (c == '\'') r += "'\\''";
    else if (c == '[' || c == ']' || c == ':' || c == '\\') r += std::string("\\") + c;
    else r += c;
  }
  return r;
}

std::string zsh_function_name(const std::string& path) {
  std::string n = path.empty() ? "_sirtkit" : "_sirtkit_";  // _sirtkit_calc_mird
  for (char c : path) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n;
}

}  // namespace

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty() && !s->get_disabled(); });
}

std::string man_page(const CLI::App& app, const std::string& version) {
  std::string out;
  out += ".\\\" Generated from the command definitions by `sirtkit __docs man`; do not edit.\n";
  out += ".TH SIRTKIT 1 \"\" \"sirtkit " + roff(version) + "\" \"User Commands\"\n";
  out += ".SH NAME\nsirtkit \\- " + roff(app.get_description().substr(app.get_description().find("— ") == std::string::npos
                                                                       ? 0 : app.get_description().find("— ") + 4)) + "\n";
  out += ".SH SYNOPSIS\n\\fBsirtkit\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIFILES\\fR]\n.br\n\\fBsirtkit \\-\\-version\\fR\n";
  out += ".SH DESCRIPTION\n" + roff(app.get_description()) +
         ". Every command prints a readable summary; most take \\fB\\-\\-json\\fR for the machine form and "
         "\\fB\\-\\-out\\fR \\fIDIR\\fR to write files. \\fBsirtkit\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR shows a command's options.\n";
  out += ".SH COMMANDS\n";
  for (const CLI::App* sub : visible_subcommands(app)) man_command(*sub, "sirtkit " + sub->get_name(), out);
  out += ".SH EXIT STATUS\n.TP\n0\nsuccess (a plan that is deliverable)\n.TP\n1\ninternal error\n.TP\n2\n"
         "bad input or usage (the message names the file, field and value)\n.TP\n3\n"
         "a goal or constraint cannot be met, or no vial delivers the activity\n.TP\n4\na file cannot be read or written\n";
  out += ".SH FILES\n.TP\n/usr/share/doc/sirtkit/\nREADME.md and docs/, one page per topic (docs/stats.md, docs/clinical.md, "
         "docs/registry.md, docs/planning.md, docs/plan\\-file.md, docs/dicom.md, docs/server.md, ...); messages that cite "
         "docs/NAME.md mean this folder\n.TP\n/usr/share/sirtkit/examples/\n"
         "example data with its provenance (examples/README.md)\n";
  out += ".SH LICENSE\nApache License 2.0.\n";
  return out;
}

std::string bash_completion(const CLI::App& app) {
  std::vector<std::pair<std::string, const CLI::App*>> paths;
  walk(app, "", paths);
  std::string out;
  out += "# bash completion for sirtkit. Generated from the command definitions by `sirtkit __docs bash`; do not edit.\n";
  out += "_sirtkit() {\n";
  out += "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" path=\"\" w i subs flags valued\n";
  out += "  _sirtkit_tables() {\n    case \"$1\" in\n";
  for (const auto& [path, cmd] : paths) {
    std::vector<std::string> subs, flags, valued;
    for (const CLI::App* s : visible_subcommands(*cmd)) subs.push_back(s->get_name());
    for (const CLI::Option* o : options_of(*cmd)) {
      if (!o->nonpositional()) continue;
      for (const auto& f : flags_of(*o)) {
        flags.push_back(f);
        if (takes_value(*o)) valued.push_back(f);
      }
    }
    flags.push_back("--help");
    if (path.empty()) flags.push_back("--version");
    out += fmt::format("      \"{}\") subs=\"{}\"; flags=\"{}\"; valued=\" {} \" ;;\n", path, join_words(subs), join_words(flags),
                       join_words(valued));
  }
  out += "      *) subs=\"\"; flags=\"\"; valued=\"\" ;;\n    esac\n  }\n";
  // The command path is the leading words that name subcommands.
  out += "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=\"${COMP_WORDS[i]}\"\n"
         "    _sirtkit_tables \"$path\"\n"
         "    if [[ \" $subs \" == *\" $w \"* ]]; then path=\"${path:+$path }$w\"; else break; fi\n"
         "  done\n"
         "  _sirtkit_tables \"$path\"\n"
         "  if [[ \"$prev\" == -* && \"$valued\" == *\" $prev \"* ]]; then\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  elif [[ \"$cur\" == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
         "  elif [[ -n \"$subs\" && $i -eq $COMP_CWORD ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$subs\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o filenames -o bashdefault -F _sirtkit sirtkit\n";
  return out;
}

std::string zsh_completion(const CLI::App& app) {
  std::vector<std::pair<std::string, const CLI::App*>> paths;
  walk(app, "", paths);
  std::string out = "#compdef sirtkit\n# zsh completion for sirtkit. Generated from the command definitions by `sirtkit __docs zsh`; do not edit.\n\n";
  for (const auto& [path, cmd] : paths) {
    const auto subs = visible_subcommands(*cmd);
    out += zsh_function_name(path) + "() {\n";
    if (!subs.empty()) {
      // A command that groups subcommands: complete their names, then hand over to the chosen one.
      out += "  local -a commands\n  commands=(\n";
      for (const CLI::App* s : subs) out += "    '" + zsh_text(s->get_name()) + ":" + zsh_text(s->get_description()) + "'\n";
      out += "  )\n  local curcontext=\"$curcontext\" state line\n";
      out += "  _arguments -C '1: :->cmd' '*:: :->args'" + std::string(path.empty() ? " '--version[print the version]'" : "") + "\n";
      out += "  case $state in\n    cmd) _describe -t commands 'sirtkit command' commands ;;\n    args)\n      case $line[1] in\n";
      for (const CLI::App* s : subs)
        out += "        " + s->get_name() + ") " + zsh_function_name(path.empty() ? s->get_name() : path + " " + s->get_name()) + " ;;\n";
      out += "      esac ;;\n  esac\n}\n\n";
      continue;
    }
    out += "  _arguments -s \\\n";
    bool positional = false;
    for (const CLI::Option* o : options_of(*cmd)) {
      if (!o->nonpositional()) {
        positional = true;
        continue;
      }
      const std::string desc = zsh_text(o->get_description());
      for (const auto& f : flags_of(*o)) {
        out += "    '" + f + "[" + desc + "]";
        if (takes_value(*o)) out += ":" + zsh_text(value_name(*o)) + ":_files";
        out += "' \\\n";
      }
    }
    if (positional) out += "    '*:file:_files' \\\n";
    out += "    '--help[show the options]'\n}\n\n";
  }
  out += "_sirtkit \"$@\"\n";
  return out;
}

}  // namespace sirtkit::cli
