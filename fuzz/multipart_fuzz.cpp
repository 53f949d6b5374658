// The STOW-RS body parser (io/dicom_network/multipart_related.h): the Content-Type header
// (the input's first line) and the multipart body (the rest), fed in chunks
// whose size the first byte chooses, so a delimiter or a header split across
// two reads is exercised. Bad framing may only end in a bad_input Error; the
// part files must be removed whatever happens.
#include "fuzz_support.h"
#include "io/dicom_network/multipart_related.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  if (size < 2) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  const std::size_t eol = text.find('\n');
  const std::string header(text.substr(0, eol == std::string_view::npos ? text.size() : eol));
  const std::string_view body = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  const std::filesystem::path dir = fuzz::fresh_dir("parts");
  fuzz::expect_clean_refusal([&] {
    const io::MediaType type = io::parse_media_type(header);
    const auto b = type.params.find("boundary");
    int n = 0;
    io::MultipartSplitter splitter(b == type.params.end() ? std::string("B") : b->second,
                                   [&] { return dir / ("part" + std::to_string(n++)); }, 64);
    for (std::size_t at = 0; at < body.size(); at += chunk)
      splitter.feed(body.data() + at, std::min(chunk, body.size() - at));
    for (const auto& part : splitter.finish()) std::filesystem::remove(part.file);
  });
  return 0;
}
