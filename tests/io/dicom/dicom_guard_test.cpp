#include "io/dicom/dicom_guard.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "../dicom_hostile.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using hostile::RawWriter;

// The message of the bad-input Error `f` throws ("(no error)" if none; other categories fail the test).
std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input) << e.what();
    return e.what();
  }
  return "(no error)";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sop_instance(DcmFileFormat& f) {
  OFString s;
  f.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, s);
  return s.c_str();
}

}  // namespace

TEST(DicomGuard, SixThousandNestedSequencesAreRefusedBeforeDcmtkRecurses) {
  const fs::path dir = fixture::fresh_dir("guard_deep");
  hostile::deep_nesting(dir / "deep.dcm", 6000);
  const std::string m = refusal([&] { read_dicom_guarded(dir / "deep.dcm"); });
  EXPECT_NE(m.find("deep.dcm"), std::string::npos) << m;
  EXPECT_NE(m.find("33 levels"), std::string::npos) << m;  // refused at the first level past the limit
  EXPECT_EQ(m.find(dir.string()), std::string::npos) << "folders above the file are not named: " << m;
}

TEST(DicomGuard, NestingUpToTheLimitLoadsOnePastItIsRefused) {
  const fs::path dir = fixture::fresh_dir("guard_depth_limit");
  hostile::deep_nesting(dir / "d32.dcm", 32);
  hostile::deep_nesting(dir / "d33.dcm", 33);
  const DicomScan s = prescan_dicom(dir / "d32.dcm");
  EXPECT_EQ(s.max_depth, 32);
  EXPECT_EQ(s.items, 32u);
  EXPECT_TRUE(s.has_preamble);
  EXPECT_NE(read_dicom_guarded(dir / "d32.dcm"), nullptr);
  EXPECT_NE(refusal([&] { prescan_dicom(dir / "d33.dcm"); }).find("at most 32 nested sequences"), std::string::npos);
  DicomLimits tight;
  tight.max_sequence_depth = 4;
  EXPECT_NE(refusal([&] { prescan_dicom(dir / "d32.dcm", tight); }).find("5 levels"), std::string::npos);
}

TEST(DicomGuard, DefinedLengthNestingIsCountedToo) {
  // 5000 sequences of defined length, each item holding the next: built inside out.
  std::string inner;
  for (int d = 0; d < 5000; ++d) {
    RawWriter item;
    item.tag(0xFFFE, 0xE000);
    item.u32(static_cast<std::uint32_t>(inner.size() + 12));
    item.long_header(0x0040, 0xA730, "SQ", static_cast<std::uint32_t>(inner.size()));
    item.b += inner;
    inner = item.b;
  }
  RawWriter w;
  w.part10();
  w.ct_identity(fixture::new_uid());
  w.long_header(0x0040, 0xA730, "SQ", static_cast<std::uint32_t>(inner.size()));
  w.b += inner;
  const std::string m = refusal([&] {
    prescan_dicom(reinterpret_cast<const std::uint8_t*>(w.b.data()), w.b.size(), "defined.dcm");
  });
  EXPECT_NE(m.find("33 levels"), std::string::npos) << m;
}

TEST(DicomGuard, UnknownVrOfUndefinedLengthIsWalkedAsImplicitItems) {
  // PS3.5 6.2.2 / CP-246: UN of undefined length holds implicit VR little endian
  // items; DCMTK parses them as a sequence, so depth is counted inside.
  RawWriter w;
  w.part10();
  w.ct_identity(fixture::new_uid());
  const int depth = 40;
  w.long_header(0x0009, 0x1010, "UN", 0xFFFFFFFF);
  for (int d = 0; d < depth; ++d) {
    w.item_open();
    w.tag(0x0009, 0x1010);  // implicit VR inside: tag, 4-byte length
    w.u32(0xFFFFFFFF);
  }
  w.item_open();
  w.item_close();
  for (int d = 0; d < depth; ++d) {
    w.sequence_close();
    w.item_close();
  }
  w.sequence_close();
  const std::string m = refusal([&] { prescan_dicom(reinterpret_cast<const std::uint8_t*>(w.b.data()), w.b.size(), "un.dcm"); });
  EXPECT_NE(m.find("33 levels"), std::string::npos) << m;
}

TEST(DicomGuard, LengthBeyondTheFileIsRefusedNamingTheElement) {
  const fs::path dir = fixture::fresh_dir("guard_huge");
  hostile::huge_length(dir / "huge.dcm");
  const std::string m = refusal([&] { read_dicom_guarded(dir / "huge.dcm"); });
  EXPECT_NE(m.find("(0009,1010)"), std::string::npos) << m;
  EXPECT_NE(m.find("2147483632 bytes"), std::string::npos) << m;
  EXPECT_NE(m.find("at most the 64 bytes left in the file"), std::string::npos) << m;
}

