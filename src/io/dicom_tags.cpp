#include "io/dicom_tags.h"

#include <dcmtk/oflog/oflog.h>

#include <cstdio>

namespace sirtkit::io::dicom {
namespace {
// DCMTK logs warnings (e.g. a Type 2 attribute absent) and parse errors of
// non-DICOM files to stderr; sirtkit reports what matters as its own errors.
const bool quiet_dcmtk = [] {
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  return true;
}();
}  // namespace

std::string tag_name(const DcmTagKey& key) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "(%04X,%04X)", key.getGroup(), key.getElement());
  DcmTag tag(key);
  const char* name = tag.getTagName();
  if (name == nullptr || std::string(name) == "Unknown Tag & Data") return buf;
  return std::string(name) + " " + buf;
}

std::string get_string(DcmItem& item, const DcmTagKey& key, bool search_into_sub) {
  OFString value;
  // getOFStringArray returns all values joined by '\'; leading/trailing spaces removed.
  if (item.findAndGetOFStringArray(key, value, search_into_sub).bad()) return "";
  std::string s = value.c_str();
  const auto first = s.find_first_not_of(" \0", 0, 2);
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \0", std::string::npos, 2);
  return s.substr(first, last - first + 1);
}

std::vector<double> get_doubles(DcmItem& item, const DcmTagKey& key) {
  std::vector<double> out;
  DcmElement* element = nullptr;
  if (item.findAndGetElement(key, element).bad() || element == nullptr) return out;
  const unsigned long n = element->getVM();
  for (unsigned long i = 0; i < n; ++i) {
    Float64 v = 0;
    if (element->getFloat64(v, i).good()) {
      out.push_back(v);
      continue;
    }
    // IS and binary integers do not answer getFloat64; go through the string.
    OFString s;
    if (element->getOFString(s, i).good()) {
      try {
        out.push_back(std::stod(s.c_str()));
      } catch (...) {
        return {};
      }
    }
  }
  return out;
}

std::optional<double> get_double(DcmItem& item, const DcmTagKey& key) {
  const auto v = get_doubles(item, key);
  if (v.empty()) return std::nullopt;
  return v[0];
}

DcmItem* get_item(DcmItem& item, const DcmTagKey& sequence, int index) {
  DcmItem* out = nullptr;
  if (item.findAndGetSequenceItem(sequence, out, index).bad()) return nullptr;
  return out;
}

int item_count(DcmItem& item, const DcmTagKey& sequence) {
  DcmSequenceOfItems* seq = nullptr;
  if (item.findAndGetSequence(sequence, seq).bad() || seq == nullptr) return 0;
  return static_cast<int>(seq->card());
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

}  // namespace sirtkit::io::dicom
