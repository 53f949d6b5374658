#include "io/text_formats/plain_csv.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>
#include <utility>

namespace sirtkit::io {

namespace {

// Byte classes of the check pass: a plain file holds only ordinary bytes,
// separators and line ends (CR only before LF).
enum : unsigned char { kOrdinary = 0, kComma = 1, kLf = 2, kCr = 3, kRefused = 4 };

struct ByteClasses {
  unsigned char of[256] = {};
  constexpr ByteClasses() {
    for (int b = 0x80; b < 256; ++b) of[b] = kRefused;  // not ASCII: CsvTable checks UTF-8
    of[static_cast<unsigned char>('"')] = kRefused;      // quoted fields: CsvTable
    of[static_cast<unsigned char>(',')] = kComma;
    of[static_cast<unsigned char>('\n')] = kLf;
    of[static_cast<unsigned char>('\r')] = kCr;
  }
};
constexpr ByteClasses kClasses;

// Runs f(part) for part = 0..parts-1, on parts threads (the calling one too).
template <class F>
void run_parts(std::size_t parts, F&& f) {
  if (parts <= 1) {
    f(std::size_t{0});
    return;
  }
  std::vector<std::thread> pool;
  for (std::size_t p = 1; p < parts; ++p) pool.emplace_back([&f, p] { f(p); });
  f(std::size_t{0});
  for (auto& t : pool) t.join();
}

// The data rows in [b, e) (e just after a LF, or the end of the file): their
// number, or nullopt when a byte is refused, a CR is not followed by LF, a
// line is blank or has other than `commas` separators.
std::optional<std::size_t> count_plain_rows(const char* data, std::size_t b, std::size_t e, std::size_t commas) {
  std::size_t rows = 0, line_commas = 0, line_begin = b;
  for (std::size_t i = b; i < e; ++i) {
    switch (kClasses.of[static_cast<unsigned char>(data[i])]) {
      case kOrdinary: break;
      case kComma: ++line_commas; break;
      case kCr:
        if (i + 1 >= e || data[i + 1] != '\n') return std::nullopt;
        break;
      case kLf: {
        const std::size_t len = i - line_begin - (i > line_begin && data[i - 1] == '\r' ? 1 : 0);
        if (len == 0 || line_commas != commas) return std::nullopt;  // blank or ragged line
        ++rows;
        line_commas = 0;
        line_begin = i + 1;
        break;
      }
      default: return std::nullopt;
    }
  }
  if (line_begin < e) {  // the last line, without a line end
    if (line_commas != commas) return std::nullopt;
    ++rows;
  }
  return rows;
}

}  // namespace

PlainCsv::PlainCsv(PlainCsv&& o) noexcept { *this = std::move(o); }

PlainCsv& PlainCsv::operator=(PlainCsv&& o) noexcept {
  if (this != &o) {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
    header_ = std::move(o.header_);
    rows_ = o.rows_;
    part_begin_ = std::move(o.part_begin_);
    part_row_ = std::move(o.part_row_);
  }
  return *this;
}

PlainCsv::~PlainCsv() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

std::optional<PlainCsv> PlainCsv::open(const std::filesystem::path& path, int threads) {
  struct stat st {};
  // Regular files only: opening a pipe would block, and reading it here would
  // leave nothing for CsvTable.
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
    ::close(fd);
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  // MAP_POPULATE: the file's pages are mapped in one call, not faulted in
  // one by one (page faults are slow on virtual machines).
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return std::nullopt;
  PlainCsv csv;
  csv.data_ = static_cast<const char*>(map);
  csv.size_ = size;
  const char* const data = csv.data_;

  // Header: the first line, split at commas.
  std::size_t i = size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;  // byte-order mark
  const char* lf = static_cast<const char*>(std::memchr(data + i, '\n', size - i));
  if (!lf) return std::nullopt;  // no data row
  std::size_t header_end = static_cast<std::size_t>(lf - data);
  const std::size_t body = header_end + 1;
  if (header_end > i && data[header_end - 1] == '\r') --header_end;
  if (header_end == i) return std::nullopt;  // blank header: CsvTable says so
  std::string field;
  for (; i <= header_end; ++i) {
    if (i == header_end || data[i] == ',') {
      csv.header_.push_back(std::move(field));
      field.clear();
      continue;
    }
    if (kClasses.of[static_cast<unsigned char>(data[i])] != kOrdinary) return std::nullopt;
    field.push_back(data[i]);
  }
  for (std::size_t a = 0; a < csv.header_.size(); ++a)
    for (std::size_t b = a + 1; b < csv.header_.size(); ++b)
      if (csv.header_[a] == csv.header_[b]) return std::nullopt;  // CsvTable refuses it
  if (body >= size) return std::nullopt;  // no data row

  // Row ranges starting just after a line end, checked in parallel.
  const std::size_t span = size - body;
  const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), span / (1u << 20)));
  csv.part_begin_.push_back(body);
  for (std::size_t k = 1; k < parts; ++k) {
    std::size_t at = std::max(body + k * span / parts, csv.part_begin_.back());
    const char* next = static_cast<const char*>(std::memchr(data + at, '\n', size - at));
    if (!next || static_cast<std::size_t>(next - data) + 1 >= size) break;
    at = static_cast<std::size_t>(next - data) + 1;
    if (at > csv.part_begin_.back()) csv.part_begin_.push_back(at);
  }
  csv.part_begin_.push_back(size);
  const std::size_t ranges = csv.part_begin_.size() - 1;
  std::vector<std::optional<std::size_t>> counts(ranges);
  const std::size_t commas = csv.header_.size() - 1;
  run_parts(ranges, [&](std::size_t r) {
    counts[r] = count_plain_rows(data, csv.part_begin_[r], csv.part_begin_[r + 1], commas);
  });
  csv.part_row_.assign(ranges + 1, 0);
  for (std::size_t r = 0; r < ranges; ++r) {
    if (!counts[r]) return std::nullopt;
    csv.part_row_[r + 1] = csv.part_row_[r] + *counts[r];
  }
  csv.rows_ = csv.part_row_.back();
  if (csv.rows_ == 0) return std::nullopt;
  return csv;
}

