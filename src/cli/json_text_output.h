#pragma once
// The one place for --json and --out (DESIGN.md "Output"): a command's result
// rendered by report/ (report/command_output.h) is printed as the readable
// summary or, with --json, as JSON, and --out writes that JSON into a folder.

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "report/command_output.h"

namespace sirtkit::cli {

struct JsonTextOutput {
  std::string out;   // folder for `file`; empty: none
  bool json = false;
};

void add_json_text_output(CLI::App* cmd, JsonTextOutput& o, const std::string& file);

// Writes `file` (the JSON) into --out (every file or none), prints the JSON or
// the text, then the result's warnings, and sets exit code 0.
void emit_json_text(const JsonTextOutput& o, const nlohmann::json& json, const std::string& text, const std::string& file);
void emit_json_text(const JsonTextOutput& o, const report::CommandOutput& output, const std::string& file);
// The same for a result whose JSON is already text (the clinical commands' format_*_json).
void emit_json_text(const JsonTextOutput& o, const std::string& json_text, const std::string& text, const std::string& file);

// Prints the JSON (--json) or the text of a command without --out.
void print_json_or_text(const report::CommandOutput& output, bool json);

}  // namespace sirtkit::cli
