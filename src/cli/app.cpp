#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "cli/commands.h"
#include "core/error.h"

namespace sirtkit::cli {

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
