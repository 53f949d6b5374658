// Identifier patterns in short text fields (registry/identifier_scan.h).
#include "registry/identifier_scan.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace sirtkit::registry {
namespace {

using P = IdentifierPattern;

TEST(IdentifierScan, FindsEachKindOfIdentifier) {
  const std::vector<std::pair<std::string, P>> cases = {
      {"zq@example.org", P::email},
      {"write to jdoe@chu", P::email},
      {"https://pacs.example.org/study?id=9", P::url},
      {"www.hopital-nord.fr", P::url},
      {"pacs01.chu-rennes.fr", P::url},
      {"10.2.33.107", P::url},
      {"18/03/1947", P::date},
      {"1947-03-18", P::date},
      {"3.18.47", P::date},
      {"03/1947", P::date},
      {"born 1947", P::date},
      {"18 March 1947", P::date},
      {"18mar47", P::date},
      {"1er mars", P::date},
      {"March 18", P::date},
      {"Sept. 2021", P::date},
      {"12 février", P::date},
      {"+33 6 12 34 56 78", P::phone},
      {"+1 (555) 123-4567", P::phone},
      {"0033 612345678", P::phone},
      {"06 12 34 56 78", P::phone},
      {"(555) 123-4567", P::phone},
      {"020 7946 0958", P::phone},
      {"0612345678", P::phone},
      {"99817263", P::record_number},
      {"MRN99817263", P::record_number},
      {"AB1234", P::record_number},
      {"K-20451", P::record_number},
      {"IPP 123", P::record_number},
      {"No. 4521", P::record_number},
      {"#4521", P::record_number},
      {"12 rue des Lilas", P::address},
      {"4 Impasse du Moulin", P::address},
      {"Mr Smith", P::title_name},
      {"seen by Dr. House", P::title_name},
      {"Mme Dupont", P::title_name},
      {"M. Dupont", P::title_name},
  };
  for (const auto& [text, kind] : cases) {
    const auto found = find_identifier_pattern(text);
    ASSERT_TRUE(found.has_value()) << text;
    EXPECT_EQ(*found, kind) << text << ": " << pattern_description(*found);
  }
}

TEST(IdentifierScan, LeavesCodedClinicalTextAlone) {
  // Values of the demo cohort, the test fixtures and what registries hold in
  // these fields: none may be refused.
  for (const std::string text :
       {"T1", "T2", "L12", "NT1", "S4a", "liver", "left lobe", "segment 8", "lymph node", "Fatigue", "Ascites",
        "Platelet count decreased", "Nausea", "Abdominal pain", "sorafenib", "sorafenib 400 mg", "5-FU", "FOLFOX", "Y-90",
        "umol/L", "mg/dL", "g/dL", "10^9/L", "U/L", "IU/L", "Rennes", "Paris", "personalised", "standard", "arm A",
        "Site 01", "i.v.", "p.o.", "non-target", "CD8", "Grade 3 nausea", "liver segment VII", "nivolumab 240 mg q2w"}) {
    const auto found = find_identifier_pattern(text);
    EXPECT_FALSE(found.has_value()) << text << ": " << (found ? pattern_description(*found) : "");
  }
}

TEST(IdentifierScan, OwnIdentifierValuesAsWordsOrWholeValues) {
  IdentifierValues ids;
  ids.add("Zebulon Quixote");
  ids.add("MRN-99817263");
  ids.add("Jean de la Fontaine");
  EXPECT_TRUE(ids.found_in("quixote"));
  EXPECT_TRUE(ids.found_in("T1 (Quixote)"));
  EXPECT_TRUE(ids.found_in("zebulon"));
  EXPECT_TRUE(ids.found_in("mrn 99817263"));  // the whole value, punctuation ignored
  EXPECT_TRUE(ids.found_in("fontaine"));
  EXPECT_FALSE(ids.found_in("liver"));
  EXPECT_FALSE(ids.found_in("tumeur de la vessie"));  // particles alone are no trace of a name
  EXPECT_FALSE(ids.found_in("Quixotes"));             // a word, not a substring of another word
  IdentifierValues numeric;
  numeric.add("12");  // REDCap auto-numbered record ids: too short to be a trace
  EXPECT_FALSE(numeric.found_in("12"));
  EXPECT_TRUE(IdentifierValues().empty());
}

TEST(IdentifierScan, IdentifierColumnNames) {
  for (const char* n : {"patient_name", "Name", "First name", "lastName", "Surname", "nom", "Prénom", "address", "E-mail",
                        "phone", "Tel", "MRN", "Hospital number", "patient_id", "Record No", "dob", "Date of birth",
                        "birth_date", "SSN", "NHS number", "initials"})
    EXPECT_TRUE(looks_like_identifier_column(n)) << n;
  for (const char* n : {"drug", "Drug name", "site", "Site name", "lesion_label", "Organ", "ae_term", "index_date", "Diameter (cm)",
                        "SIRT date", "Sex", "comments", "record_type"})
    EXPECT_FALSE(looks_like_identifier_column(n)) << n;
}

TEST(IdentifierScan, OnlyPlainNumbersAndSingleCharactersAreShown) {
  for (const char* v : {"9", "A", "62", "-1.5", "1.2e3", "1250.5"}) EXPECT_TRUE(safe_to_show(v)) << v;
  for (const char* v : {"Zebulon", "JS", "99817263", "2021-13-01", "31/02/2021", "T1", "mmol/L", "", "12345"})
    EXPECT_FALSE(safe_to_show(v)) << v;
}

}  // namespace
}  // namespace sirtkit::registry
