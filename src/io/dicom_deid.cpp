#include "io/dicom_deid.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "core/atomic_file.h"
#include "core/date_time.h"
#include "core/error.h"
#include "core/text.h"
#include "io/csv_table.h"
#include "io/dicom_tags.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using dicom::get_string;
using dicom::tag_name;

const char kTableCsv[] =
#include "io/dicom_deid_table.inc"
    ;

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


// One row of Table E.1-1: a tag (with xx wildcards as masks) and its actions.
struct Rule {
  std::uint16_t group = 0, group_mask = 0xFFFF, element = 0, element_mask = 0xFFFF;
  std::string keyword, basic, modified_dates;
};

std::uint16_t parse_hex(const std::string& s, std::uint16_t& mask) {
  std::uint16_t v = 0;
  mask = 0;
  for (char c : s) {
    v <<= 4;
    mask <<= 4;
    if (c == 'x' || c == 'X') continue;
    v |= static_cast<std::uint16_t>(std::stoi(std::string(1, c), nullptr, 16));
    mask |= 0xF;
  }
  return v;
}

const std::vector<Rule>& rules() {
  static const std::vector<Rule> table = [] {
    const CsvTable csv = CsvTable::parse(kTableCsv, "PS3.15 Table E.1-1 (embedded)");
    const std::size_t tag = csv.column_index("tag"), basic = csv.column_index("basic_profile"),
                      dates = csv.column_index("rtn_long_modified_dates"), kw = csv.column_index("keyword_approx");
    std::vector<Rule> out;
    for (std::size_t r = 0; r < csv.rows(); ++r) {
      const std::string t = csv.cell(r, tag);
      // "(gggg,eeee)"; the private-attribute row "(gggg,eeee) where gggg is odd" is handled on its own.
      if (t.size() != 11 || t[0] != '(' || t[5] != ',' || t[10] != ')') continue;
      Rule rule;
      rule.group = parse_hex(t.substr(1, 4), rule.group_mask);
      rule.element = parse_hex(t.substr(6, 4), rule.element_mask);
      rule.keyword = csv.cell(r, kw);
      rule.basic = csv.cell(r, basic);
      rule.modified_dates = csv.cell(r, dates);
      out.push_back(rule);
    }
    return out;
  }();
  return table;
}

const Rule* rule_for(const DcmTagKey& key) {
  static const std::map<std::uint32_t, const Rule*> exact = [] {
    std::map<std::uint32_t, const Rule*> m;
    for (const Rule& r : rules())
      if (r.group_mask == 0xFFFF && r.element_mask == 0xFFFF) m[(std::uint32_t(r.group) << 16) | r.element] = &r;
    return m;
  }();
  const auto it = exact.find((std::uint32_t(key.getGroup()) << 16) | key.getElement());
  if (it != exact.end()) return it->second;
  for (const Rule& r : rules())
    if ((key.getGroup() & r.group_mask) == r.group && (key.getElement() & r.element_mask) == r.element) return &r;
  return nullptr;
}

// UIDs that name a class or a coding scheme, not an instance: never replaced.
bool is_class_uid_attribute(const DcmTagKey& key) {
  static const std::set<DcmTagKey> keep{DCM_SOPClassUID,         DCM_ReferencedSOPClassUID, DCM_MediaStorageSOPClassUID,
                                        DCM_TransferSyntaxUID,   DCM_CodingSchemeUID,       DCM_ContextUID,
                                        DCM_MappingResourceUID,  DCM_RelatedGeneralSOPClassUID, DCM_OriginalSpecializedSOPClassUID,
                                        DCM_SOPClassesInStudy,   DCM_ReferencedSOPClassUIDInFile, DCM_ReferencedTransferSyntaxUIDInFile,
                                        DCM_ImplementationClassUID, DCM_ContextGroupExtensionCreatorUID};
  return keep.count(key) > 0;
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

// Shifts a DA value "YYYYMMDD" by `days`; "" when it is not a valid date.
std::string shift_date(const std::string& date, int days) {
  if (date.size() < 8 || !std::all_of(date.begin(), date.begin() + 8, ::isdigit)) return "";
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(date.substr(4, 2))), d = static_cast<unsigned>(std::stoi(date.substr(6, 2)));
  if (m < 1 || m > 12 || d < 1 || d > 31) return "";
  return civil(days_from_civil(y, m, d) + days);
}

struct Context {
  std::string key;
  int shift_days = 0;
  std::string patient_pseudonym;
  DeidReport* report = nullptr;
};

std::string uid_value(const Context& ctx, const std::string& value) {
  // Multi-valued UI: each value on its own.
  std::string out, part;
  std::string v = value + "\\";
  for (char c : v) {
    if (c != '\\') {
      part += c;
      continue;
    }
    const std::string u = trim(part);
    std::string r = u;
    if (!u.empty() && u.rfind("1.2.840.10008.", 0) != 0) r = pseudonymous_uid(ctx.key, u);
    out += (out.empty() ? "" : "\\") + r;
    part.clear();
  }
  return out;
}

