#include "registry/identifier_scan.h"

#include <regex>
#include <vector>

namespace sirtkit::registry {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
// ASCII letters and any byte of a UTF-8 multi-byte character (names like Müller, Zoé).
bool is_word(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (is_word(c)) w += lower(c);
    else if (!w.empty()) out.push_back(std::move(w)), w.clear();
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

std::string alnum_lower(std::string_view s) {
  std::string out;
  for (char c : s)
    if (is_word(c)) out += lower(c);
  return out;
}

constexpr auto icase = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;

// Month names and abbreviations: English, French, German, Spanish (with and
// without accents; accented letters as alternatives, since the regex sees UTF-8 bytes).
const std::string months =
    "(?:jan(?:uary|uar)?|janvier|enero|feb(?:ruary|ruar)?|f(?:e|é)vrier|febrero|mar(?:ch|s|zo)?|m(?:a|ä)rz|maerz|"
    "apr(?:il)?|avril|abril|may(?:o)?|mai|jun(?:e|i|io)?|juin|jul(?:y|i|io)?|juillet|aug(?:ust)?|ao(?:u|û)t|agosto|"
    "sep(?:t(?:ember)?)?|septembre|septiembre|oct(?:ober)?|octobre|oktober|octubre|nov(?:ember)?|novembre|noviembre|"
    "dec(?:ember)?|d(?:e|é)cembre|dezember|diciembre)";

struct Patterns {
  std::regex email{R"([^\s@]+@[^\s@]+)", icase};
  // Scheme, www., a dotted host name ending in 2+ letters, an IPv4 address.
  std::regex url{R"((?:\b(?:https?|s?ftps?|file|mailto|smb|ldap)://)|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b)",
                 icase};
  // 18/03/1947, 1947-03-18, 3.18.47, 03/1947, 1947/03, a year 1800-2099 alone,
  // 18 March 1947, 18mar47, 1er mars, March 18, Mar. 1947.
  std::regex date{std::string(R"(\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b\d{1,2}[-/.]\d{4}\b|\b\d{4}[-/.]\d{1,2}\b|\b(?:1[89]|20)\d{2}\b|)") +
                      R"(\b\d{1,2}(?:st|nd|rd|th|er|e)?\.?[\s/-]*)" + months + R"((?![a-z])|(?:^|[^a-z]))" + months +
                      R"(\.?[\s/,-]*\d{1,4}\b)",
                  icase};
  // Letters + 4 or more digits (AB123456, MRN-1234, K_20451), a record prefix + digits (IPP 1234, No. 4521, #4521).
  std::regex record{R"(\b[a-z]{1,6}[-_/#:.]?\d{4,}|(?:\b(?:mrn|ipp|nip|pid|nhs|nir|ssn|dossier|file|no|nr|num|n°)\.?|#)\s*\d{3,})", icase};
  std::regex address{R"(\b\d{1,5}\s*(?:bis|ter)?,?\s+(?:rue|avenue|av|bd|boulevard|street|st|road|rd|lane|ln|drive|way|chemin|impasse|place|pl|all(?:e|é)e|stra(?:ss|ß)e|str|weg|calle|via|quai|route)\b)",
                     icase};
  // A title and a capitalised word (case-sensitive): Mr Smith, Dr. House, Mme Dupont, M. Dupont, Herr Meier.
  std::regex title{R"((?:^|[^A-Za-z])(?:[Mm](?:r|rs|s|iss|x|me|lle|adame|onsieur)|M\.|[Dd]r|[Pp]rof|[Hh]err|[Ff]rau|[Ss]ra?|[Dd]ott)\.?\s+[A-Z][a-z])",
                 std::regex::ECMAScript | std::regex::optimize};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

// Phone numbers and long digit runs, by scanning digit groups: a group starts
// at '+', '(' or a digit and continues over digits and single separators
// (space, '.', '-', '/', parentheses).
std::optional<IdentifierPattern> digit_groups(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!(is_digit(s[i]) || s[i] == '+' || s[i] == '(')) continue;
    if (i > 0 && is_word(s[i - 1]) && is_digit(s[i])) {  // digits glued to letters: handled by the record pattern
      std::size_t j = i;
      std::size_t run = 0;
      while (j < s.size() && is_digit(s[j])) ++j, ++run;
      if (run >= 5) return IdentifierPattern::record_number;
      i = j;
      continue;
    }
    std::size_t j = i, digits = 0, longest = 0, run = 0, seps = 0, sep_row = 0;
    const bool plus = s[i] == '+';
    std::size_t last_digit = i;
    for (; j < s.size(); ++j) {
      const char c = s[j];
      if (is_digit(c)) {
        ++digits, ++run, sep_row = 0, last_digit = j;
        longest = std::max(longest, run);
      } else if ((c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')' || (c == '+' && j == i)) && sep_row < 2) {
        run = 0, ++sep_row;
        if (j != i) ++seps;
      } else {
        break;
      }
    }
    const bool glued_after = last_digit + 1 < s.size() && is_word(s[last_digit + 1]) && !is_digit(s[last_digit + 1]);
    const bool zero_zero = s.substr(i, 2) == "00";
    if ((plus || zero_zero) && digits >= 6) return IdentifierPattern::phone;
    if (digits >= 6 && seps > 0) return IdentifierPattern::phone;
    if (longest >= 5 && !glued_after) return s[i] == '0' && digits >= 9 ? IdentifierPattern::phone : IdentifierPattern::record_number;
    if (longest >= 5) return IdentifierPattern::record_number;
    i = j > i ? j - 1 : i;
  }
  return std::nullopt;
}

// Name particles and words too common to be a name's trace on their own.
bool particle(const std::string& w) {
  static const std::set<std::string> p = {"de", "du", "des", "da", "di", "do", "dos", "das", "del", "della", "la", "le", "les", "lo",
                                          "van", "von", "der", "den", "ten", "ter", "el", "al", "y", "e", "et", "and", "of", "the", "st"};
  return p.count(w) > 0;
}

bool has_digit(const std::string& w) {
  for (char c : w)
    if (is_digit(c)) return true;
  return false;
}

}  // namespace

