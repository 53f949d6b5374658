#pragma once
// The man page and the bash and zsh completions, generated from the command
// definitions themselves (the CLI11 App tree) so they never drift from the
// program: the build runs the hidden `sirtkit __docs man|bash|zsh` and installs
// what it prints (cmake/install.cmake).

#include <CLI/CLI.hpp>
#include <string>

namespace sirtkit::cli {

std::string man_page(const CLI::App& app, const std::string& version);  // roff, section 1
std::string bash_completion(const CLI::App& app);
std::string zsh_completion(const CLI::App& app);

// The subcommands a user can call (not the hidden ones), in definition order.
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app);

}  // namespace sirtkit::cli
