#pragma once
// Identifier patterns in the short text fields the registry stores (site,
// arm, lesion label and organ, drug, lab unit, adverse-event term: every
// FieldKind::text field of the field catalogue). A direct identifier typed
// into one of them (a name, an MRN, an e-mail address, a phone number, a date,
// a hospital host) would otherwise reach the registry, its exports and its
// audit trail, so the importer refuses it (issue 12 item 4; HIPAA Safe Harbor
// 45 CFR 164.514(b)(2) lists these kinds of identifier).
//
// Two checks:
//  - find_identifier_pattern: e-mail addresses, URLs and host names, dates
//    (numeric and written, in English, French, German and Spanish month
//    names), phone numbers (international and national digit groups),
//    record-number-like values (long digit runs, letters + 4 or more digits,
//    "No. 1234"), street addresses and a title followed by a name;
//  - IdentifierValues: the values of a record's own identifier columns (the
//    record id, names, birth date, ...), found in a text value as words or as
//    the whole value with punctuation and spacing ignored.
//
// Messages name the kind of pattern, never the value.

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace sirtkit::registry {

// Each kind is one of the HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)(i),
// letters A-R) or the row's own identifier values:
//  email (F), url: URLs, host names, IPv4/IPv6 (N, O), date: dates and date-times
//  written any way, month names in English/French/German/Spanish (C), phone and fax
//  (D, E), national_id: US SSN, UK NHS number (mod-11 check), French NIR (mod-97
//  key) (G, I), record_number: long digit runs, letters + digits, "MRN 1234" (H, J,
//  K, R), device_id: serial/lot/licence/plate codes, MAC addresses (K, L, M),
//  address: street addresses and postcodes (B), title_name: a title or a common
//  given name and a surname (A), age_over_89: "aged 93", "91 ans" (C).
enum class IdentifierPattern {
  email, url, date, phone, national_id, record_number, device_id, address, title_name, age_over_89, own_identifier
};

// "an e-mail address", "a phone number", ... (for messages).
const char* pattern_description(IdentifierPattern p);

// The first identifier-like pattern in a short text value, or nullopt.
std::optional<IdentifierPattern> find_identifier_pattern(std::string_view text);

// Column or field names that hold identifiers in sources that do not flag
// them (a REDCap field without "Identifier? = y", a plain CSV column):
// name, surname, initials, address, e-mail, phone, MRN, record number,
// date of birth, social security / insurance number, ...
bool looks_like_identifier_column(std::string_view name);

// The values of one record's identifier columns, to look for in its text fields.
class IdentifierValues {
 public:
  void add(std::string_view value);
  // True when `text` holds one of the values: one of its words (letters: 2 or
  // more, name particles such as "de" or "van" excepted; with digits: 3 or
  // more characters) as a word of `text`, or a whole value of 4 or more
  // letters and digits inside `text` with punctuation and spaces ignored
  // ("MRN-99817263" in "mrn 99817263"; a value of 3 must be all of `text`:
  // "H-77" is "h77"). Case-insensitive.
  bool found_in(std::string_view text) const;
  bool empty() const { return words_.empty() && whole_.empty(); }

 private:
  std::set<std::string> words_;
  std::set<std::string> whole_;
};

// A value that may appear in a message: a plain number that is not
// record-number-like (no run of 5 or more digits), or a single character.
// Anything else (names, dates, text, codes that might be identifiers) is shown
// as "(not shown)".
bool safe_to_show(std::string_view value);
inline constexpr const char* not_shown = "(not shown)";

}  // namespace sirtkit::registry
