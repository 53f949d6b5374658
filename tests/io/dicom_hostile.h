#pragma once
// Hostile DICOM files for the guard tests, built in the test: raw bytes where
// DCMTK would refuse to write them (deep nesting, lengths beyond the file,
// truncation), DCMTK edits of a valid CT slice for the pixel-module cases.

#include <dcmtk/dcmdata/dctk.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "dicom_fixture.h"

namespace sirtkit::io::hostile {

namespace fs = std::filesystem;

// Explicit VR little endian bytes, written by hand.
struct RawWriter {
  std::string b;
  void u16(std::uint16_t v) {
    b += static_cast<char>(v & 0xFF);
    b += static_cast<char>(v >> 8);
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v & 0xFFFF));
    u16(static_cast<std::uint16_t>(v >> 16));
  }
  void tag(std::uint16_t g, std::uint16_t e) {
    u16(g);
    u16(e);
  }
  // A short-form element (2-byte length); UI values padded with NUL, others with space.
  void element(std::uint16_t g, std::uint16_t e, const char* vr, std::string value) {
    if (value.size() % 2) value += (std::string(vr) == "UI") ? '\0' : ' ';
    tag(g, e);
    b += vr;
    u16(static_cast<std::uint16_t>(value.size()));
    b += value;
  }
  void long_header(std::uint16_t g, std::uint16_t e, const char* vr, std::uint32_t len) {
    tag(g, e);
    b += vr;
    u16(0);
    u32(len);
  }
  void sequence_open(std::uint16_t g, std::uint16_t e) { long_header(g, e, "SQ", 0xFFFFFFFF); }
  void item_open() {
    tag(0xFFFE, 0xE000);
    u32(0xFFFFFFFF);
  }
  void item_close() {
    tag(0xFFFE, 0xE00D);
    u32(0);
  }
  void sequence_close() {
    tag(0xFFFE, 0xE0DD);
    u32(0);
  }
  // Preamble, "DICM" and a meta header naming the transfer syntax.
  void part10(const std::string& transfer_syntax = UID_LittleEndianExplicitTransferSyntax) {
    b.assign(128, '\0');
    b += "DICM";
    element(0x0002, 0x0010, "UI", transfer_syntax);
  }
  // Enough of a CT image's identification for a folder scan to take it as one.
  void ct_identity(const std::string& series_uid) {
    element(0x0008, 0x0016, "UI", UID_CTImageStorage);
    element(0x0008, 0x0018, "UI", fixture::new_uid());
    element(0x0008, 0x0060, "CS", "CT");
    element(0x0020, 0x000E, "UI", series_uid);
  }
  void save(const fs::path& path) const {
    std::ofstream out(path, std::ios::binary);
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
  }
};

// A CT header with `depth` nested Content Sequences (0040,A730) of undefined
// length, each closed properly: only the depth is wrong.
inline void deep_nesting(const fs::path& path, int depth) {
  RawWriter w;
  w.part10();
  w.ct_identity(fixture::new_uid());
  for (int d = 0; d < depth; ++d) {
    w.sequence_open(0x0040, 0xA730);
    w.item_open();
  }
  for (int d = 0; d < depth; ++d) {
    w.item_close();
    w.sequence_close();
  }
  w.save(path);
}

// A value announcing far more bytes than the file holds (2 GB).
inline void huge_length(const fs::path& path) {
  RawWriter w;
  w.part10();
  w.ct_identity(fixture::new_uid());
  w.long_header(0x0009, 0x1010, "OB", 0x7FFFFFF0);
  w.b += std::string(64, 'x');
  w.save(path);
}

// A sequence of `items` empty items (8 bytes each): more than the guard's item limit.
inline void many_items(const fs::path& path, std::uint32_t items) {
  RawWriter w;
  w.part10();
  w.ct_identity(fixture::new_uid());
  w.long_header(0x0008, 0x1140, "SQ", items * 8u);
  for (std::uint32_t i = 0; i < items; ++i) {
    w.tag(0xFFFE, 0xE000);
    w.u32(0);
  }
  w.save(path);
}

// The first `keep` bytes of a valid file.
inline void truncate_copy(const fs::path& from, const fs::path& to, std::size_t keep) {
  std::ifstream in(from, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes.resize(std::min(keep, bytes.size()));
  std::ofstream(to, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A one-slice 4x3 CT (stored = HU + 1024, intercept -1024) in `dir`; returns its path.
inline fs::path ct_slice(const fs::path& dir, const std::string& name = "ct.dcm") {
  image::Grid g;
  g.size = {4, 3, 1};
  g.spacing_mm = {0.5, 0.5, 2.0};
  image::Volume<float> v(g);
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(-24 + 10 * static_cast<int>(n));
  fixture::SeriesSpec s;
  s.intercept = -1024;
  const auto files = fixture::write_slices(dir, v, s);
  const fs::path out = dir / name;
  fs::rename(files.front(), out);
  return out;
}

// Replaces an element by one of VR UI (e.g. Rescale Intercept as a UID).
inline void put_as_ui(DcmDataset& ds, const DcmTagKey& key, const std::string& value) {
  ds.findAndDeleteElement(key);
  auto* e = new DcmUniqueIdentifier(DcmTag(key, DcmVR(EVR_UI)));
  e->putString(value.c_str());
  ds.insert(e, true);
}

}  // namespace sirtkit::io::hostile
