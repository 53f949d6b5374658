#include "io/dicom/dicom_guard.h"

#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dctag.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/error.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFF;
// PS3.10 7.1: 128-byte preamble, then "DICM".
constexpr std::size_t kPreambleBytes = 128;
// PS3.5 Annex A: the transfer syntaxes whose encoding is not explicit VR little endian.
const char* const kImplicitLittle = "1.2.840.10008.1.2";
const char* const kExplicitLittle = "1.2.840.10008.1.2.1";
const char* const kExplicitBig = "1.2.840.10008.1.2.2";
const char* const kDeflated = "1.2.840.10008.1.2.1.99";

// Random access to the bytes: a file read through a 64 kB window, or memory.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::uint64_t size() const = 0;
  // Copies n bytes at off (the caller has checked off + n <= size()).
  virtual void copy(std::uint64_t off, void* dst, std::size_t n) = 0;
};

class MemorySource final : public Source {
 public:
  MemorySource(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint64_t size() const override { return size_; }
  void copy(std::uint64_t off, void* dst, std::size_t n) override { std::memcpy(dst, data_ + off, n); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

class FileSource final : public Source {
 public:
  explicit FileSource(const fs::path& path) : in_(path, std::ios::binary) {
    if (!in_) fail_io(dicom_file_label(path), "cannot open the file");
    in_.seekg(0, std::ios::end);
    size_ = static_cast<std::uint64_t>(in_.tellg());
  }
  std::uint64_t size() const override { return size_; }
  void copy(std::uint64_t off, void* dst, std::size_t n) override {
    if (n > kWindow) {
      in_.seekg(static_cast<std::streamoff>(off));
      in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(n));
      return;
    }
    if (off < window_start_ || off + n > window_start_ + window_.size()) {
      window_start_ = off;
      window_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kWindow, size_ - off)));
      in_.clear();
      in_.seekg(static_cast<std::streamoff>(off));
      in_.read(reinterpret_cast<char*>(window_.data()), static_cast<std::streamsize>(window_.size()));
    }
    std::memcpy(dst, window_.data() + (off - window_start_), n);
  }

 private:
  static constexpr std::size_t kWindow = 1 << 16;
  std::ifstream in_;
  std::uint64_t size_ = 0;
  std::vector<std::uint8_t> window_;
  std::uint64_t window_start_ = 0;
};

bool is_vr(char a, char b) {
  // PS3.5 Table 6.2-1 (2023): every VR code.
  static const std::array<const char*, 34> vrs{"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT",
                                               "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST",
                                               "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV"};
  return std::any_of(vrs.begin(), vrs.end(), [&](const char* v) { return v[0] == a && v[1] == b; });
}

// PS3.5 7.1.2: these VRs have 2 reserved bytes and a 32-bit length.
bool has_long_length(const std::string& vr) {
  static const std::array<const char*, 13> vrs{"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
  return std::any_of(vrs.begin(), vrs.end(), [&](const char* v) { return vr == v; });
}

std::string hex_tag(std::uint16_t g, std::uint16_t e) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "(%04X,%04X)", g, e);
  return buf;
}

struct Encoding {
  bool implicit = false;
  bool big = false;
};

class Walker {
 public:
  Walker(Source& src, const std::string& name, const DicomLimits& limits, DicomScan& scan)
      : src_(src), name_(name), limits_(limits), scan_(scan) {}

