#include "io/dicom/dicom_tags.h"

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

std::string shown_term(const std::string& value, std::initializer_list<const char*> known) {
  if (value.empty()) return "(missing)";
  for (const char* k : known)
    if (value == k) return value;
  return "(not a defined term)";
}

std::string shown_modality(const std::string& value) {
  // PS3.3 C.7.3.1.1.1 Modality defined terms (current and retired ones seen in archives).
  static const std::initializer_list<const char*> modalities{
      "AR", "ASMT", "AU", "BDUS", "BI", "BMD", "CR", "CT", "CTPROTOCOL", "DG", "DOC", "DX", "ECG", "EPS", "ES", "FID", "GM", "HC",
      "HD", "IO", "IOL", "IVOCT", "IVUS", "KER", "KO", "LEN", "LS", "MG", "MR", "M3D", "NM", "OAM", "OCT", "OP", "OPM", "OPT",
      "OPTBSV", "OPTENF", "OPV", "OSS", "OT", "PLAN", "POS", "PR", "PT", "PX", "REG", "RESP", "RF", "RG", "RTDOSE", "RTIMAGE",
      "RTINTENT", "RTPLAN", "RTRAD", "RTRECORD", "RTSEGANN", "RTSTRUCT", "RWV", "SEG", "SM", "SMR", "SR", "SRF", "STAIN",
      "TEXTUREMAP", "TG", "US", "VA", "XA", "XAPROTOCOL", "XC", "NM", "ST", "CD", "DD", "DS", "DM", "EC", "FA", "FS", "LP", "MA", "MS", "VF"};
  return shown_term(value, modalities) == value ? value : (value.empty() ? "(missing)" : "(another value)");
}

std::string shown_number(const std::string& value) {
  if (value.empty()) return "(empty)";
  if (value.size() > 64) return "(not a number)";
  for (char c : value)
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '\\' || c == ' ')) return "(not a number)";
  return value;
}

std::string shown_uid(const std::string& value) {
  if (value.empty()) return "(missing)";
  if (value.size() > 64) return "(not a UID)";
  for (char c : value)
    if (!((c >= '0' && c <= '9') || c == '.')) return "(not a UID)";
  return value;
}

}  // namespace sirtkit::io::dicom
