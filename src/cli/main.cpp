#include "cli/app.h"

int main(int argc, char** argv) { return sirtkit::cli::run(argc, argv); }
