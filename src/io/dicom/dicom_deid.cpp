#include "io/dicom/dicom_deid.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <cstdint>
#include <map>
#include <memory>
#include <set>

#include "core/atomic_file.h"
#include "core/date_time.h"
#include "core/error.h"
#include "core/input_file.h"
#include "core/text.h"
#include "core/version.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_pixels.h"
#include "io/dicom/dicom_unused_bits.h"
#include "io/dicom/dicom_tags.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using dicom::get_string;
using dicom::tag_name;

// How a whitelisted attribute is kept (see io/dicom/dicom_deid_whitelist.inc).
enum class How { value, date, time, dt, uid, cls, seq, label, pixels };

struct Allowed {
  DcmTagKey tag;
  How how;
};

const Allowed kWhitelist[] = {
#include "io/dicom/dicom_deid_whitelist.inc"
};

const std::map<DcmTagKey, How>& whitelist() {
  static const std::map<DcmTagKey, How> m = [] {
    std::map<DcmTagKey, How> out;
    for (const Allowed& a : kWhitelist) out[a.tag] = a.how;
    return out;
  }();
  return m;
}

// Sequences nested deeper than this are refused (the deepest whitelisted
// path, per-frame functional groups -> plane position, is 2 levels).
constexpr int kMaxDepth = 16;

std::string hmac(const std::string& key, const std::string& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
            message.size(), out, &len))
    throw Error(ErrorCategory::internal, "OpenSSL HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned char c : bytes) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

std::string civil(std::int64_t days) {
  // Howard Hinnant's civil_from_days, the inverse of core's days_from_civil.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y0 = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = y0 + (m <= 2);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(y), m, d);
  return buf;
}

bool all_of(const std::string& s, const char* allowed) {
  return std::all_of(s.begin(), s.end(), [&](char c) { return c != '\0' && std::strchr(allowed, c) != nullptr; });
}

std::vector<std::string> split_values(const std::string& v) {
  std::vector<std::string> out;
  std::string part;
  for (char c : v + "\\") {
    if (c != '\\') {
      part += c;
      continue;
    }
    out.push_back(trim(part));
    part.clear();
  }
  return out;
}

std::string join_values(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "\\" : "") + parts[i];
  return out;
}

// Shifts a DA value "YYYYMMDD" by `days`; "" when it is not a valid date.
std::string shift_date(const std::string& date, int days) {
  if (date.size() != 8 || !all_of(date, "0123456789")) return "";
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(date.substr(4, 2))), d = static_cast<unsigned>(std::stoi(date.substr(6, 2)));
  static const unsigned month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > month_days[m - 1]) return "";
  return civil(days_from_civil(y, m, d) + days);
}

// A DT "YYYYMMDD[HHMMSS[.F{1,6}]][&ZZXX]" with its date moved; "" when not valid.
std::string shift_datetime(const std::string& v, int days) {
  if (v.size() < 8) return "";
  const std::string date = shift_date(v.substr(0, 8), days);
  std::string rest = v.substr(8), offset;
  if (const auto sign = rest.find_first_of("+-"); sign != std::string::npos) {
    offset = rest.substr(sign);
    rest = rest.substr(0, sign);
    if (offset.size() != 5 || !all_of(offset.substr(1), "0123456789")) return "";
  }
  if (date.empty() || rest.size() > 13 || !all_of(rest, "0123456789.")) return "";
  return date + rest + offset;
}

// A TM value (PS3.5 6.2): HH[MM[SS[.F{1,6}]]] with HH < 24, MM < 60, SS < 61,
// or the retired HH:MM[:SS[.F]] form. A date or a number stored in a time
// attribute ("19370611" reads as hour 19, minute 37, second 06 and "11") fails.
bool is_time(std::string v) {
  if (v.find(':') != std::string::npos) {
    if (v.size() < 5 || v[2] != ':' || (v.size() > 5 && v[5] != ':')) return false;
    v.erase(std::remove(v.begin(), v.end(), ':'), v.end());
  }
  const std::string whole = v.substr(0, v.find('.'));
  const std::string fraction = v.find('.') == std::string::npos ? "" : v.substr(v.find('.') + 1);
  if (whole.empty() || whole.size() % 2 || whole.size() > 6 || !all_of(whole, "0123456789")) return false;
  if (v.find('.') != std::string::npos && (whole.size() != 6 || fraction.empty() || fraction.size() > 6 || !all_of(fraction, "0123456789")))
    return false;
  const int limits[] = {24, 60, 61};
  for (std::size_t i = 0; i < whole.size(); i += 2)
    if (std::stoi(whole.substr(i, 2)) >= limits[i / 2]) return false;
  return true;
}

// Upper-case alphanumeric words of at least `min_size` characters.
std::vector<std::string> words(const std::string& s, std::size_t min_size) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      continue;
    }
    if (w.size() >= min_size) out.push_back(w);
    w.clear();
  }
  return out;
}

bool is_string_vr(DcmEVR vr) {
  switch (vr) {
    case EVR_AE: case EVR_AS: case EVR_CS: case EVR_DA: case EVR_DS: case EVR_DT: case EVR_IS: case EVR_LO: case EVR_LT:
    case EVR_PN: case EVR_SH: case EVR_ST: case EVR_TM: case EVR_UC: case EVR_UI: case EVR_UR: case EVR_UT:
      return true;
    default: return false;
  }
}

bool is_binary_number_vr(DcmEVR vr) {
  switch (vr) {
    case EVR_US: case EVR_SS: case EVR_UL: case EVR_SL: case EVR_FL: case EVR_FD: case EVR_UV: case EVR_SV:
      return true;
    default: return false;
  }
}