  std::uint16_t u16(std::uint64_t off, bool big) {
    std::uint8_t b[2];
    src_.copy(off, b, 2);
    return big ? static_cast<std::uint16_t>(b[0] << 8 | b[1]) : static_cast<std::uint16_t>(b[1] << 8 | b[0]);
  }
  std::uint32_t u32(std::uint64_t off, bool big) {
    std::uint8_t b[4];
    src_.copy(off, b, 4);
    return big ? (std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3])
               : (std::uint32_t{b[3]} << 24 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[1]} << 8 | b[0]);
  }
  std::string bytes(std::uint64_t off, std::size_t n) {
    std::string s(n, '\0');
    src_.copy(off, s.data(), n);
    return s;
  }

  [[noreturn]] void fail(const std::string& field, const std::string& value, const std::string& expected) const {
    fail_input(name_, field + " at byte " + std::to_string(pos_), value, expected);
  }

  // File Meta Information (PS3.10 7.1): group 0002, explicit VR little endian.
  // Returns the Transfer Syntax UID ("" when absent).
  std::string meta(std::uint64_t start) {
    pos_ = start;
    const std::uint64_t end = src_.size();
    std::string ts;
    std::uint64_t group_end = 0;  // from (0002,0000) File Meta Information Group Length
    while (end - pos_ >= 8 && u16(pos_, false) == 0x0002) {
      const std::uint16_t e = u16(pos_ + 2, false);
      const std::string vr = bytes(pos_ + 4, 2);
      if (!is_vr(vr[0], vr[1])) fail("File Meta Information element " + hex_tag(2, e), "VR '" + printable(vr) + "'", "explicit VR (PS3.10 7.1)");
      std::uint32_t len = 0;
      std::uint64_t value = 0;
      if (has_long_length(vr)) {
        if (end - pos_ < 12) fail("File Meta Information element " + hex_tag(2, e), "truncated", "a complete element header");
        len = u32(pos_ + 8, false);
        value = pos_ + 12;
      } else {
        len = u16(pos_ + 6, false);
        value = pos_ + 8;
      }
      if (vr == "SQ" || len == kUndefinedLength)
        fail("File Meta Information element " + hex_tag(2, e), vr + " of length " + length_text(len), "a plain value of defined length");
      if (len > end - value)
        fail("File Meta Information element " + hex_tag(2, e) + " length", std::to_string(len) + " bytes",
             "at most the " + std::to_string(end - value) + " bytes left in the file");
      if (++scan_.elements > limits_.max_elements) too_many("elements", limits_.max_elements);
      if (e == 0x0000 && len == 4) group_end = value + 4 + u32(value, false);
      if (e == 0x0010) {
        ts = bytes(value, len);
        while (!ts.empty() && (ts.back() == '\0' || ts.back() == ' ')) ts.pop_back();
      }
      pos_ = value + len;
    }
    if (group_end != 0 && group_end != pos_)
      fail("File Meta Information Group Length (0002,0000)", std::to_string(group_end - start - 12) + " bytes",
           "the " + std::to_string(pos_ - start - 12) + " bytes group 0002 holds");
    return ts;
  }

  std::uint64_t position() const { return pos_; }

  // The dataset from pos_ to the end of the source, without recursion.
  void dataset(std::uint64_t start, Encoding enc) {
    pos_ = start;
    const std::uint64_t file_end = src_.size();
    stack_.clear();
    stack_.push_back({Kind::dataset, file_end, false, enc, 0, 0, 0});
    int depth = 0;
    while (true) {
      Level& top = stack_.back();
      if (!top.undefined && pos_ == top.bound) {
        if (top.kind == Kind::dataset) return;
        if (top.kind == Kind::sequence) --depth;
        stack_.pop_back();
        continue;
      }
      if (top.undefined && pos_ == top.bound)
        fail(what(top), "no delimitation item before the end of the file or enclosing item",
             "a delimitation item closing the undefined length (truncated file?)");
      const std::uint64_t left = top.bound - pos_;
      if (left < 8) fail("element header", std::to_string(left) + " bytes left", "at least 8 bytes (truncated file or item)");
      const Encoding e = top.enc;
      const std::uint16_t g = u16(pos_, e.big), el = u16(pos_ + 2, e.big);
      if (stack_.size() == 1 && g == 0 && el == 0 && all_zero(pos_, top.bound)) {
        scan_.trailing_zero_bytes = top.bound - pos_;
        return;
      }

      if (g == 0xFFFE) {
        const std::uint32_t len = u32(pos_ + 4, e.big);
        const std::uint64_t header = pos_;
        if (el == 0xE000 && top.kind == Kind::sequence) {
          if (++scan_.items > limits_.max_items) too_many("sequence items", limits_.max_items);
          pos_ += 8;
          if (len == kUndefinedLength) {
            stack_.push_back({Kind::item, top.bound, true, e, header, g, el});
          } else {
            check_length(len, "item (FFFE,E000) length");
            stack_.push_back({Kind::item, pos_ + len, false, e, header, g, el});
          }
          continue;
        }
        if (el == 0xE000 && top.kind == Kind::fragments) {
          if (++scan_.fragments > limits_.max_fragments) too_many("pixel data fragments", limits_.max_fragments);
          pos_ += 8;
          if (len == kUndefinedLength) fail("pixel data fragment (FFFE,E000) length", "undefined", "a defined length (PS3.5 A.4)");
          check_length(len, "pixel data fragment (FFFE,E000) length");
          pos_ += len;
          continue;
        }
        if (el == 0xE00D && top.kind == Kind::item && top.undefined) {
          pos_ += 8;
          stack_.pop_back();
          continue;
        }
        if (el == 0xE0DD && (top.kind == Kind::sequence || top.kind == Kind::fragments) && top.undefined) {
          pos_ += 8;
          if (top.kind == Kind::sequence) --depth;
          stack_.pop_back();
          continue;
        }
        fail("delimiter " + hex_tag(g, el), "inside " + what(top),
             top.kind == Kind::sequence || top.kind == Kind::fragments ? "an item (FFFE,E000) or, for undefined length, a sequence delimiter (FFFE,E0DD)"
                                                                        : "a data element (items belong in sequences; delimiters close undefined lengths)");
      }
      if (top.kind == Kind::sequence || top.kind == Kind::fragments)
        fail("element " + hex_tag(g, el), "directly inside " + what(top), "an item (FFFE,E000)");

      if (++scan_.elements > limits_.max_elements) too_many("elements", limits_.max_elements);
      std::string vr;
      std::uint32_t len = 0;
      const std::uint64_t header = pos_;
      if (e.implicit) {
        len = u32(pos_ + 4, e.big);
        pos_ += 8;
      } else {
        vr = bytes(pos_ + 4, 2);
        if (!is_vr(vr[0], vr[1])) fail("element " + hex_tag(g, el) + " VR", "'" + printable(vr) + "'", "a DICOM VR (PS3.5 6.2)");
        if (has_long_length(vr)) {
          if (left < 12) fail("element " + hex_tag(g, el), "truncated header", "12 bytes");
          len = u32(pos_ + 8, e.big);
          pos_ += 12;
        } else {
          len = u16(pos_ + 6, e.big);
          pos_ += 8;
        }
      }
      const bool pixel_data = g == 0x7FE0 && el == 0x0010;
      if (len == kUndefinedLength) {
        if (pixel_data && (e.implicit || vr == "OB" || vr == "OW")) {
          // Encapsulated pixel data (PS3.5 A.4): fragments, not datasets.
          stack_.push_back({Kind::fragments, top.bound, true, e, header, g, el});
        } else if (e.implicit || vr == "SQ" || vr == "UN") {
          // UN of undefined length holds implicit VR little endian items (PS3.5 6.2.2, CP-246).
          const Encoding inner = (vr == "UN") ? Encoding{true, false} : e;
          push_sequence(++depth, top.bound, true, inner, header, g, el);
        } else {
          fail("element " + hex_tag(g, el) + " (VR " + vr + ") length", "undefined", "a defined length (only SQ, UN and Pixel Data may be undefined)");
        }
        continue;
      }
      check_length(len, "element " + hex_tag(g, el) + " value length");
      bool sequence = false;
      Encoding inner = e;
      if (!e.implicit && vr == "SQ") {
        sequence = true;
      } else if (e.implicit && DcmTag(g, el).getEVR() == EVR_SQ) {
        sequence = true;
      } else if ((e.implicit || vr == "UN") && len >= 8 && starts_with_item(pos_, e.implicit ? e.big : false)) {
        // A private or unknown value that opens with an item: DCMTK may parse it
        // as a sequence (private dictionary, VR conversion), so walk it as one.
        sequence = true;
        if (vr == "UN") inner = {true, false};
      }
      if (sequence) {
        push_sequence(++depth, pos_ + len, false, inner, header, g, el);
      } else {
        pos_ += len;
      }
    }
  }

 private:
  enum class Kind { dataset, item, sequence, fragments };
  struct Level {
    Kind kind;
    std::uint64_t bound;  // end of the value, or for undefined length the enclosing bound
    bool undefined;
    Encoding enc;
    std::uint64_t header;
    std::uint16_t group, element;
  };

  std::string what(const Level& l) const {
    switch (l.kind) {
      case Kind::dataset: return "the dataset";
      case Kind::item: return "the item opened at byte " + std::to_string(l.header);
      case Kind::sequence: return "sequence " + hex_tag(l.group, l.element) + " opened at byte " + std::to_string(l.header);
      case Kind::fragments: return "encapsulated Pixel Data opened at byte " + std::to_string(l.header);
    }
    return "";
  }

  static std::string length_text(std::uint32_t len) { return len == kUndefinedLength ? "undefined" : std::to_string(len); }
  static std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (c >= 0x20 && c < 0x7F) out += static_cast<char>(c);
      else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02X", c);
        out += buf;
      }
    }
    return out;
  }

  bool all_zero(std::uint64_t from, std::uint64_t to) {
    std::array<std::uint8_t, 4096> buf{};
    for (std::uint64_t off = from; off < to; off += buf.size()) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), to - off));
      src_.copy(off, buf.data(), n);
      if (std::any_of(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n), [](std::uint8_t b) { return b != 0; })) return false;
    }
    return true;
  }

  bool starts_with_item(std::uint64_t off, bool big) { return u16(off, big) == 0xFFFE && u16(off + 2, big) == 0xE000; }

  void check_length(std::uint32_t len, const std::string& field) {
    const std::uint64_t left = stack_.back().bound - pos_;
    if (len > left)
      fail(field, std::to_string(len) + " bytes",
           "at most the " + std::to_string(left) + " bytes left in the " + (stack_.size() == 1 ? "file" : "file or enclosing item") +
               " (truncated file or corrupt length)");
  }

  void push_sequence(int depth, std::uint64_t bound, bool undefined, Encoding enc, std::uint64_t header, std::uint16_t g,
                     std::uint16_t el) {
    if (depth > limits_.max_sequence_depth)
      fail("sequence " + hex_tag(g, el) + " nesting", std::to_string(depth) + " levels",
           "at most " + std::to_string(limits_.max_sequence_depth) + " nested sequences (sirtkit's limit; real objects nest fewer than 10)");
    scan_.max_depth = std::max(scan_.max_depth, depth);
    stack_.push_back({Kind::sequence, bound, undefined, enc, header, g, el});
  }

  [[noreturn]] void too_many(const std::string& what, std::uint64_t limit) const {
    fail("number of " + what, "more than " + std::to_string(limit), "at most " + std::to_string(limit) + " (sirtkit's limit for one file)");
  }

  Source& src_;
  const std::string& name_;
  const DicomLimits& limits_;
  DicomScan& scan_;
  std::uint64_t pos_ = 0;
  std::vector<Level> stack_;
};

