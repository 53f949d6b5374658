#pragma once
// Strict reading of TOML files (plan files): every value is fetched by name,
// every error names the file, the key path and the value, and keys that were
// never read are refused when the table is finished — a misspelt key or a
// key without its unit suffix ("dose" for "dose_gy") never passes silently.

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/date_time.h"

namespace toml {
inline namespace v3 {
class table;
class node;
}  // namespace v3
}  // namespace toml

namespace sirtkit::io {

class TomlTable {
 public:
  static TomlTable parse_file(const std::filesystem::path& path);
  static TomlTable parse_text(const std::string& text, const std::string& file_name);

  bool has(const std::string& key) const;
  double number(const std::string& key);
  std::optional<double> optional_number(const std::string& key);
  std::string string(const std::string& key);
  std::optional<std::string> optional_string(const std::string& key);
  std::optional<bool> optional_boolean(const std::string& key);
  // A TOML offset date-time (2026-11-29T12:00:00-05:00); local times without offset are refused.
  std::optional<DateTime> optional_date_time(const std::string& key);
  std::vector<double> numbers(const std::string& key);
  std::vector<int> integers(const std::string& key);
  std::vector<std::string> strings(const std::string& key);
  std::optional<TomlTable> optional_table(const std::string& key);
  TomlTable table(const std::string& key);
  std::vector<TomlTable> tables(const std::string& key);  // [[array.of.tables]]; empty if absent
  std::vector<std::string> keys() const;

  // Refuses any key that no accessor asked for.
  void finish() const;

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  std::string key_path(const std::string& key) const;
  // The folder of the file, for resolving relative paths written in it.
  std::filesystem::path folder() const;

 private:
  TomlTable(std::shared_ptr<const toml::table> root, std::shared_ptr<const std::string> text, const toml::table* table,
            std::string file, std::string path);
  const toml::node* get(const std::string& key);
  [[noreturn]] void fail(const std::string& key, const std::string& value, const std::string& expected) const;

  std::shared_ptr<const toml::table> root_;
  std::shared_ptr<const std::string> text_;  // the file's text, to judge a zero by how it is written
  const toml::table* table_;
  std::string file_;
  std::string path_;
  std::set<std::string> read_;
};

}  // namespace sirtkit::io
