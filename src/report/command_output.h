#pragma once
// The two renderings of a command's result (DESIGN.md "Output", issue 16
// item 3): the readable summary, and the machine form that `--json` prints
// and `--out` writes. The CLI chooses which (cli/json_text_output.h).

#include <nlohmann/json.hpp>
#include <string>

namespace sirtkit::report {

struct CommandOutput {
  nlohmann::json json;  // every number
  std::string text;     // readable summary
};

// The machine form as printed and written: two-space indent and a final
// newline. `replace_invalid_utf8`: bytes that are not UTF-8 print as U+FFFD
// instead of failing (names read from files, after the outputs are written).
std::string json_document(const nlohmann::json& json, bool replace_invalid_utf8 = false);

}  // namespace sirtkit::report
