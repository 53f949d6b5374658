#include "io/dicom_network/multipart_related.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/error.h"

namespace sirtkit::io {
namespace fs = std::filesystem;
namespace {


std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return {};
  const auto b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

// RFC 2045 5.1 token characters.
bool is_token_char(unsigned char c) { return c > 0x20 && c < 0x7F && std::string("()<>@,;:\\\"/[]?=").find(static_cast<char>(c)) == std::string::npos; }

// RFC 2046 5.1.1 bcharsnospace and space; 1 to 70 characters, not ending in a space.
bool valid_boundary(const std::string& b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  return std::all_of(b.begin(), b.end(), [](unsigned char c) { return std::isalnum(c) || std::string("'()+_,-./:=? ").find(static_cast<char>(c)) != std::string::npos; });
}

}  // namespace

MediaType parse_media_type(const std::string& header) {
  MediaType m;
  const auto bad = [&](const std::string& why) { fail_input("Content-Type", "media type", "(" + why + ")", "type/subtype; name=value; ... (RFC 2045 5.1)"); };
  std::size_t i = header.find(';');
  m.type = ascii_lower(trim(header.substr(0, i)));
  const auto slash = m.type.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == m.type.size() ||
      !std::all_of(m.type.begin(), m.type.end(), [](unsigned char c) { return c == '/' || is_token_char(c); }))
    bad("no type/subtype");
  while (i != std::string::npos) {
    ++i;
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
    if (i >= header.size()) break;
    const auto eq = header.find('=', i);
    if (eq == std::string::npos) bad("a parameter without '='");
    const std::string name = ascii_lower(trim(header.substr(i, eq - i)));
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) bad("a parameter name that is not a token");
    std::size_t j = eq + 1;
    std::string value;
    if (j < header.size() && header[j] == '"') {
      ++j;
      while (j < header.size() && header[j] != '"') {
        if (header[j] == '\\' && j + 1 < header.size()) ++j;
        value += header[j++];
      }
      if (j >= header.size()) bad("an unterminated quoted string");
      ++j;
      while (j < header.size() && (header[j] == ' ' || header[j] == '\t')) ++j;
      if (j < header.size() && header[j] != ';') bad("text after a quoted string");
      i = j < header.size() ? j : std::string::npos;
    } else {
      const auto semi = header.find(';', j);
      value = trim(header.substr(j, semi == std::string::npos ? std::string::npos : semi - j));
      i = semi;
    }
    m.params[name] = value;
  }
  return m;
}

MultipartSplitter::MultipartSplitter(std::string boundary, std::function<fs::path()> new_part_file, std::size_t max_parts)
    : delimiter_("\r\n--" + boundary), new_part_file_(std::move(new_part_file)), max_parts_(max_parts), buf_("\r\n") {
  if (!valid_boundary(boundary))
    fail_input("Content-Type", "boundary", "(" + std::to_string(boundary.size()) + " characters)",
               "1 to 70 characters of letters, digits and '()+_,-./:=? (RFC 2046 5.1.1)");
}

MultipartSplitter::~MultipartSplitter() {
  if (out_) std::fclose(out_);
  if (handed_over_) return;
  std::error_code ec;
  for (const auto& p : parts_) fs::remove(p.file, ec);
}

void MultipartSplitter::fail(const std::string& what, const std::string& expected) const {
  // consumed_ counts the two bytes "\r\n" put in front of the body.
  const std::uint64_t at = consumed_ >= 2 ? consumed_ - 2 : 0;
  fail_input("multipart body", what + " near byte " + std::to_string(at), "(malformed)", expected);
}

void MultipartSplitter::feed(const char* data, std::size_t n) {
  if (state_ == State::epilogue) return;  // RFC 2046: the epilogue is ignored
  buf_.append(data, n);
  process();
}

void MultipartSplitter::open_part() {
  if (parts_.size() >= max_parts_) fail("part " + std::to_string(parts_.size() + 1), "at most " + std::to_string(max_parts_) + " parts");
  MultipartPart p;
  p.file = new_part_file_();
  out_ = std::fopen(p.file.c_str(), "wb");
  if (!out_) fail_io(p.file.filename().string(), "cannot create the file of a part");
  parts_.push_back(std::move(p));
}

