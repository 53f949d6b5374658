#pragma once
// The sirtkit command line: subcommands, exit codes, error display. No logic
// of its own: each subcommand calls a pipeline.

namespace sirtkit::cli {

int run(int argc, char** argv);

}  // namespace sirtkit::cli
