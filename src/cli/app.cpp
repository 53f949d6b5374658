#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "cli/command_docs.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/number_text.h"
#include "core/version.h"

namespace sirtkit::cli {

void add_randomise_command(CLI::App& app);  // cli/randomise_command.cpp

namespace {

// Every numeric option of every command is read by the one number parser
// (core/number_text.h) before CLI11 converts it: CLI11 alone takes " 5",
// "0x10", hex floats, "-0", "nan" and subnormals such as 1e-320. A refusal is
// a sirtkit::Error naming the command, the option and the value (exit 2).
void strict_numbers(CLI::App& app, const std::string& path) {
  for (CLI::Option* o : app.get_options([](CLI::Option*) { return true; })) {
    const std::string type = o->get_type_name();
    NumberKind kind;
    if (type.find("FLOAT") != std::string::npos) kind = NumberKind::real;
    else if (type.find("UINT") != std::string::npos) kind = NumberKind::non_negative_integer;
    else if (type.find("INT") != std::string::npos) kind = NumberKind::integer;
    else continue;
    const std::string option = o->get_name();
    o->check(CLI::Validator(
        [path, option, kind](std::string& text) -> std::string {
          if (auto problem = number_text_problem(text, kind)) fail_input(path, option, "\"" + text + "\"", *problem);
          return std::string();
        },
        "", "plain decimal"));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) strict_numbers(*sub, path + " " + sub->get_name());
}

// Levenshtein distance (insertions, deletions, substitutions), for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool is_help_or_version(const char* arg) {
  return !std::strcmp(arg, "-h") || !std::strcmp(arg, "--help") || !std::strcmp(arg, "--version");
}

// Before CLI11 parses (it would only say "A subcommand is required"): a command that
// groups subcommands, given none, prints its usage; given an unknown name, says so and
// suggests the closest by edit distance. Returns the exit code when it answered.
std::optional<int> check_command_words(const CLI::App& app, int argc, char** argv) {
  const CLI::App* cur = &app;
  std::string path = "sirtkit";
  for (int i = 1;; ++i) {
    if (cur->get_require_subcommand_min() == 0) return std::nullopt;
    if (i >= argc) {
      std::fputs(cur->help().c_str(), stdout);
      return 2;  // no command given: usage
    }
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') {
      if (is_help_or_version(argv[i])) return std::nullopt;
      if (i + 1 >= argc || argv[i + 1][0] == '-') {
        std::fputs(cur->help().c_str(), stdout);
        return 2;
      }
      return std::nullopt;  // CLI11 names the unknown option
    }
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : cur->get_subcommands([](const CLI::App*) { return true; }))
      if (sub->check_name(word)) next = sub;
    if (next) {
      cur = next;
      path += " " + word;
      continue;
    }
    std::string best;
    std::size_t best_distance = 0;
    for (const CLI::App* sub : visible_subcommands(*cur)) {
      const std::size_t d = edit_distance(word, sub->get_name());
      if (best.empty() || d < best_distance) best = sub->get_name(), best_distance = d;
    }
    std::fprintf(stderr, "sirtkit: usage: '%s' is not a command of %s.", word.c_str(), path.c_str());
    // A suggestion only when it is near: at most a third of the longer name changed (kmm -> km).
    if (!best.empty() && best_distance * 3 <= std::max(word.size(), best.size()))
      std::fprintf(stderr, " Did you mean '%s %s'?", path.c_str(), best.c_str());
    std::fprintf(stderr, " The commands are listed by '%s --help'.\n", path.c_str());
    return 2;
  }
}

// The hidden `sirtkit __docs man|bash|zsh`: the man page and completions generated from
// this very command tree at build time (cmake/install.cmake).
void add_docs_command(CLI::App& app) {
  CLI::App* docs = app.add_subcommand("__docs", "print the man page or a shell completion (used by the build)");
  docs->group("");  // hidden: not in --help, the man page or the completions
  auto kind = std::make_shared<std::string>();
  docs->add_option("kind", *kind, "man, bash or zsh")->required()->check(CLI::IsMember({"man", "bash", "zsh"}));
  docs->callback([&app, kind] {
    const std::string text = *kind == "man" ? man_page(app, version()) : *kind == "bash" ? bash_completion(app) : zsh_completion(app);
    std::fputs(text.c_str(), stdout);
  });
}

}  // namespace

int run(int argc, char** argv) {
  // A file-size limit (ulimit -f) makes a write fail with EFBIG, reported as an
  // I/O error (exit 4), instead of killing the process with SIGXFSZ mid-write.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"sirtkit — personalised Y-90 radioembolization dosimetry and outcome research", "sirtkit"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sirtkit " + version_long());
#if SIRTKIT_IMAGING
  add_dosimetry_commands(app);
#endif
  add_stats_commands(app);
  add_survival_extension_commands(app);
  add_matching_commands(app);
  add_clinical_commands(app);
#if SIRTKIT_IMAGING
  add_dicom_commands(app);
#endif
  add_registry_commands(app);
  add_agreement_commands(app);
  add_descriptive_commands(app);
  add_serve_command(app);
  add_docs_command(app);
  add_trial_design_commands(app);
  add_randomise_command(app);
  add_report_command(app);
  strict_numbers(app, "sirtkit");
  if (auto code = check_command_words(app, argc, argv)) return *code;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors are bad input
  } catch (const Error& e) {
    std::fprintf(stderr, "sirtkit: %s: %s\n", category_name(e.category()), e.what());
    return exit_code(e.category());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sirtkit: internal error: %s\n", e.what());
    return 1;
  }
  return last_exit_code();
}

}  // namespace sirtkit::cli
