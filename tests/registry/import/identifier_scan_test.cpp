// Identifier patterns in short text fields (registry/import/identifier_scan.h).
#include "registry/import/identifier_scan.h"

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
      // HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)) kinds beyond the quoted probes.
      {"078-05-1120", P::national_id},             // (G) US SSN
      {"401 88 1120", P::national_id},             // (G) spaced SSN
      {"943 476 5919", P::national_id},            // (G) NHS number, valid mod-11 check digit
      {"9434765919", P::national_id},
      {"943 476 5910", P::phone},                  // bad check digit: still a 10-digit number
      {"1 85 05 78 006 084 91", P::national_id},   // (G) French NIR, key 97 - n mod 97
      {"185052A00401792", P::national_id},         // NIR of a Corsican birth (2A)
      {"3 March 1956", P::date},
      {"March 3, 1956", P::date},
      {"03-Mar-1956", P::date},
      {"03MAR1956", P::date},
      {"3 mars 1956", P::date},
      {"le 3rd of March", P::date},
      {"31 déc. 1949", P::date},
      {"1956-03-03T14:22", P::date},
      {"03/03/1956 14:22", P::date},
      {"3/3/56", P::date},
      {"http://example.com", P::url},
      {"hospital.example.org", P::url},
      {"192.168.1.20", P::url},
      {"fe80::1ff:fe23:4567:890a", P::url},
      {"2001:db8::1", P::url},
      {"555.123.4567", P::phone},
      {"+44 20 7946 0958", P::phone},
      {"+33 (0)6 12 34 56 78", P::phone},
      {"06.12.34.56.78", P::phone},
      {"12 Baker Street", P::address},
      {"221B Baker Street", P::address},
      {"10 Downing St", P::address},
      {"1600 Pennsylvania Avenue", P::address},
      {"5 avenue Foch", P::address},
      {"SW1A 1AA", P::address},                    // (B) UK postcode
      {"75013 Paris", P::record_number},           // (B) a postcode with its city: a 5-digit run
      {"Pr Durand", P::title_name},
      {"Professor Moriarty", P::title_name},
      {"Mlle Petit", P::title_name},
      {"née Martin", P::title_name},
      {"John Smith", P::title_name},               // (A) a common given name and a surname
      {"Jean DUPONT", P::title_name},
      {"MARTIN Marie", P::title_name},
      {"Patient ID 4477", P::record_number},
      {"MRN: 00123456", P::record_number},
      {"00:1A:2B:3C:4D:5E", P::device_id},         // (M) MAC address
      {"AB-123-CD", P::device_id},                 // (L) number plate
      {"lot 4A22B", P::device_id},                 // (M) device lot/serial
      {"S/N 88431", P::device_id},
      {"aged 93", P::age_over_89},                 // (C) ages over 89
      {"91 ans", P::age_over_89},
      {"95-year-old", P::age_over_89},
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
  // A table of legitimate values (lesion labels and organs, drugs and doses,
  // AE terms, site codes, lab units, dose figures): a false positive here
  // refuses real registry rows.
  for (const std::string text :
       {"T1", "T2", "L12", "NT1", "S4a", "S4b", "liver", "left lobe", "right lobe", "segment 8", "segment VII", "segments 5-6-7",
        "S5/S8", "VII/VIII", "caudate lobe", "hepatic dome", "lymph node", "portal vein", "peritoneum", "lesion 2a", "seg 4",
        "Tumour thrombus Vp4", "2 x 3 cm", "35 x 22 mm", "30 x 20 x 15 mm", "1/3 of liver",
        "Fatigue", "Ascites", "Hypertension", "Hypertension grade 2", "Grade 3 nausea", "Platelet count decreased", "Nausea",
        "Abdominal pain", "Alanine aminotransferase increased", "Hepatic encephalopathy grade 2", "Radiation-induced liver disease",
        "Palmar-plantar erythrodysesthesia syndrome", "Stevens-Johnson syndrome", "Guillain-Barré syndrome", "Budd-Chiari syndrome",
        "Hodgkin lymphoma", "Patient reported fatigue", "pain 7/10", "COVID-19", "CA 19-9", "AFP > 400 ng/mL", "IL-6", "HbA1c 7.5%",
        "sorafenib", "sorafenib 400 mg", "sorafenib 400 mg bid", "5-FU", "FOLFOX", "FOLFIRINOX", "Y-90", "Y90 glass 2.5 GBq",
        "177Lu-DOTATATE", "capecitabine 2000 mg", "capecitabine 1000 mg/m2 bid", "atezolizumab 1200 mg q3w", "heparin 10000 IU",
        "interferon 3 000 000 IU", "bevacizumab 15 mg/kg q3w", "nivolumab 240 mg q2w", "lenvatinib 12 mg qd", "1-0-1",
        "25 mg qd 21/28", "300 mg St John's wort", "St John's wort 300 mg", "dose reduced to 200 mg bid",
        "umol/L", "mg/dL", "g/dL", "10^9/L", "U/L", "IU/L", "mmol/L", "µmol/L", "x10^9/L", "Mg 0.5 mmol/L", "K 2.9 mmol/L",
        "Rennes", "Paris", "Saint-Étienne", "Lyon-01", "Rennes 02", "site 3", "Site 01", "CHU Lyon", "Hôpital Saint Louis",
        "Institut Marie Curie", "CHU Henri Mondor", "Pitié-Salpêtrière", "personalised", "standard", "arm A", "TACE + sorafenib",
        "205 Gy", "120 Gy", "D95 120 Gy", "V100 > 90%", "BED 150 Gy", "1.8 GBq", "LSF 8.5%", "ECOG 1", "CTCAE v5.0", "Child-Pugh B7",
        "BCLC-B", "ALBI grade 2", "T3N1M0", "Stage IIIB", "Ki-67 15%", "i.v.", "p.o.", "b.i.d.", "non-target", "CD8", "PD-L1",
        "BRAF V600E", "cycle 3 day 1", "C3D1", "week 12", "Grace", "June", "Marie", "May-Thurner", "10:30"}) {
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
