#pragma once
// Safe output (DESIGN.md conventions; docs/output-safety.md).
//
// One file: written to a temporary file beside the target, every write
// checked, fsync'ed, and renamed into place, so a failure never leaves a
// partial file. A whole --out folder: written into a temporary sibling folder
// and swapped into place only when every file is complete.
//
// Signals: while a temporary file or folder exists, SIGINT, SIGTERM and SIGHUP
// are held back (a process-wide handler records them). If one arrives, nothing is committed: the temporary
// output is removed and the signal then takes its normal effect, so Ctrl-C
// never leaves a hidden temporary or a half-written output.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sirtkit {

// Writes `content` to `path` atomically (temp file + checked writes + fsync + rename).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Writes several files, each atomically, and puts them in place only when
// every one is complete (a failure leaves none of them).
void write_files_atomic(const std::vector<std::pair<std::filesystem::path, std::string>>& files);

// Holds SIGINT/SIGTERM/SIGHUP back for its lifetime (nestable, any thread).
// When the last one ends, a held-back signal takes its default effect (the
// process stops with that signal).
class DeferSignals {
 public:
  DeferSignals();
  ~DeferSignals();
  DeferSignals(const DeferSignals&) = delete;
  DeferSignals& operator=(const DeferSignals&) = delete;
  // True when a held-back signal is waiting: the caller must not commit.
  static bool interrupted();
};

// For writers that need a path of their own (e.g. an image library): hands out
// a temporary path in the target's folder; commit() renames it into place, and
// the destructor removes it if commit() was never reached.
class AtomicPath {
 public:
  explicit AtomicPath(std::filesystem::path target);
  ~AtomicPath();
  AtomicPath(const AtomicPath&) = delete;
  AtomicPath& operator=(const AtomicPath&) = delete;

  const std::filesystem::path& temp() const { return temp_; }
  void allow_empty() { allow_empty_ = true; }
  // Refuses (I/O error) when the temporary file is missing or empty, or a
  // signal is pending; then renames it into place and syncs the folder.
  void commit();

 private:
  DeferSignals defer_;
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
  bool allow_empty_ = false;
};

// A command's --out folder, written as a whole.
//
//   OutputFolder out("results");           // checks the target, creates .results.sirtkit-partial-<pid>
//   out.write("plan.json", json);           // checked, fsync'ed
//   io::write_nifti(out.file("dose.nii.gz"), dose);   // writers that need a path
//   out.commit();                           // every file present and non-empty, then swapped in
//
// An existing target is replaced as a whole, never mixed with new files, but
// only when it is empty or was written by sirtkit (it holds the marker file
// `.sirtkit-output`); any other existing folder, or a file, is refused
// (bad input, exit 2) so no user folder is ever deleted. On failure, signal or
// exception before commit(), the temporary folder is removed and the old
// folder is left exactly as it was.
class OutputFolder {
 public:
  explicit OutputFolder(std::filesystem::path target);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  // Path of `name` inside the temporary folder (sub-folders are created).
  std::filesystem::path file(const std::string& name);
  void write(const std::string& name, std::string_view content);
  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& temp() const { return temp_; }
  void commit();

  static constexpr const char* kMarker = ".sirtkit-output";

 private:
  DeferSignals defer_;
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

// Refuses (bad input) a --out target that OutputFolder would not replace.
void check_output_folder_target(const std::filesystem::path& target);

std::string read_text_file(const std::filesystem::path& path);

}  // namespace sirtkit