// The actual VR may stand for the dictionary's: xs is US or SS, ox/px are OB or OW.
bool compatible(DcmEVR dict, DcmEVR actual) {
  if (dict == actual) return true;
  if (dict == EVR_xs || dict == EVR_lt) return actual == EVR_US || actual == EVR_SS || actual == EVR_OW;
  if (dict == EVR_ox || dict == EVR_px || dict == EVR_OW || dict == EVR_OB)
    return actual == EVR_OB || actual == EVR_OW || actual == EVR_ox || actual == EVR_px || actual == EVR_pixelSQ;
  return false;
}

// Identifying words of a file (person names anywhere, the Patient module,
// institution, station, accession, study, admission and request identifiers),
// gathered before filtering to screen the values that are kept.
const std::set<DcmTagKey>& identifying_attributes() {
  static const std::set<DcmTagKey> s{DCM_AccessionNumber,   DCM_InstitutionName,   DCM_InstitutionAddress,
                                     DCM_InstitutionalDepartmentName, DCM_StationName, DCM_StudyID,
                                     DCM_RequestedProcedureID, DCM_AdmissionID,    DCM_DeviceSerialNumber,
                                     DCM_PerformedProcedureStepID, DCM_ScheduledProcedureStepID, DCM_FillerOrderNumberImagingServiceRequest,
                                     DCM_PlacerOrderNumberImagingServiceRequest, DCM_RETIRED_MedicalRecordLocator};
  return s;
}

void gather_identifying_words(DcmItem& item, std::set<std::string>& out, int depth) {
  if (depth > kMaxDepth) return;
  for (unsigned long n = 0; n < item.card(); ++n) {
    DcmElement* e = item.getElement(n);
    const DcmTagKey tag = e->getTag();
    if (e->ident() == EVR_SQ) {
      auto& seq = static_cast<DcmSequenceOfItems&>(*e);
      for (unsigned long i = 0; i < seq.card(); ++i) gather_identifying_words(*seq.getItem(i), out, depth + 1);
      continue;
    }
    // Person names, and the short identifiers (not free text) of the Patient and Visit modules and the list above.
    const DcmEVR vr = e->ident();
    const bool short_id = vr == EVR_LO || vr == EVR_SH || vr == EVR_DA || vr == EVR_CS;
    if (vr != EVR_PN && !(short_id && (tag.getGroup() == 0x0010 || tag.getGroup() == 0x0038)) && identifying_attributes().count(tag) == 0)
      continue;
    OFString v;
    if (e->getOFStringArray(v).good())
      for (auto& w : words(v.c_str(), 3)) out.insert(w);
  }
}

struct Counts {
  int attributes_removed = 0, private_removed = 0, un_removed = 0, uids_replaced = 0, dates_shifted = 0, labels_replaced = 0;
  void add_to(DeidReport& r) const {
    r.attributes_removed += attributes_removed;
    r.private_removed += private_removed;
    r.un_removed += un_removed;
    r.uids_replaced += uids_replaced;
    r.dates_shifted += dates_shifted;
    r.labels_replaced += labels_replaced;
  }
};

struct Context {
  Context(const std::string& k, const DeidOptions& o) : key(k), options(o) {}
  const std::string& key;
  const DeidOptions& options;
  int shift_days = 0;
  std::set<std::string> identifying_words;
  std::vector<std::string> patient_digit_runs;  // never inside a pseudonymous UID
  Counts counts;
  std::string refusal;  // the first reason the file cannot be cleaned
  void refuse(const std::string& reason) {
    if (refusal.empty()) refusal = reason;
  }
};

std::string string_of(DcmElement& e) {
  OFString v;
  e.getOFStringArray(v);
  return v.c_str();
}

// True when a value kept as it is contains a word of the file's identifiers.
bool holds_identifier(const Context& ctx, const std::string& value, std::size_t min_size) {
  for (const auto& w : words(value, min_size))
    if (ctx.identifying_words.count(w)) return true;
  return false;
}

// ROI Name / Segment Label: kept only when it cannot carry an identifier.
bool label_is_safe(const Context& ctx, const std::string& v) {
  if (v.size() > 64) return false;
  for (char c : v)
    if (c < 0x20 || c > 0x7E || std::strchr("@^=#:/\\", c) != nullptr) return false;  // names, e-mail, URLs, ids
  int digits = 0;
  for (char c : v) {
    digits = std::isdigit(static_cast<unsigned char>(c)) ? digits + 1 : 0;
    if (digits >= 4) return false;  // dates, MRNs, phone numbers
  }
  static const std::set<std::string> person_words{"DR", "MR", "MRS", "MS", "MISS", "PROF", "MRN", "DOB", "PATIENT", "NAME", "ID", "SSN", "TEL", "PHONE"};
  for (const auto& w : words(v, 1))
    if (person_words.count(w)) return false;
  return !holds_identifier(ctx, v, 3);
}

std::string label_replacement(DcmItem& item, const DcmTagKey& tag) {
  const DcmTagKey number_tag = tag == DCM_ROIName ? DCM_ROINumber : DCM_SegmentNumber;
  const std::string number = get_string(item, number_tag);
  const std::string n = !number.empty() && number.size() <= 6 && all_of(number, "0123456789") ? number : "";
  return (tag == DCM_ROIName ? "ROI " : "SEGMENT ") + n;
}

std::string uid_replacement(Context& ctx, const std::string& value, bool class_uid) {
  std::vector<std::string> parts = split_values(value);
  for (auto& u : parts) {
    if (u.empty()) continue;
    if (class_uid && dcmFindNameOfUID(u.c_str(), nullptr) != nullptr) continue;  // a DICOM class, not an instance
    u = pseudonymous_uid(ctx.key, u, ctx.patient_digit_runs);
    ctx.counts.uids_replaced++;
  }
  return join_values(parts);
}

