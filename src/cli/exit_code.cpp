#include "cli/commands.h"

namespace sirtkit::cli {
namespace {
int g_exit_code = 0;
}

int last_exit_code() { return g_exit_code; }
void set_exit_code(int code) { g_exit_code = code; }

}  // namespace sirtkit::cli