TEST(DicomGuard, TruncatedFilesAreRefusedWhereverTheCutIs) {
  const fs::path dir = fixture::fresh_dir("guard_truncated");
  const fs::path ct = hostile::ct_slice(dir);
  ASSERT_NE(read_dicom_guarded(ct), nullptr);
  const std::size_t size = fs::file_size(ct);
  // Cuts inside the meta header, the dataset's elements and the pixel data.
  for (std::size_t keep : {std::size_t{140}, std::size_t{300}, size / 2, size - 1}) {
    hostile::truncate_copy(ct, dir / "cut.dcm", keep);
    const std::string m = refusal([&] { read_dicom_guarded(dir / "cut.dcm"); });
    EXPECT_NE(m.find("cut.dcm"), std::string::npos) << keep << ": " << m;
    EXPECT_NE(m.find("bytes"), std::string::npos) << keep << ": " << m;
  }
}

TEST(DicomGuard, TrailingZeroBytesAreSkippedOtherTrailingBytesRefused) {
  const fs::path dir = fixture::fresh_dir("guard_trailing");
  const fs::path ct = hostile::ct_slice(dir);
  const std::string bytes = slurp(ct);
  std::ofstream(dir / "padded.dcm", std::ios::binary) << bytes << std::string(100000, '\0');
  const DicomScan s = prescan_dicom(dir / "padded.dcm");
  EXPECT_EQ(s.trailing_zero_bytes, 100000u);
  auto f = read_dicom_guarded(dir / "padded.dcm");
  EXPECT_EQ(sop_instance(*f), sop_instance(*read_dicom_guarded(ct)));
  std::ofstream(dir / "tail.dcm", std::ios::binary) << bytes << std::string(100, '\0') << "x";
  EXPECT_NE(refusal([&] { prescan_dicom(dir / "tail.dcm"); }), "(no error)");
}

TEST(DicomGuard, MisplacedItemsAndUndefinedLengthsAreRefused) {
  RawWriter item_outside;
  item_outside.part10();
  item_outside.ct_identity(fixture::new_uid());
  item_outside.item_open();
  item_outside.item_close();
  EXPECT_NE(refusal([&] {
              prescan_dicom(reinterpret_cast<const std::uint8_t*>(item_outside.b.data()), item_outside.b.size(), "a.dcm");
            }).find("(FFFE,E000)"),
            std::string::npos);

  RawWriter undefined_text;
  undefined_text.part10();
  undefined_text.ct_identity(fixture::new_uid());
  undefined_text.long_header(0x0010, 0x4000, "LT", 0xFFFFFFFF);  // LT has a 2-byte length: reads as garbage
  EXPECT_NE(refusal([&] {
              prescan_dicom(reinterpret_cast<const std::uint8_t*>(undefined_text.b.data()), undefined_text.b.size(), "b.dcm");
            }),
            "(no error)");

  RawWriter undefined_ob;
  undefined_ob.part10();
  undefined_ob.ct_identity(fixture::new_uid());
  undefined_ob.long_header(0x0009, 0x1010, "OB", 0xFFFFFFFF);
  undefined_ob.sequence_close();
  const std::string m = refusal(
      [&] { prescan_dicom(reinterpret_cast<const std::uint8_t*>(undefined_ob.b.data()), undefined_ob.b.size(), "c.dcm"); });
  EXPECT_NE(m.find("only SQ, UN and Pixel Data may be undefined"), std::string::npos) << m;

  RawWriter open_sequence;  // a sequence never closed
  open_sequence.part10();
  open_sequence.ct_identity(fixture::new_uid());
  open_sequence.sequence_open(0x0040, 0xA730);
  open_sequence.item_open();
  const std::string m2 = refusal(
      [&] { prescan_dicom(reinterpret_cast<const std::uint8_t*>(open_sequence.b.data()), open_sequence.b.size(), "d.dcm"); });
  EXPECT_NE(m2.find("no delimitation item"), std::string::npos) << m2;
}

