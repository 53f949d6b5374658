#pragma once
// A MIME multipart body (RFC 2046 5.1; multipart/related, RFC 2387, as
// DICOMweb STOW-RS sends it, PS3.18 8.6.1.2) split while it streams in: each
// part's headers are parsed and its body written to a file of its own, so a
// large upload never sits in memory. Malformed framing is refused with a
// sirtkit::Error (bad_input) naming what was wrong and the byte offset.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sirtkit::io {

// "multipart/related; type=\"application/dicom\"; boundary=X" -> type
// "multipart/related" (lower case), params {type: application/dicom, boundary: X}
// (names lower case, quotes removed). Throws Error(bad_input) when it does not parse.
struct MediaType {
  std::string type;
  std::map<std::string, std::string> params;
};
MediaType parse_media_type(const std::string& header);

struct MultipartPart {
  std::map<std::string, std::string> headers;  // names in lower case
  std::filesystem::path file;                  // the part's body
  std::uint64_t bytes = 0;
};

class MultipartSplitter {
 public:
  // `new_part_file` gives the path for the next part's body (created by the splitter).
  MultipartSplitter(std::string boundary, std::function<std::filesystem::path()> new_part_file, std::size_t max_parts = 10000);
  ~MultipartSplitter();  // removes the part files unless finish() handed them over
  MultipartSplitter(const MultipartSplitter&) = delete;
  MultipartSplitter& operator=(const MultipartSplitter&) = delete;

  void feed(const char* data, std::size_t n);
  // The parts, once the closing delimiter was seen (Error otherwise). The caller owns the files.
  std::vector<MultipartPart> finish();

  static constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

 private:
  enum class State { preamble, after_delimiter, headers, body, epilogue };
  void process();
  void open_part();
  void write_body(std::size_t n);
  [[noreturn]] void fail(const std::string& what, const std::string& expected) const;

  std::string delimiter_;  // "\r\n--" + boundary
  std::function<std::filesystem::path()> new_part_file_;
  std::size_t max_parts_;
  State state_ = State::preamble;
  std::string buf_;            // unprocessed bytes
  std::uint64_t consumed_ = 0;  // bytes of the body before buf_
  std::vector<MultipartPart> parts_;
  std::FILE* out_ = nullptr;
  bool handed_over_ = false;
};

}  // namespace sirtkit::io
