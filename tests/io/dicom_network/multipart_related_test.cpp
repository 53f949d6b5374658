#include "io/dicom_network/multipart_related.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

fs::path fresh(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("sirtkit_test_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Split {
  std::vector<MultipartPart> parts;
  std::vector<std::string> bodies;
};

// Feeds `body` in chunks of `chunk` bytes.
Split split(const fs::path& dir, const std::string& boundary, const std::string& body, std::size_t chunk) {
  int n = 0;
  MultipartSplitter s(boundary, [&] { return dir / ("part" + std::to_string(++n)); });
  for (std::size_t i = 0; i < body.size(); i += chunk) s.feed(body.data() + i, std::min(chunk, body.size() - i));
  Split out;
  out.parts = s.finish();
  for (const auto& p : out.parts) out.bodies.push_back(slurp(p.file));
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input) << e.what();
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(MultipartRelated, SplitsPartsExactlyWhateverTheChunkSize) {
  const std::string b = "xYz-123";
  // Bodies that look almost like a delimiter: "\r\n--xYz-12" (one character short), "--xYz-123" without CRLF, binary zeros.
  const std::string one = std::string("DICM\0\0\x01\r\n--xYz-12 not it\r\n", 26);
  const std::string two = "--xYz-123 inside, no CRLF before";
  const std::string body = "preamble to ignore\r\n--" + b + "\r\nContent-Type: application/dicom\r\nX-Long: a\r\n  folded\r\n\r\n" + one + "\r\n--" + b +
                           "  \r\ncontent-type: application/dicom\r\n\r\n" + two + "\r\n--" + b + "--\r\nepilogue to ignore";
  const fs::path dir = fresh("multipart_ok");
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{7}, body.size()}) {
    const Split s = split(dir, b, body, chunk);
    ASSERT_EQ(s.parts.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(s.bodies[0], one) << "chunk " << chunk;
    EXPECT_EQ(s.bodies[1], two) << "chunk " << chunk;
    EXPECT_EQ(s.parts[0].bytes, one.size());
    EXPECT_EQ(s.parts[0].headers.at("content-type"), "application/dicom");
    EXPECT_EQ(s.parts[0].headers.at("x-long"), "a folded");
    EXPECT_EQ(s.parts[1].headers.at("content-type"), "application/dicom");
    for (const auto& p : s.parts) fs::remove(p.file);
  }
  // A body starting with the delimiter (no preamble) and a part without headers.
  const Split bare = split(dir, b, "--" + b + "\r\n\r\nabc\r\n--" + b + "--", 5);
  ASSERT_EQ(bare.parts.size(), 1u);
  EXPECT_EQ(bare.bodies[0], "abc");
  EXPECT_TRUE(bare.parts[0].headers.empty());
}

TEST(MultipartRelated, RefusesTruncatedAndMalformedBodiesAndRemovesTheirParts) {
  const fs::path dir = fresh("multipart_bad");
  const std::string b = "bnd";
  EXPECT_NE(error_of([&] { split(dir, b, "--bnd\r\nContent-Type: application/dicom\r\n\r\nhalf a file", 4); }).find("truncated upload"), std::string::npos);
  EXPECT_NE(error_of([&] { split(dir, b, "no delimiter at all", 4); }).find("a boundary delimiter"), std::string::npos);
  EXPECT_NE(error_of([&] { split(dir, b, "--bnd\r\nno colon here\r\n\r\nx\r\n--bnd--", 4); }).find("Name: value"), std::string::npos);
  EXPECT_NE(error_of([&] { split(dir, b, "--bnd junk\r\n\r\nx\r\n--bnd--", 4); }).find("transport padding"), std::string::npos);
  EXPECT_NE(error_of([&] { split(dir, b, "--bnd\r\nA: " + std::string(20000, 'a') + "\r\n\r\nx\r\n--bnd--", 100); }).find("bytes of headers"),
            std::string::npos);
  EXPECT_NE(error_of([&] { MultipartSplitter s(std::string(71, 'a'), [] { return fs::path("x"); }); }).find("1 to 70 characters"), std::string::npos);
  // Too many parts.
  std::string many;
  for (int i = 0; i < 4; ++i) many += "--bnd\r\n\r\nx\r\n";
  int n = 0;
  EXPECT_NE(error_of([&] {
              MultipartSplitter s(b, [&] { return dir / ("p" + std::to_string(++n)); }, 3);
              s.feed(many.data(), many.size());
            }).find("at most 3 parts"),
            std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir)) << "every part file of a refused body is removed";
}

TEST(MultipartRelated, ParsesTheMediaTypeOfAStowRequest) {
  const MediaType m = parse_media_type("Multipart/Related; type=\"application/dicom\"; boundary=\"a b;c\"; start=x");
  EXPECT_EQ(m.type, "multipart/related");
  EXPECT_EQ(m.params.at("type"), "application/dicom");
  EXPECT_EQ(m.params.at("boundary"), "a b;c");
  EXPECT_EQ(m.params.at("start"), "x");
  EXPECT_EQ(parse_media_type("application/json").type, "application/json");
  EXPECT_NE(error_of([] { parse_media_type("multipart; boundary=x"); }).find("type/subtype"), std::string::npos);
  EXPECT_NE(error_of([] { parse_media_type("multipart/related; boundary=\"open"); }).find("unterminated"), std::string::npos);
}

}  // namespace sirtkit::io