// Raw dataset without meta header: byte order from the first group number
// (0002 or 0008), explicit VR when the next two bytes are a VR code.
bool detect_raw(Source& src, std::uint64_t at, Encoding& enc) {
  if (src.size() - at < 8) return false;
  std::uint8_t b[6];
  src.copy(at, b, 6);
  const std::uint16_t le = static_cast<std::uint16_t>(b[1] << 8 | b[0]);
  const std::uint16_t be = static_cast<std::uint16_t>(b[0] << 8 | b[1]);
  if (le == 0x0002 || le == 0x0008) enc.big = false;
  else if (be == 0x0002 || be == 0x0008) enc.big = true;
  else return false;
  enc.implicit = !is_vr(static_cast<char>(b[4]), static_cast<char>(b[5]));
  return true;
}

bool has_preamble(Source& src) {
  if (src.size() < kPreambleBytes + 4) return false;
  char magic[4];
  src.copy(kPreambleBytes, magic, 4);
  return std::memcmp(magic, "DICM", 4) == 0;
}

// Inflates a deflated dataset (PS3.5 A.5) into memory, bounded in size.
std::vector<std::uint8_t> inflate_rest(Source& src, std::uint64_t from, const std::string& name, const DicomLimits& limits) {
  const std::uint64_t n = src.size() - from;
  std::vector<std::uint8_t> in(static_cast<std::size_t>(n));
  if (n > 0) src.copy(from, in.data(), in.size());
  z_stream zs{};
  // PS3.5 A.5: raw deflate (RFC 1951); some writers add a zlib header (RFC 1950), as DCMTK tolerates.
  const bool zlib_header = n >= 2 && (in[0] & 0x0F) == 8 && ((in[0] << 8) | in[1]) % 31 == 0;
  if (inflateInit2(&zs, zlib_header ? MAX_WBITS : -MAX_WBITS) != Z_OK) fail_io(name, "cannot start zlib");
  std::vector<std::uint8_t> out;
  std::array<std::uint8_t, 1 << 16> chunk{};
  zs.next_in = in.data();
  zs.avail_in = static_cast<uInt>(std::min<std::uint64_t>(n, 0xFFFFFFFFu));
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = chunk.data();
    zs.avail_out = chunk.size();
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      fail_input(name, "deflated dataset (transfer syntax " + std::string(kDeflated) + ")", "corrupt or truncated deflate stream",
                 "a complete deflate stream (PS3.5 A.5)");
    }
    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - zs.avail_out));
    if (out.size() > limits.max_inflated_bytes) {
      inflateEnd(&zs);
      fail_input(name, "deflated dataset", "more than " + std::to_string(limits.max_inflated_bytes) + " bytes once inflated",
                 "at most that (sirtkit's limit; a deflate bomb?)");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      fail_input(name, "deflated dataset", "deflate stream ends early", "a complete deflate stream (PS3.5 A.5)");
    }
  }
  inflateEnd(&zs);
  return out;
}