// Checks and rewrites one kept string value; false refuses the file.
bool keep_value(DcmElement& e, Context& ctx) {
  const DcmEVR vr = e.ident();
  if (!is_string_vr(vr)) return true;  // binary numbers, attribute tags, pixel words
  const std::string v = string_of(e), name = tag_name(e.getTag());
  for (const auto& part : split_values(v)) {
    bool ok = true;
    // CS (PS3.5 6.2): capitals, digits, space, underscore, 16 characters; lower
    // case and up to 32 characters are tolerated (seen in vendors' files), the
    // word screen below still applies.
    if (vr == EVR_CS)
      ok = part.size() <= 32 && all_of(part, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _");
    else if (vr == EVR_DS) ok = part.size() <= 64 && all_of(part, "0123456789+-.eE");
    else if (vr == EVR_IS) ok = part.size() <= 12 && all_of(part, "0123456789+-");
    else ok = false;  // a text VR under "value" is a whitelist error: refused, never kept
    if (!ok) {
      ctx.refuse(name + " does not hold a valid " + DcmVR(vr).getVRName() + " value");
      return false;
    }
  }
  // Coded strings could still spell a name from the file; numbers an identifier.
  if (holds_identifier(ctx, v, vr == EVR_CS ? 3 : 6)) {
    ctx.refuse(name + " holds a word of the file's identifiers");
    return false;
  }
  return true;
}

void filter_item(DcmItem& item, Context& ctx, int depth);

// Image Type (0008,0008) values 3 and on are often vendor text: only defined
// terms are kept (PS3.3 C.7.6.1.1.2, C.8.2.1.1.1 CT, C.8.4.8.1.3 NM, C.8.16.1
// enhanced); another value is emptied in place (the positions stay, so value 3
// of an NM image is still read as value 3).
void keep_defined_image_type(DcmElement& e) {
  static const std::set<std::string> terms{
      "ORIGINAL", "DERIVED", "PRIMARY", "SECONDARY", "AXIAL", "LOCALIZER", "REFORMATTED", "MPR", "MIP", "MINIP", "VOLUME",
      "PROJECTION IMAGE", "STATIC", "DYNAMIC", "GATED", "WHOLE BODY", "TOMO", "GATED TOMO", "RECON TOMO", "RECON GATED TOMO",
      "EMISSION", "TRANSMISSION", "ATTENUATION", "NONE", "MIXED", "SUBTRACTION", "RESAMPLED", "CURVED", "AVERAGE", "MONOENERGETIC",
      "ANGIO", "CARDIAC", "CARDIAC_GATED", "PERFUSION", "DIFFUSION", "FLUOROSCOPY", "HELICAL", "SEQUENCED", "CINE", "STATIONARY",
      "LABEL", "PHASE", "MAGNITUDE", "REAL", "IMAGINARY"};
  std::vector<std::string> parts = split_values(string_of(e));
  bool changed = false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string upper = parts[i];
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!parts[i].empty() && terms.count(upper) == 0) {
      parts[i].clear();
      changed = true;
    }
  }
  if (changed) e.putString(join_values(parts).c_str());
}

// Brings a whitelisted element to its dictionary VR: UN or another string VR
// is converted (its value is checked afterwards like any other); returns the
// element to keep, or nullptr when it was removed (or the file refused).
DcmElement* conform(DcmItem& item, unsigned long n, DcmElement* e, How how, Context& ctx) {
  const DcmTagKey tag = e->getTag();
  const DcmEVR actual = e->ident();
  const DcmEVR dict = DcmTag(tag).getEVR();
  if (how == How::pixels) {
    if (actual == EVR_UN) ctx.refuse(tag_name(tag) + " stored with VR UN");
    return actual == EVR_UN ? nullptr : e;
  }
  if (compatible(dict, actual)) return e;
  const bool from_string = is_string_vr(actual) || actual == EVR_UN;
  if (from_string && is_string_vr(dict)) {
    std::string v;
    if (actual == EVR_UN) {
      Uint8* bytes = nullptr;
      if (e->getUint8Array(bytes).good() && bytes != nullptr) v.assign(reinterpret_cast<const char*>(bytes), e->getLength());
    } else {
      v = string_of(*e);
    }
    DcmElement* converted = DcmItem::newDicomElement(tag);
    if (converted == nullptr || converted->putString(v.c_str()).bad()) {
      delete converted;
      ctx.refuse(tag_name(tag) + " cannot be converted to VR " + DcmVR(dict).getVRName());
      return nullptr;
    }
    delete item.remove(n);
    item.insert(converted);
    return converted;
  }
  if (actual == EVR_UN) {  // a sequence or binary value stored as UN: not parsed, removed
    delete item.remove(n);
    ctx.counts.un_removed++;
    return nullptr;
  }
  ctx.refuse(tag_name(tag) + std::string(" stored with VR ") + DcmVR(actual).getVRName() + ", expected " + DcmVR(dict).getVRName());
  return nullptr;
}

