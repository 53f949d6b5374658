#pragma once
// --out and --json of the commands that print a readable summary (or, with
// --json, every number as JSON) and can also write that JSON into a folder.

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace sirtkit::cli {

struct JsonTextOutput {
  std::string out;   // folder for `file`; empty: none
  bool json = false;
};

void add_json_text_output(CLI::App* cmd, JsonTextOutput& o, const std::string& file);

// Writes `file` (the JSON) into --out (every file or none), prints the JSON or
// the text, then the result's warnings, and sets exit code 0.
void emit_json_text(const JsonTextOutput& o, const nlohmann::json& json, const std::string& text, const std::string& file);
// The same for a result whose JSON is already text (the clinical commands' format_*_json).
void emit_json_text(const JsonTextOutput& o, const std::string& json_text, const std::string& text, const std::string& file);

}  // namespace sirtkit::cli