DicomScan prescan(Source& src, const std::string& name, const DicomLimits& limits) {
  DicomScan scan;
  Walker walker(src, name, limits, scan);
  scan.has_preamble = has_preamble(src);
  const std::uint64_t start = scan.has_preamble ? kPreambleBytes + 4 : 0;
  bool meta_present = false;
  if (src.size() - start >= 8) {
    std::uint8_t b[2];
    src.copy(start, b, 2);
    meta_present = b[0] == 0x02 && b[1] == 0x00;
  }
  Encoding enc;
  std::uint64_t dataset_start = start;
  std::string ts;
  if (meta_present) {
    ts = walker.meta(start);
    dataset_start = walker.position();
  }
  if (ts.empty()) {
    // No meta header, or one without Transfer Syntax UID: DCMTK is given the
    // encoding detected here, so both read the bytes the same way.
    if (src.size() == dataset_start && scan.has_preamble) {
      scan.transfer_syntax_uid = kExplicitLittle;
      return scan;
    }
    if (!detect_raw(src, dataset_start, enc))
      fail_input(name, "DICOM header", scan.has_preamble ? "no Transfer Syntax UID and a dataset that does not start with group 0002 or 0008"
                                                         : "neither a \"DICM\" preamble nor a dataset starting with group 0002 or 0008",
                 "a DICOM file (PS3.10 7.1)");
    if (enc.implicit && enc.big)
      fail_input(name, "transfer syntax", "implicit VR big endian", "a transfer syntax of PS3.5 Annex A");
    scan.transfer_syntax_uid = enc.implicit ? kImplicitLittle : (enc.big ? kExplicitBig : kExplicitLittle);
  } else {
    scan.transfer_syntax_uid = ts;
    if (DcmXfer(ts.c_str()).getXfer() == EXS_Unknown)
      fail_input(name, "TransferSyntaxUID (0002,0010)", ts, "a transfer syntax of PS3.5 Annex A known to DCMTK");
    enc.implicit = ts == kImplicitLittle;
    enc.big = ts == kExplicitBig;
  }
  if (scan.transfer_syntax_uid == kDeflated) {
    std::vector<std::uint8_t> inflated = inflate_rest(src, dataset_start, name, limits);
    MemorySource mem(inflated.data(), inflated.size());
    Walker inner(mem, name + " (inflated)", limits, scan);
    inner.dataset(0, {false, false});
    if (scan.trailing_zero_bytes > 0)
      fail_input(name, "deflated dataset", std::to_string(scan.trailing_zero_bytes) + " zero bytes after the last element", "no padding");
    return scan;
  }
  walker.dataset(dataset_start, enc);
  return scan;
}