std::optional<std::size_t> PlainCsv::column(std::string_view name) const {
  const auto it = std::find(header_.begin(), header_.end(), name);
  if (it == header_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header_.begin());
}

bool PlainCsv::read_columns(std::span<const std::size_t> columns, CellParser parse, std::span<double* const> out) const {
  const std::size_t ncol = header_.size();
  std::vector<int> slot(ncol, -1);  // per field: which output it goes to
  std::size_t last_used = 0;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    slot[columns[k]] = static_cast<int>(k);
    last_used = std::max(last_used, columns[k]);
  }
  const char* const data = data_;
  const std::size_t ranges = part_begin_.size() - 1;
  std::atomic<bool> refused{false};
  run_parts(ranges, [&](std::size_t r) {
    const std::size_t e = part_begin_[r + 1];
    std::size_t row = part_row_[r];
    for (std::size_t i = part_begin_[r]; i < e; ++row) {
      if ((row & 0xFFFF) == 0 && refused.load(std::memory_order_relaxed)) return;
      // Fields up to the last used one; the check pass saw every separator.
      for (std::size_t c = 0; c <= last_used; ++c) {
        std::size_t j = i;
        while (j < e && data[j] != ',' && data[j] != '\n') ++j;
        std::size_t cell_end = j;
        if (j < e && data[j] == '\n' && cell_end > i && data[cell_end - 1] == '\r') --cell_end;
        if (slot[c] >= 0 && !parse(std::string_view(data + i, cell_end - i), out[static_cast<std::size_t>(slot[c])][row])) {
          refused.store(true, std::memory_order_relaxed);
          return;
        }
        i = j + 1;  // past the separator (or the line end, for the last field)
      }
      if (last_used + 1 < ncol) {  // the rest of the line
        const char* next = static_cast<const char*>(std::memchr(data + i - 1, '\n', e - (i - 1)));
        i = next ? static_cast<std::size_t>(next - data) + 1 : e;
      }
    }
  });
  return !refused.load();
}

}  // namespace sirtkit::io
