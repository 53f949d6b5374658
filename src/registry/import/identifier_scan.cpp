#include "registry/import/identifier_scan.h"

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

// A number followed by a unit is a dose, a count or a measurement, not an
// identifier ("capecitabine 2000 mg", "heparin 10000 IU", "205 Gy").
const std::string unit_after =
    R"((?!\s*(?:mg|g\b|kg|µg|ug|mcg|ng|ml|l\b|iu|ui|u\b|units?|gy|cgy|mgy|bq|kbq|mbq|gbq|mci|mm|cm|m2|m²|%|mmol|µmol|umol|mosm|cells|/)))";

struct Patterns {
  // (F) e-mail addresses.
  std::regex email{R"([^\s@]+@[^\s@]+)", icase};
  // (N, O) a scheme, www., a dotted host name ending in 2+ letters, an IPv4 or
  // IPv6 address.
  std::regex url{R"((?:\b(?:https?|s?ftps?|file|mailto|smb|ldap|dicom|ssh)://)|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b|(?:^|[^\d.])\d{1,3}(?:\.\d{1,3}){3}(?![.\d])|\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4})*::(?:[0-9a-f]{1,4}:?)*|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b)",
                 icase};
  // (C) 18/03/1947, 1947-03-18, 3.18.47, 03/1947, 1947/03, a year 1800-2099
  // alone (not a dose: "2000 mg"), 18 March 1947, 18mar47, 03-Mar-1956, 1er mars,
  // March 18, Mar. 1947; date-times are dates followed by a time. A chain of
  // more than three numbers (06.12.34.56.78) is a phone number, not a date.
  std::regex date{std::string(R"((?:^|[^\d./-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|\d{4})|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?![-/.]?\d)|)") +
                      R"(\b\d{1,2}[-/.](?:1[89]|20)\d{2}\b|\b(?:1[89]|20)\d{2}[-/.]\d{1,2}\b|\b(?:1[89]|20)\d{2}\b)" + unit_after + "|" +
                      R"(\b\d{1,2}(?:st|nd|rd|th|er|e)?\.?[\s/-]*(?:of\s+|de\s+)?)" + months + R"((?![a-z])|(?:^|[^a-z]))" + months +
                      R"(\.?[\s/,-]*\d{1,4}\b)",
                  icase};
  // (G) US Social Security number ddd-dd-dddd (or spaced).
  std::regex ssn{R"(\b\d{3}([- ])\d{2}\1\d{4}\b)", icase};
  // (G) French NIR (INSEE number): sex, year, month, department (2A/2B for
  // Corsica), commune, order, then the 2-digit key; spaces allowed.
  std::regex nir{R"(\b[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b)", icase};
  // (H, J, K, R) letters + 4 or more digits (AB123456, MRN-1234, K_20451), a
  // record prefix + digits (IPP 1234, No. 4521, #4521, patient ID 4477).
  std::regex record{R"(\b[a-z]{1,6}[-_/#:.]?\d{4,}|(?:\b(?:mrn|ipp|nip|pid|nhs|nir|ssn|sin|nss|insee|dossier|file|no|nr|num|n°|id|ident|identifier|patient|pt|case|subject|chart|acct|account|policy|member|insurance|beneficiary|certificate|cert|licen[cs]e|passport|badge)\.?|#)\s*[:#]?\s*\d{3,})", icase};
  // (K, L, M) a serial, lot, licence, plate or UDI keyword and a code holding a
  // digit; French/Italian number plates AB-123-CD; MAC addresses.
  std::regex device{R"(\b(?:serial|s/n|sn|lot|batch|licen[cs]e|plate|immatriculation|vin|imei|udi|device id)\b\.?\s*(?:no\.?|number|nr|n°|#)?\s*[:#-]?\s*[a-z0-9-]*\d[a-z0-9-]*|\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b)", icase};
  std::regex plate{R"(\b[A-Z]{2}-\d{3}-[A-Z]{2}\b)", std::regex::ECMAScript | std::regex::optimize};
  // (B) a number and a street word (12 rue des Lilas, 4 Impasse du Moulin), a
  // number, up to three words and a street word (12 Baker Street, 1600
  // Pennsylvania Avenue; abbreviations only after a capitalised word: 10
  // Downing St, not "300 mg St John's wort").
  std::regex address{R"(\b\d{1,5}[a-z]?\s*(?:bis|ter)?,?\s+(?:rue|avenue|av|bd|boulevard|street|road|lane|drive|chemin|impasse|place|all(?:e|é)e|stra(?:ss|ß)e|str|weg|calle|via|quai|route)\b|\b\d{1,5}[a-z]?,?\s+(?:[a-zà-ÿ'-]+\s+){1,3}(?:street|road|avenue|lane|drive|boulevard|terrace|crescent|gardens|parkway|highway|strasse|straße|allee|platz)\b)",
                     icase};
  std::regex street_abbrev{R"(\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z'-]+\s+){1,3}(?:St|Rd|Ave|Av|Blvd|Ln|Dr|Ct|Pl|Sq|Hwy|Pkwy|Cres|Tce|Way|Close|Court|Place|Square|Row|Mews|Grove|Hill)\.?(?![A-Za-z]))",
                           std::regex::ECMAScript | std::regex::optimize};
  // (B) UK postcodes (SW1A 1AA, M1 1AE), Canadian postcodes (K1A 0B1, with the space).
  std::regex postcode{R"(\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b|\b[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}\b|\b[A-Z]\d[A-Z] \d[A-Z]\d\b)",
                      std::regex::ECMAScript | std::regex::optimize};
  // (A) a title and a capitalised word (case-sensitive): Mr Smith, Dr. House,
  // Mme Dupont, M. Dupont, Pr Durand, Professor Moriarty, Herr Meier, née Martin.
  std::regex title{R"((?:^|[^A-Za-z])(?:[Mm](?:r|rs|s|iss|ister|x|me|lle|adame|onsieur|adam)|M\.|[Dd]r|[Dd]octor|[Dd]octeur|[Pp]rof(?:essor|esseur)?|Pr|[Hh]err|[Ff]rau|[Ss]ra?|[Ss]rta|[Dd]ott|[Ss]ir|[Ll]ady|[Rr]ev|[Nn](?:é|e)e|[Bb]orn|[Pp]atient(?:e)?|[Pp]t)\.?\s+[A-Z](?:[a-zà-ÿ]|[A-Z]{2}))",
                 std::regex::ECMAScript | std::regex::optimize};
  // (C) an age over 89: "aged 93", "age: 91", "93 years old", "91 ans", "95-year-old".
  std::regex age{R"(\b(?:aged?|âgée?|agée?|age of)\s*[:=]?\s*(?:9\d|1[0-4]\d)\b|\b(?:9\d|1[0-4]\d)\s*-?\s*(?:years?|yrs?|y/?o|ans|jahre|años|anni)\b)",
                 icase};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

// (A) Common given names (English, French, German, Spanish, Italian) that are
// no clinical word; one followed by a capitalised or upper-case word, or an
// upper-case surname followed by one, is a person's name ("John Smith", "Jean
// DUPONT", "MARTIN Marie"). Saints in place names ("St Louis", "Sainte-Marie")
// and institutions ("Institut Marie Curie", "CHU Henri Mondor") are not.
bool given_name(const std::string& w) {
  static const std::set<std::string> names = {
      "john", "james", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "christopher",
      "daniel", "matthew", "anthony", "donald", "steven", "paul", "andrew", "joshua", "kenneth", "kevin", "brian",
      "george", "edward", "ronald", "timothy", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric",
      "stephen", "jonathan", "larry", "justin", "scott", "brandon", "benjamin", "samuel", "frank", "gregory",
      "raymond", "alexander", "patrick", "jack", "dennis", "jerry", "tyler", "aaron", "henry", "peter", "harry",
      "oliver", "charlie", "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica",
      "sarah", "karen", "nancy", "lisa", "margaret", "betty", "sandra", "ashley", "dorothy", "kimberly", "emily",
      "donna", "michelle", "carol", "amanda", "melissa", "deborah", "stephanie", "rebecca", "laura", "sharon",
      "cynthia", "kathleen", "amy", "shirley", "angela", "helen", "anna", "brenda", "pamela", "nicole", "emma",
      "samantha", "katherine", "christine", "debra", "rachel", "catherine", "carolyn", "janet", "ruth", "maria",
      "heather", "diane", "virginia", "julie", "joyce", "victoria", "olivia", "kelly", "christina", "lauren",
      "joan", "evelyn", "judith", "megan", "cheryl", "andrea", "hannah", "martha", "jacqueline", "frances",
      "gloria", "ann", "jean", "pierre", "jacques", "michel", "philippe", "alain", "bernard", "christian", "daniel",
      "nicolas", "françois", "francois", "laurent", "eric", "stéphane", "stephane", "olivier", "sébastien",
      "sebastien", "frédéric", "frederic", "christophe", "julien", "thierry", "didier", "yves", "gérard", "gerard",
      "claude", "rené", "rene", "louis", "marcel", "andré", "andre", "guy", "jeanne", "marie", "françoise",
      "francoise", "monique", "catherine", "nathalie", "isabelle", "sylvie", "martine", "nicole", "christine",
      "valérie", "valerie", "sandrine", "sophie", "céline", "celine", "chantal", "brigitte", "véronique",
      "veronique", "camille", "léa", "lea", "manon", "chloé", "chloe", "hans", "jürgen", "juergen", "klaus",
      "wolfgang", "stefan", "andreas", "ursula", "monika", "petra", "sabine", "josé", "jose", "juan", "antonio",
      "manuel", "francisco", "carmen", "dolores", "pilar", "giuseppe", "giovanni", "marco", "luca", "francesca",
      "giulia", "henri", "georges", "roger", "lucien", "maurice", "simone", "suzanne", "yvonne", "odile", "colette",
      "denise", "madeleine", "germaine", "josette", "ginette", "hélène", "helene", "anne", "annie", "agnès", "agnes",
      "emmanuel", "mathieu", "antoine", "lucas", "nathan", "léo", "gabriel", "arthur", "louise", "alice", "jules",
      "hervé", "herve", "patrice", "pascal", "dominique", "bruno", "serge", "gilles", "fabrice", "vincent", "arnaud",
      "benoît", "benoit", "cédric", "cedric", "xavier", "yann", "jérôme", "jerome", "joël", "joel", "lionel", "marc",
      "luc", "régis", "regis", "rémi", "remi", "sylvain", "victor", "jan", "piet", "johan", "erik", "lars", "anders",
      "ahmed", "mohamed", "mohammed", "ali", "fatima", "wei", "li", "yuki", "hiroshi", "raj", "priya", "zebulon"};
  return names.count(w) > 0;
}

bool capitalised(std::string_view w) {
  if (w.size() < 2 || !(w[0] >= 'A' && w[0] <= 'Z')) return false;
  return true;
}
bool upper_case(std::string_view w) {
  if (w.size() < 3) return false;
  for (char c : w)
    if (!(c >= 'A' && c <= 'Z') && static_cast<unsigned char>(c) < 0x80) return false;
  return true;
}

bool person_name(std::string_view s) {
  // Words with their original case (letters, UTF-8 bytes and inner hyphens/apostrophes).
  std::vector<std::string> w;
  std::string cur;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80 || ((c == '\'' || c == '-') && !cur.empty())) cur += c;
    else {
      if (!cur.empty()) w.push_back(cur), cur.clear();
      if (c != ' ') w.push_back("");  // punctuation or a digit breaks a name
    }
  }
  if (!cur.empty()) w.push_back(cur);
  auto lower_word = [](std::string x) {
    for (char& c : x) c = lower(c);
    return x;
  };
  auto not_a_name_before = [&](const std::string& word) {
    const std::string p = lower_word(word);
    static const std::set<std::string> before = {"st", "ste", "saint", "sainte", "san", "santa", "são", "sao",
                                                 // institutions named after people: CHU Henri Mondor, Institut Marie Curie
                                                 "chu", "ch", "chru", "hôpital", "hopital", "hospital", "hosp", "clinique", "clinic",
                                                 "centre", "center", "institut", "institute", "university", "université", "universite"};
    return before.count(p) > 0;
  };
  auto saint = [&](std::size_t i) { return i > 0 && not_a_name_before(w[i - 1]); };
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    const std::string& a = w[i];
    const std::string& b = w[i + 1];
    if (a.empty() || b.empty() || saint(i)) continue;
    const std::string first_of_a = lower_word(a.substr(0, a.find('-')));
    if (capitalised(a) && !upper_case(a) && given_name(first_of_a) && (capitalised(b) || upper_case(b))) return true;
    if (upper_case(a) && !not_a_name_before(a) && capitalised(b) && !upper_case(b) && given_name(lower_word(b.substr(0, b.find('-'))))) return true;
  }
  return false;
}

