#pragma once
// The end of every subcommand that prints one result: --json and --out FILE
// (cli/json_text_output.h), and the callback that runs the job and prints its
// report/ renderings. `Args` holds the parsed options and derives from
// JsonTextOutput; `run` turns them into the result.

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/json_text_output.h"

namespace sirtkit::cli {

template <class Args, class Result, class Run>
void add_result_output(CLI::App* cmd, std::shared_ptr<Args> args, const std::string& file, Run run, nlohmann::json (*json)(const Result&),
                       std::string (*text)(const Result&)) {
  add_json_text_output(cmd, *args, file);
  cmd->callback([args, file, run, json, text] {
    const Result r = run(*args);
    emit_json_text(*args, json(r), text(r), file);
  });
}

}  // namespace sirtkit::cli