void apply(DcmItem& item, DcmElement& e, How how, Context& ctx, int depth) {
  const DcmTagKey tag = e.getTag();
  switch (how) {
    case How::pixels: return;
    case How::value:
      if (keep_value(e, ctx) && tag == DCM_ImageType) keep_defined_image_type(e);
      return;
    case How::uid:
    case How::cls: {
      const std::string v = string_of(e);
      const std::string r = uid_replacement(ctx, v, how == How::cls);
      if (r != v) e.putString(r.c_str());
      return;
    }
    case How::date: {
      std::vector<std::string> parts = split_values(string_of(e));
      for (auto& p : parts)
        if (!p.empty() && !(p = shift_date(p, ctx.shift_days)).empty()) ctx.counts.dates_shifted++;  // an invalid date is emptied
      e.putString(join_values(parts).c_str());
      return;
    }
    case How::dt: {
      std::vector<std::string> parts = split_values(string_of(e));
      for (auto& p : parts)
        if (!p.empty() && !(p = shift_datetime(p, ctx.shift_days)).empty()) ctx.counts.dates_shifted++;
      e.putString(join_values(parts).c_str());
      return;
    }
    case How::time: {
      std::vector<std::string> parts = split_values(string_of(e));
      for (auto& p : parts)
        if (!is_time(p)) p.clear();  // not a time (a date, a number, text): emptied
      e.putString(join_values(parts).c_str());
      return;
    }
    case How::label: {
      const std::string v = trim(string_of(e));
      if (!v.empty() && !label_is_safe(ctx, v)) {
        e.putString(label_replacement(item, tag).c_str());
        ctx.counts.labels_replaced++;
      }
      return;
    }
    case How::seq: {
      if (e.ident() != EVR_SQ) {
        ctx.refuse(tag_name(tag) + " is not a sequence");
        return;
      }
      auto& seq = static_cast<DcmSequenceOfItems&>(e);
      for (unsigned long i = 0; i < seq.card(); ++i) filter_item(*seq.getItem(i), ctx, depth + 1);
      return;
    }
  }
}

// Private attributes named by the options keep their numeric values; the
// others, and the creators no kept attribute needs, are removed.
void filter_private(DcmItem& item, Context& ctx) {
  std::map<std::pair<Uint16, Uint16>, std::string> creators;  // (group, block) -> creator
  for (unsigned long n = 0; n < item.card(); ++n) {
    const DcmTagKey t = item.getElement(n)->getTag();
    if (t.getGroup() % 2 == 1 && t.getElement() >= 0x10 && t.getElement() <= 0xFF)
      creators[{t.getGroup(), t.getElement()}] = trim(string_of(*item.getElement(n)));
  }
  std::set<std::pair<Uint16, Uint16>> needed;
  for (unsigned long n = item.card(); n-- > 0;) {
    DcmElement* e = item.getElement(n);
    const DcmTagKey t = e->getTag();
    if (t.getGroup() % 2 == 0 || (t.getElement() >= 0x10 && t.getElement() <= 0xFF)) continue;
    bool keep = false;
    if (t.getElement() > 0xFF) {
      const auto block = std::make_pair(t.getGroup(), static_cast<Uint16>(t.getElement() >> 8));
      const auto c = creators.find(block);
      for (const auto& p : ctx.options.keep_private)
        if (c != creators.end() && p.group == t.getGroup() && p.element == (t.getElement() & 0xFF) && p.creator == c->second)
          keep = true;
      // Only numbers: binary, or DS/IS that parse as such (never text, never UN).
      const DcmEVR vr = e->ident();
      if (keep && !is_binary_number_vr(vr)) {
        const std::string v = (vr == EVR_DS || vr == EVR_IS) ? string_of(*e) : "x";
        keep = !v.empty() && all_of(v, vr == EVR_DS ? "0123456789+-.eE \\" : "0123456789+- \\");
      }
      if (keep) needed.insert(block);
    }
    if (!keep) {
      delete item.remove(n);
      ctx.counts.private_removed++;
    }
  }
  for (unsigned long n = item.card(); n-- > 0;) {
    const DcmTagKey t = item.getElement(n)->getTag();
    const bool creator = t.getGroup() % 2 == 1 && t.getElement() >= 0x10 && t.getElement() <= 0xFF;
    if (creator && !needed.count({t.getGroup(), t.getElement()})) {
      delete item.remove(n);
      ctx.counts.private_removed++;
    }
  }
}

