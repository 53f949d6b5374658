#include "cli/commands.h"

namespace sirtkit::cli {

void add_stats_commands(CLI::App& app) { (void)app; }

}  // namespace sirtkit::cli