void MultipartSplitter::write_body(std::size_t n) {
  if (n == 0) return;
  if (std::fwrite(buf_.data(), 1, n, out_) != n) fail_io(parts_.back().file.filename().string(), "cannot write a part (disk full?)");
  parts_.back().bytes += n;
  buf_.erase(0, n);
  consumed_ += n;
}

void MultipartSplitter::process() {
  const auto drop = [&](std::size_t n) {
    buf_.erase(0, n);
    consumed_ += n;
  };
  while (true) {
    switch (state_) {
      case State::preamble: {
        const auto at = buf_.find(delimiter_);
        if (at == std::string::npos) {
          if (buf_.size() >= delimiter_.size()) drop(buf_.size() - (delimiter_.size() - 1));
          return;
        }
        drop(at + delimiter_.size());
        state_ = State::after_delimiter;
        break;
      }
      case State::after_delimiter: {
        if (buf_.size() < 2) return;
        if (buf_.compare(0, 2, "--") == 0) {
          if (out_) std::fclose(out_), out_ = nullptr;
          state_ = State::epilogue;
          consumed_ += buf_.size();
          buf_.clear();
          return;
        }
        const auto eol = buf_.find("\r\n");
        if (eol == std::string::npos) {
          if (buf_.size() > 1024) fail("the line after a boundary delimiter", "CRLF after the boundary (RFC 2046 5.1.1)");
          return;
        }
        if (buf_.find_first_not_of(" \t") < eol) fail("the line after a boundary delimiter", "only transport padding, then CRLF (RFC 2046 5.1.1)");
        drop(eol + 2);
        state_ = State::headers;
        break;
      }
      case State::headers: {
        std::size_t end = 0;
        if (buf_.size() >= 2 && buf_.compare(0, 2, "\r\n") == 0) {
          end = 0;  // a part without headers
        } else {
          end = buf_.find("\r\n\r\n");
          if (end == std::string::npos) {
            if (buf_.size() > kMaxHeaderBytes) fail("part headers", "at most " + std::to_string(kMaxHeaderBytes) + " bytes of headers");
            return;
          }
          end += 2;
        }
        if (end > kMaxHeaderBytes) fail("part headers", "at most " + std::to_string(kMaxHeaderBytes) + " bytes of headers");
        open_part();
        std::string name;
        std::size_t pos = 0;
        while (pos < end) {
          const auto eol = buf_.find("\r\n", pos);
          const std::string line = buf_.substr(pos, eol - pos);
          pos = eol + 2;
          if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !name.empty()) {
            std::string& value = parts_.back().headers[name];  // folded (RFC 5322 2.2.3)
            value += ' ';
            value += trim(line);
            continue;
          }
          const auto colon = line.find(':');
          if (colon == std::string::npos || colon == 0) fail("a part header", "Name: value");
          name = ascii_lower(trim(line.substr(0, colon)));
          parts_.back().headers[name] = trim(line.substr(colon + 1));
        }
        drop(end + 2);
        state_ = State::body;
        break;
      }
      case State::body: {
        const auto at = buf_.find(delimiter_);
        if (at == std::string::npos) {
          if (buf_.size() >= delimiter_.size()) write_body(buf_.size() - (delimiter_.size() - 1));
          return;
        }
        write_body(at);
        if (std::fclose(out_) != 0) {
          out_ = nullptr;
          fail_io(parts_.back().file.filename().string(), "cannot write a part (disk full?)");
        }
        out_ = nullptr;
        drop(delimiter_.size());
        state_ = State::after_delimiter;
        break;
      }
      case State::epilogue:
        buf_.clear();
        return;
    }
  }
}

std::vector<MultipartPart> MultipartSplitter::finish() {
  if (state_ != State::epilogue)
    fail(state_ == State::preamble ? "the body" : "the end of the body",
         state_ == State::preamble ? "a boundary delimiter \"--<boundary>\" (RFC 2046 5.1.1)" : "the closing delimiter \"--<boundary>--\" (truncated upload?)");
  handed_over_ = true;
  return parts_;
}

}  // namespace sirtkit::io
