#include "cli/commands.h"

namespace sirtkit::cli {

void add_clinical_commands(CLI::App& app) { (void)app; }

}  // namespace sirtkit::cli