void filter_item(DcmItem& item, Context& ctx, int depth) {
  if (depth > kMaxDepth) {
    ctx.refuse("sequences nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  filter_private(item, ctx);
  for (unsigned long n = item.card(); n-- > 0;) {
    DcmElement* e = item.getElement(n);
    const DcmTagKey tag = e->getTag();
    if (tag.getGroup() % 2 == 1) continue;  // kept by filter_private
    const auto it = whitelist().find(tag);
    if (it == whitelist().end() || (it->second == How::pixels && depth > 0)) {
      (e->ident() == EVR_UN ? ctx.counts.un_removed : ctx.counts.attributes_removed)++;
      delete item.remove(n);
      continue;
    }
    e = conform(item, n, e, it->second, ctx);
    if (e != nullptr) apply(item, *e, it->second, ctx, depth);
  }
}

void put(DcmItem& item, const DcmTagKey& key, const std::string& value) { item.putAndInsertOFStringArray(key, value.c_str()); }

void mark_deidentified(DcmDataset& ds, const std::string& pseudonym) {
  // The pseudonym stands for Patient Name and ID (PS3.15 E.1-1 action Z allows a dummy value).
  put(ds, DCM_PatientName, pseudonym);
  put(ds, DCM_PatientID, pseudonym);
  // PS3.3 C.7.1.1 / PS3.15 E.1.1: Patient Identity Removed, the method and its codes (CID 7050).
  put(ds, DCM_PatientIdentityRemoved, "YES");
  put(ds, DCM_DeidentificationMethod,
      "sirtkit " + version() + " whitelist; PS3.15 E.1 Basic Profile; Retain Longitudinal Temporal Information Modified Dates; Patient Weight kept");
  const char* codes[][2] = {{"113100", "Basic Application Confidentiality Profile"},
                            {"113107", "Retain Longitudinal Temporal Information Modified Dates Option"}};
  for (int i = 0; i < 2; ++i) {
    DcmItem* code = nullptr;
    ds.findOrCreateSequenceItem(DCM_DeidentificationMethodCodeSequence, code, i);
    put(*code, DCM_CodeValue, codes[i][0]);
    put(*code, DCM_CodingSchemeDesignator, "DCM");
    put(*code, DCM_CodeMeaning, codes[i][1]);
  }
  // PS3.3 C.7.6.1 / C.12.1: dates were modified.
  put(ds, DCM_LongitudinalTemporalInformationModified, "MODIFIED");
}

// The one call that reads an input file (to become the guarded reader's).
// Returns false when the file is not DICOM; throws nothing that names it.
enum class Read { ok, not_dicom, malformed };
// `reason` says why a malformed file is refused, without its name.
Read read_input(const fs::path& path, std::unique_ptr<DcmFileFormat>& file, std::string& reason) {
  // Not DICOM at all (no preamble, no raw dataset start): a README, skipped.
  if (!looks_like_dicom(path)) return Read::not_dicom;
  // Elements stored with VR UN in an explicit VR file are re-read with their
  // dictionary VR (a UN sequence is parsed as one: its items are then
  // filtered like any other); what stays UN is removed by the filter. The
  // flag is DCMTK's global: set for this read only.
  struct UnknownVrConversion {
    const OFBool before = dcmEnableUnknownVRConversion.get();
    UnknownVrConversion() { dcmEnableUnknownVRConversion.set(OFTrue); }
    ~UnknownVrConversion() { dcmEnableUnknownVRConversion.set(before); }
  } conversion;
  // The guarded reader (io/dicom/dicom_guard.h): its bounded pre-scan first, so
  // DCMTK's recursive parser never sees thousands of nested sequences. Its
  // message names the file (which may name the patient): only the reason is kept.
  try {
    file = read_dicom_guarded(path);
  } catch (const Error& e) {
    const std::string label = dicom_file_label(path) + ": ", what = e.what();
    reason = what.rfind(label, 0) == 0 ? what.substr(label.size()) : "not a readable DICOM file";
    if (reason.find(path.filename().string()) != std::string::npos) reason = "not a readable DICOM file";
    return Read::malformed;
  }
  if (file->getDataset()->card() == 0) {
    reason = "an empty dataset";
    return Read::malformed;
  }
  return Read::ok;
}

// The message of an Error raised with `where` = "input #i", without that prefix.
std::string reason_of(const Error& e, const std::string& where) {
  std::string reason = e.what();
  if (reason.rfind(where + ": ", 0) == 0) reason = reason.substr(where.size() + 2);
  return reason;
}

// The Image Pixel module of a file with pixel data, checked as io/dicom_pixels
// checks it before any decoding, and the length of native pixel data: "" when
// consistent, else the reason (which names attributes, never a value of the
// file). A SEG's frames are 1-bit (BINARY) or 8-bit (FRACTIONAL), PS3.3 C.8.20.2.
// deid copies pixel data without decoding it; a file whose pixel module does
// not describe its pixel data is refused, never copied.
std::string pixel_problem(DcmFileFormat& file, const std::string& sop_class, std::size_t index) {
  DcmDataset& ds = *file.getDataset();
  const bool pixels = ds.tagExists(DCM_PixelData), other_pixels = ds.tagExists(DCM_FloatPixelData) || ds.tagExists(DCM_DoubleFloatPixelData);
  if (!pixels && !other_pixels) {
    if (ds.tagExists(DCM_Rows) || ds.tagExists(DCM_Columns)) return tag_name(DCM_PixelData) + " is missing where Rows/Columns describe an image";
    return "";
  }
  if (other_pixels) return "float pixel data (7FE0,0008/0009) is not de-identified by sirtkit";
  const std::string where = "input #" + std::to_string(index);
  try {
    std::uint64_t expected = 0;
    bool encapsulated = false;
    if (sop_class == UID_SegmentationStorage) {
      const auto u16 = [&](const DcmTagKey& k) {
        Uint16 v = 0;
        if (ds.findAndGetUint16(k, v).bad()) fail_input(where, tag_name(k), "(missing or not VR US)", "one value of VR US (PS3.3 C.8.20.2)");
        return v;
      };
      const Uint16 rows = u16(DCM_Rows), columns = u16(DCM_Columns), samples = u16(DCM_SamplesPerPixel), bits = u16(DCM_BitsAllocated);
      if (samples != 1) fail_input(where, tag_name(DCM_SamplesPerPixel), std::to_string(samples), "1 (PS3.3 C.8.20.2)");
      if (bits != 1 && bits != 8) fail_input(where, tag_name(DCM_BitsAllocated), std::to_string(bits), "1 (BINARY) or 8 (FRACTIONAL)");
      if (get_string(ds, DCM_PhotometricInterpretation) != "MONOCHROME2")
        fail_input(where, tag_name(DCM_PhotometricInterpretation), "not MONOCHROME2", "MONOCHROME2 (PS3.3 C.8.20.2)");
      const std::uint64_t values = std::uint64_t(rows) * columns * std::uint64_t(dicom::number_of_frames(ds, where));
      expected = bits == 1 ? (values + 7) / 8 : values;
      encapsulated = DcmXfer(ds.getOriginalXfer()).isEncapsulated();
    } else {
      const dicom::PixelModule m = dicom::check_pixel_module(file, where);
      expected = std::uint64_t(m.rows) * std::uint64_t(m.columns) * std::uint64_t(m.frames) * std::uint64_t(m.bits_allocated / 8);
      encapsulated = DcmXfer(m.transfer_syntax_uid.c_str()).isEncapsulated();
    }
    DcmElement* e = nullptr;
    if (!encapsulated && ds.findAndGetElement(DCM_PixelData, e).good() && e != nullptr) {
      // PS3.5 8.1.1: an odd length is padded by one byte (a 1-bit SEG may pad more to the even length).
      const std::uint64_t length = e->getLength();
      if (length < expected || length > expected + 1)
        fail_input(where, tag_name(DCM_PixelData), std::to_string(length) + " bytes",
                   std::to_string(expected) + " bytes, as Rows x Columns x Number of Frames x Bits Allocated give");
    }
  } catch (const Error& e) {
    return "pixel module: " + reason_of(e, where);
  }
  return "";
}

// After filtering (values brought to their dictionary VR): the Modality LUT
// of an image, as io/dicom_pixels reads it (DS, one finite value, a non-zero
// slope); "" when sound.
std::string rescale_problem(DcmDataset& ds, std::size_t index) {
  if (!ds.tagExists(DCM_PixelData)) return "";
  const std::string where = "input #" + std::to_string(index);
  try {
    double slope = 1, intercept = 0;
    dicom::read_rescale(ds, where, slope, intercept);
  } catch (const Error& e) {
    return reason_of(e, where);
  }
  return "";
}

// The 128-byte preamble (PS3.10 7.1) is free for applications and DCMTK
// writes the one it read: set to zeros, as PS3.10 says when it is unused.
void zero_preamble(const fs::path& file, std::size_t index) {
  FILE* f = std::fopen(file.c_str(), "r+b");
  bool ok = f != nullptr;
  if (ok) {
    char head[132] = {};
    ok = std::fread(head, 1, sizeof head, f) == sizeof head && std::memcmp(head + 128, "DICM", 4) == 0;
    const char zeros[128] = {};
    ok = ok && std::fseek(f, 0, SEEK_SET) == 0 && std::fwrite(zeros, 1, sizeof zeros, f) == sizeof zeros;
    ok = (std::fclose(f) == 0) && ok;
  }
  if (!ok) fail_io("deid", "cannot clear the preamble of the de-identified file of input #" + std::to_string(index));
}

bool is_pseudonym_name(const std::string& s) {
  return s.size() == 21 && s[0] == 'P' && all_of(s.substr(1), "0123456789abcdef");
}

// True when `p` (after resolving links and dot-dot) lies inside `root`.
bool inside(const fs::path& root, const fs::path& p) {
  const fs::path r = fs::weakly_canonical(root), c = fs::weakly_canonical(p);
  auto ri = r.begin(), ci = c.begin();
  for (; ri != r.end(); ++ri, ++ci)
    if (ci == c.end() || *ri != *ci) return false;
  return ci != c.end();
}

// The temporary output folder: removed unless committed.
class StagingFolder {
 public:
  explicit StagingFolder(const fs::path& out) : out_(out) {
    unsigned char r[8];
    if (RAND_bytes(r, sizeof r) != 1) throw Error(ErrorCategory::internal, "OpenSSL RAND_bytes failed");
    path_ = out.parent_path() / ("." + out.filename().string() + ".deid-" + hex(std::string(reinterpret_cast<char*>(r), sizeof r)));
    std::error_code ec;
    fs::create_directories(path_, ec);
    if (ec) fail_io("deid", "cannot create the temporary output folder beside OUT_DIR: " + ec.message());
  }
  ~StagingFolder() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void commit() {
    std::error_code ec;
    if (fs::exists(out_, ec)) fs::remove(out_, ec);  // absent or empty, checked before
    fs::rename(path_, out_, ec);
    if (ec) fail_io("deid", "cannot rename the temporary output folder to OUT_DIR: " + ec.message());
    committed_ = true;
  }

 private:
  fs::path out_, path_;
  bool committed_ = false;
};

std::vector<fs::path> input_files(const fs::path& in_dir) {
  std::vector<fs::path> paths;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(in_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) paths.push_back(it->path());
  }
  // The message of a filesystem error names the path: not repeated (it may name a patient).
  if (ec) fail_io("deid", "cannot list the input folder IN_DIR: " + ec.message());
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

std::string read_deid_key(const fs::path& path) {
  require_input_file(path, "key file");
  std::string key = read_text_file(path);
  if (!key.empty() && key.back() == '\n') key.pop_back();
  if (!key.empty() && key.back() == '\r') key.pop_back();
  if (key.size() < 32)
    fail_input(path.string(), "key length", std::to_string(key.size()) + " bytes",
               "at least 32 bytes (RFC 2104: a key shorter than the SHA-256 output weakens HMAC)");
  return key;
}

namespace {
std::string uid_of_hmac(const std::string& key, const std::string& uid) {
  const std::string h = hmac(key, "sirtkit/uid/v1:" + uid);
  unsigned __int128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | static_cast<unsigned char>(h[i]);
  std::string digits;
  do {
    digits += static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  std::reverse(digits.begin(), digits.end());
  return "2.25." + digits;
}
}  // namespace

std::string pseudonymous_uid(const std::string& key, const std::string& uid, const std::vector<std::string>& avoid) {
  auto contains_avoided = [&](const std::string& u) {
    return std::any_of(avoid.begin(), avoid.end(), [&](const std::string& a) { return !a.empty() && u.find(a) != std::string::npos; });
  };
  std::string u = uid_of_hmac(key, uid);
  for (int n = 1; contains_avoided(u); ++n) u = uid_of_hmac(key, uid + "#" + std::to_string(n));
  return u;
}

std::vector<std::string> patient_digit_runs(const std::vector<std::string>& patient_values) {
  constexpr std::size_t min_digits = 6;  // dates (YYYYMMDD) and record numbers; shorter runs occur by chance too often to avoid
  std::vector<std::string> runs;
  for (const std::string& v : patient_values) {
    std::string run;
    for (std::size_t i = 0; i <= v.size(); ++i) {
      if (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
        run += v[i];
        continue;
      }
      if (run.size() >= min_digits) runs.push_back(run);
      run.clear();
    }
  }
  return runs;
}

std::string patient_pseudonym(const std::string& key, const std::string& patient_id) {
  // Appended, not "literal" + string: GCC 12 warns falsely (-Wrestrict) on the latter.
  std::string message = "sirtkit/patient/v1:";
  message += trim(patient_id);
  std::string pseudonym = "P";
  pseudonym += hex(hmac(key, message)).substr(0, 20);
  return pseudonym;
}

int patient_date_shift_days(const std::string& key, const std::string& patient_id) {
  const std::string h = hex(hmac(key, "sirtkit/date-shift/v1:" + trim(patient_id)));
  const unsigned long v = std::stoul(h.substr(0, 8), nullptr, 16);
  const int r = static_cast<int>(v % 730);
  return r < 365 ? r - 365 : r - 364;
}

PrivateAttribute parse_private_attribute(const std::string& spec) {
  const auto c1 = spec.find(','), c2 = c1 == std::string::npos ? c1 : spec.find(',', c1 + 1);
  const std::string expected = "GGGG,xxEE,CREATOR with GGGG an odd hexadecimal group and EE a hexadecimal element byte";
  if (c2 == std::string::npos) fail_input("--keep-private", "value", spec, expected);
  const std::string g = spec.substr(0, c1), e = spec.substr(c1 + 1, c2 - c1 - 1), creator = trim(spec.substr(c2 + 1));
  const char* hexdigits = "0123456789abcdefABCDEF";
  if (g.size() != 4 || !all_of(g, hexdigits) || e.size() != 4 || (e[0] != 'x' && e[0] != 'X') || (e[1] != 'x' && e[1] != 'X') ||
      !all_of(e.substr(2), hexdigits) || creator.empty())
    fail_input("--keep-private", "value", spec, expected);
  PrivateAttribute p;
  p.group = static_cast<std::uint16_t>(std::stoul(g, nullptr, 16));
  p.element = static_cast<std::uint8_t>(std::stoul(e.substr(2), nullptr, 16));
  p.creator = creator;
  if (p.group % 2 == 0 || p.group < 0x0009) fail_input("--keep-private", "group", g, "an odd group from 0009");
  return p;
}

std::string burned_in_text_reason(const std::string& sop_class, const std::string& modality, const std::string& burned_in,
                                  const std::string& image_type, bool has_conversion_type) {
  if (burned_in == "YES") return "Burned In Annotation (0028,0301) is YES";
  // SOP classes whose pixels routinely carry text (PS3.4 B.5): secondary
  // capture (…1.7.*), ultrasound (…1.6.*, …1.3.1), visible light and video
  // (…1.77.1.*), encapsulated documents (…1.104.*).
  static const std::pair<const char*, const char*> classes[] = {
      {"1.2.840.10008.5.1.4.1.1.7", "secondary capture"},    {"1.2.840.10008.5.1.4.1.1.6.", "ultrasound"},
      {"1.2.840.10008.5.1.4.1.1.3.1", "ultrasound multi-frame"}, {"1.2.840.10008.5.1.4.1.1.6", "ultrasound (retired)"},
      {"1.2.840.10008.5.1.4.1.1.3", "ultrasound multi-frame (retired)"}, {"1.2.840.10008.5.1.4.1.1.77.1", "visible light or video"},
      {"1.2.840.10008.5.1.4.1.1.104", "encapsulated document"}};
  for (const auto& [prefix, what] : classes) {
    const std::string p = prefix;
    const bool exact_or_child = sop_class == p || (sop_class.rfind(p, 0) == 0 && (p.back() == '.' || sop_class[p.size()] == '.'));
    if (exact_or_child) return std::string("SOP class is ") + what + ", which may carry burned-in text";
  }
  // Modalities whose images are photographs, screen captures or ultrasound.
  static const std::set<std::string> modalities{"US", "IVUS", "OT", "XC", "ES", "GM", "SM", "DOC", "VA"};
  if (modalities.count(modality)) return "modality " + modality + " may carry burned-in text";
  const std::vector<std::string> type = split_values(image_type);
  for (const auto& w : type)
    if (w.find("SAVE") != std::string::npos || w.find("SCREEN") != std::string::npos)
      return "Image Type (0008,0008) marks a screen save";
  // A SECONDARY image (PS3.3 C.7.6.1.1.2 value 2: created after the
  // acquisition, e.g. a capture or a report page) may carry text in its
  // pixels unless its creator declared otherwise (PS3.15 E.1.1: the profile
  // cannot be met for burned-in text; CTP blocks such files in its filter).
  if (type.size() >= 2 && type[1] == "SECONDARY" && burned_in != "NO")
    return "Image Type (0008,0008) is SECONDARY and Burned In Annotation (0028,0301) is not NO";
  if (has_conversion_type) return "Conversion Type (0008,0064) marks a secondary capture";
  return "";
}

std::vector<WhitelistEntry> deid_whitelist() {
  static const char* names[] = {"value", "date", "time", "dt", "uid", "cls", "seq", "label", "pixels"};
  std::vector<WhitelistEntry> out;
  for (const Allowed& a : kWhitelist) out.push_back({a.tag.getGroup(), a.tag.getElement(), names[static_cast<int>(a.how)]});
  return out;
}

bool is_safe_uid_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || !all_of(name, "0123456789.")) return false;
  for (const auto& c : [&] {
         std::vector<std::string> parts;
         std::string p;
         for (char ch : name + ".") {
           if (ch == '.') parts.push_back(p), p.clear();
           else p += ch;
         }
         return parts;
       }())
    if (c.empty() || (c.size() > 1 && c[0] == '0')) return false;
  return true;
}

DeidReport deidentify_folder(const fs::path& in_dir, const fs::path& out_dir, const std::string& key, const DeidOptions& options) {
  // Neither folder is named in a message: either may be named after a patient.
  std::error_code ec;
  if (!fs::is_directory(in_dir, ec)) fail_io("deid", "the input folder IN_DIR does not exist or is not a folder");
  fs::path out = fs::absolute(out_dir, ec).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();
  if (fs::exists(out, ec) && (!fs::is_directory(out, ec) || !fs::is_empty(out, ec)))
    fail_input("deid", "OUT_DIR", "(not empty)", "an absent or empty folder (de-identified files are never mixed with others)");
  const std::vector<fs::path> paths = input_files(in_dir);

  DeidReport report;
  report.inputs = paths.size();
  StagingFolder staging(out);
  std::map<std::string, std::size_t> instances;  // new SOP Instance UID -> input index
  for (std::size_t index = 0; index < paths.size(); ++index) {
    const auto refuse = [&](const std::string& reason) { report.refused.push_back({index, reason}); };
    std::unique_ptr<DcmFileFormat> file_read;
    std::string unreadable;
    const Read read = read_input(paths[index], file_read, unreadable);
    if (read == Read::not_dicom) {
      report.skipped_not_dicom++;
      continue;
    }
    if (read == Read::malformed) {
      refuse(unreadable);
      continue;
    }
    DcmFileFormat& file = *file_read;
    DcmDataset& ds = *file.getDataset();
    const std::string sop_class = get_string(ds, DCM_SOPClassUID);
    if (sop_class.empty()) {
      report.skipped_not_dicom++;  // e.g. a DICOMDIR: no composite instance
      continue;
    }
    DcmElement* conversion = nullptr;
    const std::string burned = burned_in_text_reason(sop_class, get_string(ds, DCM_Modality), get_string(ds, DCM_BurnedInAnnotation),
                                                     get_string(ds, DCM_ImageType),
                                                     ds.findAndGetElement(DCM_ConversionType, conversion).good());
    if (!burned.empty()) {
      refuse(burned);
      continue;
    }
    if (const std::string problem = pixel_problem(file, sop_class, index); !problem.empty()) {
      refuse(problem);
      continue;
    }
    // An overlay hidden in the unused high bits of the pixel words (PS3.5 8.1.2,
    // retired) would travel with the copy: those bits are rewritten.
    if (ds.tagExists(DCM_PixelData) && sop_class != UID_SegmentationStorage) {
      const std::string where = "input #" + std::to_string(index);
      try {
        report.pixel_samples_cleaned += dicom::clear_unused_pixel_bits(ds, dicom::check_pixel_module(file, where), where);
      } catch (const Error& e) {
        refuse("pixel data: " + reason_of(e, where));
        continue;
      }
    }
    std::string patient = get_string(ds, DCM_PatientID);
    if (patient.empty()) patient = get_string(ds, DCM_PatientName) + "/" + get_string(ds, DCM_PatientBirthDate);
    Context ctx(key, options);
    ctx.shift_days = patient_date_shift_days(key, patient);
    gather_identifying_words(ds, ctx.identifying_words, 0);
    ctx.patient_digit_runs = patient_digit_runs({get_string(ds, DCM_PatientID), get_string(ds, DCM_RETIRED_OtherPatientIDs),
                                                 get_string(ds, DCM_PatientName), get_string(ds, DCM_PatientBirthDate)});
    const std::string pseudonym = patient_pseudonym(key, patient);
    filter_item(ds, ctx, 0);
    if (ctx.refusal.empty()) ctx.refusal = rescale_problem(ds, index);
    if (!ctx.refusal.empty()) {
      refuse(ctx.refusal);
      continue;
    }
    mark_deidentified(ds, pseudonym);

    const std::string series = get_string(ds, DCM_SeriesInstanceUID), instance = get_string(ds, DCM_SOPInstanceUID);
    if (instance.empty() || series.empty()) {
      refuse(instance.empty() ? "no SOP Instance UID" : "no Series Instance UID");
      continue;
    }
    // Names come from the new UIDs only; checked all the same.
    if (!is_safe_uid_name(series) || !is_safe_uid_name(instance) || !is_pseudonym_name(pseudonym))
      throw Error(ErrorCategory::internal, "deid: a generated output name is not a plain UID");
    if (const auto [it, fresh] = instances.emplace(instance, index); !fresh) {
      refuse("same SOP Instance UID as input #" + std::to_string(it->second) + " (not overwritten)");
      continue;
    }
    const fs::path relative = fs::path(pseudonym) / series / (instance + ".dcm");
    const fs::path target = staging.path() / relative;
    if (!inside(staging.path(), target)) throw Error(ErrorCategory::internal, "deid: an output name leaves the output folder");
    fs::create_directories(target.parent_path(), ec);
    // A new File Meta Information (PS3.10 7.1) from the cleaned dataset: no
    // source AE title or private meta attributes survive.
    file.getMetaInfo()->clear();
    const E_TransferSyntax xfer = ds.getOriginalXfer() == EXS_Unknown ? EXS_LittleEndianExplicit : ds.getOriginalXfer();
    const OFCondition c = file.saveFile(target.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_createNewMeta);
    if (c.bad()) fail_io("deid", "cannot write a de-identified file for input #" + std::to_string(index) + ": " + c.text());
    zero_preamble(target, index);
    ctx.counts.add_to(report);
    report.written.push_back(out / relative);
    report.files_written++;
  }
  if (!report.refused.empty() && !options.skip_refused) {
    std::string msg = "deid: " + std::to_string(report.refused.size()) + " of " + std::to_string(paths.size()) +
                      " input file(s) refused, nothing written (--skip-refused writes the others):";
    for (std::size_t i = 0; i < report.refused.size() && i < 20; ++i)
      msg += "\n  input #" + std::to_string(report.refused[i].input) + ": " + report.refused[i].reason;
    if (report.refused.size() > 20) msg += "\n  ...";
    fail_input(msg);
  }
  staging.commit();
  return report;
}

}  // namespace sirtkit::io