const char* pattern_description(IdentifierPattern p) {
  switch (p) {
    case IdentifierPattern::email: return "an e-mail address";
    case IdentifierPattern::url: return "a URL or host name";
    case IdentifierPattern::date: return "a date";
    case IdentifierPattern::phone: return "a phone number";
    case IdentifierPattern::record_number: return "a record number (long digit run or letters + digits)";
    case IdentifierPattern::address: return "a street address";
    case IdentifierPattern::title_name: return "a title and a name";
    case IdentifierPattern::own_identifier: return "a value of the record's own identifier columns (record id, name, birth date, ...)";
  }
  return "an identifier";
}

std::optional<IdentifierPattern> find_identifier_pattern(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const Patterns& p = patterns();
  const std::string s(text);
  bool digit = false, at = false, dot = false, colon = false;
  for (char c : s) digit |= is_digit(c), at |= c == '@', dot |= c == '.', colon |= c == ':';
  if (at && std::regex_search(s, p.email)) return IdentifierPattern::email;
  if ((dot || colon) && std::regex_search(s, p.url)) return IdentifierPattern::url;
  if (std::regex_search(s, p.title)) return IdentifierPattern::title_name;
  if (!digit) return std::nullopt;  // every remaining pattern holds a digit
  if (std::regex_search(s, p.date)) return IdentifierPattern::date;
  if (std::regex_search(s, p.address)) return IdentifierPattern::address;
  if (const auto g = digit_groups(s)) return g;
  if (std::regex_search(s, p.record)) return IdentifierPattern::record_number;
  return std::nullopt;
}

bool looks_like_identifier_column(std::string_view name) {
  // Split snake_case, spaces, punctuation and camelCase into lower-case words.
  std::vector<std::string> w;
  std::string cur;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool upper = c >= 'A' && c <= 'Z';
    if (!is_word(c) || (upper && i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z')) {
      if (!cur.empty()) w.push_back(cur), cur.clear();
      if (!is_word(c)) continue;
    }
    cur += lower(c);
  }
  if (!cur.empty()) w.push_back(cur);
  auto has = [&](std::initializer_list<const char*> any) {
    for (const auto& x : w)
      for (const char* a : any)
        if (x == a) return true;
    return false;
  };
  static const std::initializer_list<const char*> direct = {
      "surname", "firstname", "lastname", "forename", "givenname", "familyname", "fullname", "maidenname", "nom", "prenom",
      "prénom", "initials", "address", "adresse", "street", "email", "mail", "phone", "telephone", "téléphone", "tel",
      "mobile", "fax", "mrn", "ipp", "nip", "dob", "ssn", "nir", "nhs", "passport", "zip", "postcode", "zipcode",
      "birth", "birthdate", "birthday", "naissance", "geburtsdatum", "insee", "url", "ip"};
  if (has(direct)) return true;
  // "name" is an identifier unless it names something else (drug name, site name).
  if (has({"name", "names"}) &&
      !has({"drug", "study", "site", "lesion", "arm", "form", "test", "device", "event", "instrument", "file", "unit", "field", "organ", "centre", "center", "hospital"}))
    return true;
  // "Hospital number", "patient ID", "record no", "case nr".
  return has({"number", "no", "num", "nr", "id", "nummer", "numero", "numéro"}) &&
         has({"hospital", "patient", "record", "medical", "chart", "case", "dossier", "insurance", "social", "security", "health", "subject"});
}

void IdentifierValues::add(std::string_view value) {
  for (auto& w : words(value)) {
    const bool digits = has_digit(w);
    if (digits ? w.size() >= 3 : (w.size() >= 2 && !particle(w))) words_.insert(std::move(w));
  }
  if (std::string whole = alnum_lower(value); whole.size() >= 3) whole_.insert(std::move(whole));
}

bool IdentifierValues::found_in(std::string_view text) const {
  if (empty()) return false;
  for (const auto& w : words(text))
    if (words_.count(w)) return true;
  const std::string t = alnum_lower(text);
  for (const auto& v : whole_)
    if (v.size() >= 4 ? t.find(v) != std::string::npos : t == v) return true;
  return false;
}

bool safe_to_show(std::string_view v) {
  if (v.size() == 1) return is_word(v[0]) && static_cast<unsigned char>(v[0]) < 0x80;
  if (v.empty() || v.size() > 16) return false;
  std::size_t run = 0, digits = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (is_digit(c)) {
      ++digits;
      if (++run >= 5) return false;
    } else {
      run = 0;
      if (!(c == '.' || ((c == '-' || c == '+') && (i == 0 || v[i - 1] == 'e' || v[i - 1] == 'E')) || ((c == 'e' || c == 'E') && i > 0))) return false;
    }
  }
  return digits > 0;
}

}  // namespace sirtkit::registry
