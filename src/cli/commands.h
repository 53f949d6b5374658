#pragma once
// Registration of the subcommands, one function per family.

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

namespace sirtkit::cli {

void add_dosimetry_commands(CLI::App& app);  // cli/dosimetry_commands.cpp
void add_stats_commands(CLI::App& app);      // cli/stats_commands.cpp
void add_survival_extension_commands(CLI::App& app);  // cli/survival_extension_commands.cpp (cif, finegray, rmst)
void add_clinical_commands(CLI::App& app);   // cli/clinical_commands.cpp
void add_dicom_commands(CLI::App& app);      // cli/dicom_commands.cpp
void add_registry_commands(CLI::App& app);   // cli/registry_commands.cpp
void add_agreement_commands(CLI::App& app);  // cli/agreement_commands.cpp
void add_descriptive_commands(CLI::App& app);  // cli/descriptive_commands.cpp
void add_serve_command(CLI::App& app);         // cli/serve_command.cpp
void add_trial_design_commands(CLI::App& app);  // cli/trial_design_commands.cpp
void add_matching_commands(CLI::App& app);      // cli/matching_commands.cpp (match, iptw)
void add_report_command(CLI::App& app);         // cli/report_command.cpp

// Exit code chosen by the command that ran (e.g. 3 for an infeasible plan).
// --encoding on every command that reads a CSV file (io/text_formats/text_encoding.h).
void add_encoding_option(CLI::App* command, std::string& encoding);
// A result's top-level "warnings" on stderr, so they are seen with --json and --out too.
void print_warnings(const nlohmann::json& result);

int last_exit_code();
void set_exit_code(int code);

}  // namespace sirtkit::cli