TEST(DicomGuard, EveryUncompressedEncodingLoadsTheSameDataset) {
  // The same slice saved by DCMTK in each transfer syntax: the walker must
  // follow each encoding to the end, and DCMTK must then read the same UID.
  const fs::path dir = fixture::fresh_dir("guard_encodings");
  const fs::path ct = hostile::ct_slice(dir);
  auto original = read_dicom_guarded(ct);
  const std::string uid = sop_instance(*original);
  original->loadAllDataIntoMemory();
  const std::vector<std::pair<E_TransferSyntax, std::string>> syntaxes{
      {EXS_LittleEndianImplicit, UID_LittleEndianImplicitTransferSyntax},
      {EXS_BigEndianExplicit, UID_BigEndianExplicitTransferSyntax},
      {EXS_DeflatedLittleEndianExplicit, UID_DeflatedExplicitVRLittleEndianTransferSyntax}};
  for (const auto& [xfer, ts] : syntaxes) {
    const fs::path p = dir / ("enc_" + std::to_string(static_cast<int>(xfer)) + ".dcm");
    ASSERT_TRUE(original->saveFile(p.c_str(), xfer).good()) << ts;
    const DicomScan s = prescan_dicom(p);
    EXPECT_EQ(s.transfer_syntax_uid, ts);
    EXPECT_GT(s.elements, 20u) << ts;
    auto f = read_dicom_guarded(p);
    EXPECT_EQ(sop_instance(*f), uid) << ts;
  }
  // A raw dataset without preamble or meta header (old ACR-NEMA style), implicit VR.
  ASSERT_TRUE(original->getDataset()->saveFile((dir / "raw.dcm").c_str(), EXS_LittleEndianImplicit).good());
  EXPECT_TRUE(looks_like_dicom(dir / "raw.dcm"));
  const DicomScan raw = prescan_dicom(dir / "raw.dcm");
  EXPECT_FALSE(raw.has_preamble);
  EXPECT_EQ(raw.transfer_syntax_uid, UID_LittleEndianImplicitTransferSyntax);
  EXPECT_EQ(sop_instance(*read_dicom_guarded(dir / "raw.dcm")), uid);
  // The same bytes in memory.
  const std::string bytes = slurp(ct);
  EXPECT_EQ(sop_instance(*read_dicom_guarded(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "mem.dcm")), uid);
}

TEST(DicomGuard, ElementItemAndInflatedSizeLimits) {
  const fs::path dir = fixture::fresh_dir("guard_limits");
  const fs::path ct = hostile::ct_slice(dir);
  const DicomScan s = prescan_dicom(ct);
  DicomLimits few;
  few.max_elements = s.elements - 1;
  EXPECT_NE(refusal([&] { prescan_dicom(ct, few); }).find("number of elements"), std::string::npos);
  few = {};
  few.max_elements = s.elements;
  EXPECT_EQ(prescan_dicom(ct, few).elements, s.elements);

  hostile::deep_nesting(dir / "items.dcm", 10);
  DicomLimits items;
  items.max_items = 9;
  EXPECT_NE(refusal([&] { prescan_dicom(dir / "items.dcm", items); }).find("number of sequence items"), std::string::npos);

  auto f = read_dicom_guarded(ct);
  f->loadAllDataIntoMemory();
  ASSERT_TRUE(f->saveFile((dir / "deflated.dcm").c_str(), EXS_DeflatedLittleEndianExplicit).good());
  DicomLimits small;
  small.max_inflated_bytes = 100;
  EXPECT_NE(refusal([&] { prescan_dicom(dir / "deflated.dcm", small); }).find("once inflated"), std::string::npos);
}

TEST(DicomGuard, NonDicomFilesAreToldApartFromBrokenDicom) {
  const fs::path dir = fixture::fresh_dir("guard_not_dicom");
  std::ofstream(dir / "README.txt") << "Series exported by the PACS on Monday.\n";
  EXPECT_FALSE(looks_like_dicom(dir / "README.txt"));
  EXPECT_EQ(read_dicom_guarded_if_dicom(dir / "README.txt"), nullptr);
  EXPECT_NE(refusal([&] { read_dicom_guarded(dir / "README.txt"); }).find("README.txt"), std::string::npos);
  // A "DICM" preamble followed by garbage is DICOM that is broken, not "not DICOM".
  RawWriter w;
  w.part10();
  w.b += "garbage!garbage!";
  w.save(dir / "broken.dcm");
  EXPECT_TRUE(looks_like_dicom(dir / "broken.dcm"));
  EXPECT_NE(refusal([&] { read_dicom_guarded_if_dicom(dir / "broken.dcm"); }), "(no error)");
  try {
    read_dicom_guarded(dir / "missing.dcm");
    ADD_FAILURE() << "a missing file was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io) << e.what();
  }
}

}  // namespace sirtkit::io
