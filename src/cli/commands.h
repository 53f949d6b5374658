#pragma once
// Registration of the subcommands, one function per family.

#include <CLI/CLI.hpp>

namespace sirtkit::cli {

void add_dosimetry_commands(CLI::App& app);

// Exit code chosen by the command that ran (e.g. 3 for an infeasible plan).
int last_exit_code();
void set_exit_code(int code);

}  // namespace sirtkit::cli