// (D, E) Phone numbers and long digit runs, by scanning digit groups: a group
// starts at '+', '(' or a digit and continues over digits and single separators
// (space, '.', '-', '/', parentheses). A group followed by a unit is a quantity.
bool unit_follows(std::string_view s, std::size_t j) {
  static const std::regex unit{"^" + unit_after.substr(3, unit_after.size() - 4), icase};  // the lookahead's body
  const std::string rest(s.substr(j));
  return std::regex_search(rest, unit);
}

// (G, I) UK NHS number: 10 digits, the last a modulus-11 check digit (weights
// 10..2; NHS Data Dictionary "NHS Number").
bool nhs_number(const std::string& d) {
  if (d.size() != 10) return false;
  int sum = 0;
  for (int k = 0; k < 9; ++k) sum += (d[k] - '0') * (10 - k);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == d[9] - '0';
}

// (G) French NIR: key = 97 - (13-digit number mod 97), Corsica 2A/2B counted as 19/18
// (INSEE, "Numéro d'inscription au répertoire").
bool nir_number(std::string s) {
  std::string d;
  for (char c : s)
    if (c != ' ') d += lower(c);
  if (d.size() != 15) return false;
  long long corsica = 0;
  if (d.substr(5, 2) == "2a") d.replace(5, 2, "19"), corsica = 1000000;
  else if (d.substr(5, 2) == "2b") d.replace(5, 2, "18"), corsica = 2000000;
  for (char c : d)
    if (!is_digit(c)) return false;
  long long n = std::stoll(d.substr(0, 13)) - corsica;
  return 97 - n % 97 == std::stoll(d.substr(13));
}

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
    if (unit_follows(s, last_digit + 1) && !plus) {  // a quantity ("10 000 IU", "2500 mg")
      i = j > i ? j - 1 : i;
      continue;
    }
    std::string all;
    for (std::size_t k = i; k <= last_digit; ++k)
      if (is_digit(s[k])) all += s[k];
    if (nhs_number(all)) return IdentifierPattern::national_id;
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
    case IdentifierPattern::national_id: return "a national identification number (SSN, NHS number, NIR)";
    case IdentifierPattern::record_number: return "a record number (long digit run or letters + digits)";
    case IdentifierPattern::device_id: return "a serial, lot, licence or plate number or a device address";
    case IdentifierPattern::age_over_89: return "an age over 89";
    case IdentifierPattern::address: return "a street address";
    case IdentifierPattern::title_name: return "a person's name (a title or a given name and a surname)";
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
  if (colon && digit && std::regex_search(s, p.device)) return IdentifierPattern::device_id;  // MAC before IPv6
  if ((dot || colon) && std::regex_search(s, p.url)) return IdentifierPattern::url;
  if (std::regex_search(s, p.title) || person_name(s)) return IdentifierPattern::title_name;
  if (!digit) return std::nullopt;  // every remaining pattern holds a digit
  if (std::regex_search(s, p.age)) return IdentifierPattern::age_over_89;
  if (std::regex_search(s, p.ssn)) return IdentifierPattern::national_id;
  for (std::sregex_iterator m(s.begin(), s.end(), p.nir), end; m != end; ++m)
    if (nir_number(m->str())) return IdentifierPattern::national_id;
  if (std::regex_search(s, p.date)) return IdentifierPattern::date;
  if (std::regex_search(s, p.address) || std::regex_search(s, p.street_abbrev) || std::regex_search(s, p.postcode))
    return IdentifierPattern::address;
  if (std::regex_search(s, p.device) || std::regex_search(s, p.plate)) return IdentifierPattern::device_id;
  if (std::regex_search(s, p.record)) return IdentifierPattern::record_number;
  if (const auto g = digit_groups(s)) return g;
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
