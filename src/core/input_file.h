#pragma once
// The one check and message for an input file that is not there, used by every
// reader: "PATH: no such file" (I/O error, exit 4), with what the file was for
// when the path alone does not say it ("no such file (the key file)").

#include <filesystem>
#include <string>

namespace sirtkit {

// Throws Error(io) when nothing is at `path` ("no such file", also for a dangling
// link) or a folder is ("is a folder, not a file"); files, pipes and devices pass.
void require_input_file(const std::filesystem::path& path, const std::string& what = "");

}  // namespace sirtkit
