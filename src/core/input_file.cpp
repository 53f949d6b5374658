#include "core/input_file.h"

#include "core/error.h"

namespace sirtkit {

void require_input_file(const std::filesystem::path& path, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  const std::string purpose = what.empty() ? "" : " (the " + what + ")";
  if (!std::filesystem::exists(status)) fail_io(path.string(), "no such file" + purpose);
  if (std::filesystem::is_directory(status)) fail_io(path.string(), "is a folder, not a file" + purpose);
}

}  // namespace sirtkit
