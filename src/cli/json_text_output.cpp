#include "cli/json_text_output.h"

#include <cstdio>

#include "cli/commands.h"
#include "core/atomic_file.h"

namespace sirtkit::cli {

void add_json_text_output(CLI::App* cmd, JsonTextOutput& o, const std::string& file) {
  cmd->add_option("--out", o.out, "also write " + file + " into this folder");
  cmd->add_flag("--json", o.json, "print every number as JSON instead of the readable summary");
}

namespace {

void write_and_print(const JsonTextOutput& o, const std::string& dumped, const std::string& text, const std::string& file) {
  if (!o.out.empty()) {
    OutputFolder folder(o.out);  // core/atomic_file.h: every file or none
    folder.write(file, dumped);
    folder.commit();
  }
  std::fputs(o.json ? dumped.c_str() : text.c_str(), stdout);
}

}  // namespace

void emit_json_text(const JsonTextOutput& o, const nlohmann::json& json, const std::string& text, const std::string& file) {
  write_and_print(o, report::json_document(json), text, file);
  print_warnings(json);
  set_exit_code(0);
}

void emit_json_text(const JsonTextOutput& o, const report::CommandOutput& output, const std::string& file) {
  emit_json_text(o, output.json, output.text, file);
}

void emit_json_text(const JsonTextOutput& o, const std::string& json_text, const std::string& text, const std::string& file) {
  write_and_print(o, json_text.empty() || json_text.back() == '\n' ? json_text : json_text + "\n", text, file);
  set_exit_code(0);
}

void print_json_or_text(const report::CommandOutput& output, bool json) {
  std::fputs(json ? report::json_document(output.json).c_str() : output.text.c_str(), stdout);
}

}  // namespace sirtkit::cli