void replace_uid(DcmElement& e, Context& ctx) {
  OFString value;
  if (e.getOFStringArray(value).bad() || value.empty()) return;
  const std::string replaced = uid_value(ctx, value.c_str());
  if (replaced != value.c_str()) {
    e.putString(replaced.c_str());
    ctx.report->uids_replaced++;
  }
}

// Dummy value of a VR (PS3.15 E.3.1 action D: "a non-zero length value that may be a dummy value").
std::string dummy(DcmEVR vr) {
  switch (vr) {
    case EVR_PN: return "ANONYMOUS";
    case EVR_DA: return "19000101";
    case EVR_TM: return "000000";
    case EVR_DT: return "19000101000000";
    case EVR_AS: return "000D";
    case EVR_IS:
    case EVR_DS: return "0";
    case EVR_AE:
    case EVR_CS:
    case EVR_LO:
    case EVR_SH:
    case EVR_LT:
    case EVR_ST:
    case EVR_UT:
    case EVR_UC: return "ANONYMIZED";
    default: return "";
  }
}

void clean_item(DcmItem& item, Context& ctx);

void recurse(DcmElement& e, Context& ctx) {
  if (e.ident() != EVR_SQ) return;
  auto& seq = static_cast<DcmSequenceOfItems&>(e);
  for (unsigned long i = 0; i < seq.card(); ++i) clean_item(*seq.getItem(i), ctx);
}

// Action C under the Modified Dates option (PS3.15 E.3.6): dates move by
// the patient's shift, times stay (a whole number of days keeps the clock time).
void clean_date(DcmElement& e, Context& ctx) {
  OFString value;
  e.getOFStringArray(value);
  const std::string v = trim(value.c_str());
  const DcmEVR vr = e.ident();
  if (vr == EVR_TM || v.empty()) return;
  if (vr == EVR_DA || vr == EVR_DT) {
    std::string shifted = shift_date(v.substr(0, std::min<std::size_t>(8, v.size())), ctx.shift_days);
    if (!shifted.empty() && vr == EVR_DT) shifted += v.substr(8);
    e.putString(shifted.c_str());
    ctx.report->dates_shifted++;
    return;
  }
  e.putString("");  // anything else marked C (e.g. a time zone offset) is emptied
  ctx.report->attributes_replaced++;
}

void clean_item(DcmItem& item, Context& ctx) {
  for (unsigned long n = item.card(); n-- > 0;) {
    DcmElement* e = item.getElement(n);
    const DcmTagKey key = e->getTag();
    if (key == DCM_PixelData) continue;  // pixel data is kept as it is
    // Private attributes: X (PS3.15 Table E.1-1 last row; E.3.10 the option to retain them is not used).
    if (key.getGroup() % 2 == 1) {
      delete item.remove(n);
      ctx.report->private_removed++;
      continue;
    }
    const Rule* rule = rule_for(key);
    const DcmEVR vr = e->ident();
    if (rule == nullptr) {
      if (vr == EVR_UI && !is_class_uid_attribute(key)) replace_uid(*e, ctx);
      // Dates the 2020 table does not list (e.g. Structure Set Date (3006,0008))
      // still identify: they move with the patient's shift like the listed ones.
      if (vr == EVR_DA || vr == EVR_DT) clean_date(*e, ctx);
      recurse(*e, ctx);
      continue;
    }
    std::string action = rule->modified_dates == "C" ? "C" : rule->basic;
    // Combined actions depend on the attribute's type in the IOD (E.3.1):
    // keep the file valid by the least removal that still removes the value.
    if (action == "X/Z" || action == "Z/D") action = (action == "X/Z") ? "Z" : "D";
    else if (action == "X/D" || action == "X/Z/D") action = "D";
    else if (action == "X/Z/U*") action = (vr == EVR_UI || vr == EVR_SQ) ? "U" : "Z";
    if (action == "X") {
      delete item.remove(n);
      ctx.report->attributes_removed++;
    } else if (action == "K") {
      recurse(*e, ctx);
    } else if (action == "C") {
      clean_date(*e, ctx);
    } else if (action == "U") {
      if (vr == EVR_UI) replace_uid(*e, ctx);
      recurse(*e, ctx);  // a sequence of references: its UIDs are replaced inside
    } else if (action == "Z") {
      if (vr == EVR_SQ) static_cast<DcmSequenceOfItems*>(e)->clear();
      else e->putString("");
      ctx.report->attributes_replaced++;
    } else if (action == "D") {
      if (key == DCM_ContentSequence) {
        // Structured content holds free text (Text Value (0040,A160)) the table
        // does not reach: emptied rather than dummied (the Clean Structured
        // Content option is not implemented).
        static_cast<DcmSequenceOfItems*>(e)->clear();
        ctx.report->attributes_replaced++;
      } else if (vr == EVR_SQ) {
        recurse(*e, ctx);
      } else if (vr == EVR_UI) {
        replace_uid(*e, ctx);
      } else {
        const std::string d = dummy(vr);
        if (d.empty()) delete item.remove(n), ctx.report->attributes_removed++;
        else e->putString(d.c_str()), ctx.report->attributes_replaced++;
      }
    } else {
      throw Error(ErrorCategory::internal, "PS3.15 table action '" + action + "' for " + tag_name(key) + " not handled");
    }
  }
}