E_TransferSyntax xfer_of(const DicomScan& scan) { return DcmXfer(scan.transfer_syntax_uid.c_str()).getXfer(); }

[[noreturn]] void dcmtk_failed(const std::string& name, const OFCondition& c) {
  fail_input(name, "DICOM file", std::string("refused by DCMTK after the pre-scan: ") + c.text(), "a well-formed DICOM file");
}

}  // namespace

std::string dicom_file_label(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.empty() ? std::string("(DICOM file)") : name;
}

bool looks_like_dicom(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  std::array<std::uint8_t, kPreambleBytes + 4> b{};
  in.read(reinterpret_cast<char*>(b.data()), b.size());
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got == b.size() && std::memcmp(b.data() + kPreambleBytes, "DICM", 4) == 0) return true;
  if (got < 8) return false;
  MemorySource mem(b.data(), got);
  Encoding enc;
  return detect_raw(mem, 0, enc);
}

DicomScan prescan_dicom(const fs::path& path, const DicomLimits& limits) {
  FileSource src(path);
  return prescan(src, dicom_file_label(path), limits);
}

DicomScan prescan_dicom(const std::uint8_t* data, std::size_t size, const std::string& name, const DicomLimits& limits) {
  MemorySource src(data, size);
  return prescan(src, name, limits);
}

