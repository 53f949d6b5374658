#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "cli/commands.h"
#include "core/error.h"
#include "core/number_text.h"

namespace sirtkit::cli {
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

}  // namespace

int run(int argc, char** argv) {
  // A file-size limit (ulimit -f) makes a write fail with EFBIG, reported as an
  // I/O error (exit 4), instead of killing the process with SIGXFSZ mid-write.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"sirtkit — personalised Y-90 radioembolization dosimetry and outcome research"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sirtkit 0.1.0");
  add_dosimetry_commands(app);
  add_stats_commands(app);
  add_clinical_commands(app);
  add_dicom_commands(app);
  add_registry_commands(app);
  add_agreement_commands(app);
  add_descriptive_commands(app);
  add_serve_command(app);
  strict_numbers(app, "sirtkit");
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