void put(DcmItem& item, const DcmTagKey& key, const std::string& value) { item.putAndInsertOFStringArray(key, value.c_str()); }

void mark_deidentified(DcmDataset& ds, const Context& ctx) {
  // The pseudonym replaces Patient Name and ID (action Z allows a dummy value).
  put(ds, DCM_PatientName, ctx.patient_pseudonym);
  put(ds, DCM_PatientID, ctx.patient_pseudonym);
  // PS3.3 C.7.1.1 / PS3.15 E.1.1: Patient Identity Removed, the method and its codes (CID 7050).
  put(ds, DCM_PatientIdentityRemoved, "YES");
  put(ds, DCM_DeidentificationMethod, "PS3.15 E.1 Basic Profile; Retain Longitudinal Temporal Information Modified Dates Option; sirtkit 0.1.0");
  ds.findAndDeleteElement(DCM_DeidentificationMethodCodeSequence);
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

}  // namespace

const char* deid_table_csv() { return kTableCsv; }

std::string read_deid_key(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail_io(path.string(), "no such key file");
  std::string key = read_text_file(path);
  if (!key.empty() && key.back() == '\n') key.pop_back();
  if (!key.empty() && key.back() == '\r') key.pop_back();
  if (key.size() < 32)
    fail_input(path.string(), "key length", std::to_string(key.size()) + " bytes",
               "at least 32 bytes (RFC 2104: a key shorter than the SHA-256 output weakens HMAC)");
  return key;
}

std::string pseudonymous_uid(const std::string& key, const std::string& uid) {
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

DeidReport deidentify_folder(const fs::path& in_dir, const fs::path& out_dir, const std::string& key) {
  if (!fs::is_directory(in_dir)) fail_io(in_dir.string(), "no such folder");
  if (fs::exists(out_dir) && (!fs::is_directory(out_dir) || !fs::is_empty(out_dir)))
    fail_input(out_dir.string(), "output folder", "not empty", "an absent or empty folder (de-identified files are never mixed with others)");
  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(in_dir))
    if (e.is_regular_file()) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());

  DeidReport report;
  for (const auto& p : paths) {
    DcmFileFormat file;
    if (file.loadFile(p.c_str()).bad() || get_string(*file.getDataset(), DCM_SOPClassUID).empty()) {
      report.skipped.push_back(p);
      continue;
    }
    DcmDataset& ds = *file.getDataset();
    Context ctx;
    ctx.key = key;
    ctx.report = &report;
    std::string patient = get_string(ds, DCM_PatientID);
    if (patient.empty()) patient = get_string(ds, DCM_PatientName) + "/" + get_string(ds, DCM_PatientBirthDate);
    ctx.patient_pseudonym = patient_pseudonym(key, patient);
    ctx.shift_days = patient_date_shift_days(key, patient);
    clean_item(ds, ctx);
    mark_deidentified(ds, ctx);

    const std::string series = get_string(ds, DCM_SeriesInstanceUID), instance = get_string(ds, DCM_SOPInstanceUID);
    if (instance.empty()) fail_input(p.string(), tag_name(DCM_SOPInstanceUID), "(missing)", "a SOP Instance UID");
    const fs::path target = out_dir / ctx.patient_pseudonym / (series.empty() ? "no-series" : series) / (instance + ".dcm");
    fs::create_directories(target.parent_path());
    AtomicPath out(target);
    // A new File Meta Information (PS3.10 7.1) from the cleaned dataset: no
    // source AE title or private meta attributes survive.
    file.getMetaInfo()->clear();
    const E_TransferSyntax xfer = ds.getOriginalXfer() == EXS_Unknown ? EXS_LittleEndianExplicit : ds.getOriginalXfer();
    const OFCondition c = file.saveFile(out.temp().c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_createNewMeta);
    if (c.bad()) fail_io(target.string(), std::string("cannot write the de-identified file: ") + c.text());
    out.commit();
    report.written.push_back(target);
    report.files_written++;
  }
  return report;
}

}  // namespace sirtkit::io