std::unique_ptr<DcmFileFormat> read_dicom_guarded(const fs::path& path, const DicomLimits& limits) {
  const std::string name = dicom_file_label(path);
  const DicomScan scan = prescan_dicom(path, limits);
  if (scan.trailing_zero_bytes > 0) {
    // DCMTK is given the bytes before the padding, from memory.
    FileSource src(path);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(src.size() - scan.trailing_zero_bytes));
    src.copy(0, bytes.data(), bytes.size());
    return read_dicom_guarded(bytes.data(), bytes.size(), name, limits);
  }
  auto file = std::make_unique<DcmFileFormat>();
  // Values longer than 4 kB (pixel data) stay on disk until asked for.
  const E_TransferSyntax xfer = scan.has_preamble ? EXS_Unknown : xfer_of(scan);
  const OFCondition c = file->loadFile(path.c_str(), xfer, EGL_noChange, 4096, ERM_autoDetect);
  if (c.bad()) dcmtk_failed(name, c);
  return file;
}

std::unique_ptr<DcmFileFormat> read_dicom_guarded_if_dicom(const fs::path& path, const DicomLimits& limits) {
  if (!looks_like_dicom(path)) return nullptr;
  return read_dicom_guarded(path, limits);
}

std::unique_ptr<DcmFileFormat> read_dicom_guarded(const std::uint8_t* data, std::size_t size, const std::string& name,
                                                  const DicomLimits& limits) {
  const DicomScan scan = prescan_dicom(data, size, name, limits);
  DcmInputBufferStream in;
  in.setBuffer(data, static_cast<offile_off_t>(size - scan.trailing_zero_bytes));
  in.setEos();
  auto file = std::make_unique<DcmFileFormat>();
  file->transferInit();
  const OFCondition c = file->read(in, scan.has_preamble ? EXS_Unknown : xfer_of(scan), EGL_noChange, DCM_MaxReadLength);
  file->transferEnd();
  if (c.bad()) dcmtk_failed(name, c);
  return file;
}

}  // namespace sirtkit::io
