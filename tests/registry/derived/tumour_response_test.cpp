// Best and time-point response from the registry's lesion measurements, on
// both stores, against categories worked out by hand: PR at exactly -30 %,
// PD at +20 % with +5 mm (RECIST 1.1) but already at +20 % with +4 mm under
// mRECIST, PD by a new lesion, and a patient without measurements excluded.

#include "registry/derived/tumour_response.h"

#include <gtest/gtest.h>

#include "registry/redcap/redcap_export.h"
#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

const auto key = PseudonymKey::from_bytes("response-test-key-0123456789abcdef");

// A REDCap export of the sirtkit template (catalogue dictionary).
std::string cohort_csv() {
  std::string s = "record_id,redcap_repeat_instrument,redcap_repeat_instance,arm,index_date,lesion_label,lesion_organ,lesion_kind,scan_date,"
                  "longest_diameter_mm,enhancing_diameter_mm,treatment_type,treatment_start_date\n";
  int n = 0;
  auto patient = [&](const std::string& id, const std::string& index) { s += id + ",,,A," + index + ",,,,,,,,\n"; };
  auto sirt = [&](const std::string& id, const std::string& date) { s += id + ",treatments," + std::to_string(++n) + ",,,,,,,,,sirt," + date + "\n"; };
  auto lesion = [&](const std::string& id, const std::string& label, const std::string& kind, const std::string& date, const std::string& mm) {
    s += id + ",lesion_measurements," + std::to_string(++n) + ",,," + label + ",liver," + kind + "," + date + "," + mm + "," + mm + ",,\n";
  };
  // PR-30: sum 100 → 70 (exactly -30 %) at day 60, confirmed at day 100.
  patient("PR-30", "2021-01-10");
  sirt("PR-30", "2021-01-10");
  for (const auto& [date, mm] : {std::pair{"2021-01-05", "50"}, {"2021-03-11", "35"}, {"2021-04-20", "35"}}) {
    lesion("PR-30", "T1", "target", date, mm);
    lesion("PR-30", "T2", "target", date, mm);
  }
  // GROW: 25 → 20 (SD, nadir 20) → 24 (+20 %, +4 mm) → 25 (+25 %, +5 mm).
  patient("GROW", "2021-01-10");
  sirt("GROW", "2021-01-10");
  lesion("GROW", "T1", "target", "2021-01-08", "25");
  lesion("GROW", "T1", "target", "2021-03-11", "20");
  lesion("GROW", "T1", "target", "2021-05-10", "24");
  lesion("GROW", "T1", "target", "2021-07-09", "25");
  // NEW: -50 % but a new lesion at the first follow-up → PD.
  patient("NEW", "2021-02-01");
  sirt("NEW", "2021-02-01");
  lesion("NEW", "T1", "target", "2021-01-25", "40");
  lesion("NEW", "T1", "target", "2021-04-01", "20");
  lesion("NEW", "N1", "new", "2021-04-01", "12");
  // NT-CR: non-target disease only (RECIST 1.1 Table 5): present at baseline
  // and day 60, gone at day 120 with no later scan to confirm the CR.
  patient("NT-CR", "2021-01-10");
  sirt("NT-CR", "2021-01-10");
  lesion("NT-CR", "NT1", "non_target", "2021-01-06", "30");
  lesion("NT-CR", "NT1", "non_target", "2021-03-11", "25");
  lesion("NT-CR", "NT1", "non_target", "2021-05-10", "0");
  // NT-SD: non-target disease only, still present at every follow-up.
  patient("NT-SD", "2021-01-10");
  sirt("NT-SD", "2021-01-10");
  lesion("NT-SD", "NT1", "non_target", "2021-01-06", "30");
  lesion("NT-SD", "NT1", "non_target", "2021-03-11", "30");
  lesion("NT-SD", "NT1", "non_target", "2021-05-10", "28");
  // NONE: no lesion measurement.
  patient("NONE", "2021-02-01");
  return s;
}

class TumourResponseTest : public StoreTest {
 protected:
  std::unique_ptr<Store> cohort() {
    auto s = migrated_store();
    import_redcap(*s, io::CsvTable::parse(cohort_csv(), "cohort.csv"),
                  DataDictionary::from_table(io::CsvTable::parse(catalogue_dictionary_csv(), "dict.csv")), key, {"S", "test", {}});
    return s;
  }
};
SIRTKIT_BOTH_STORES(TumourResponseTest);

// AVALC of one parameter (and visit) of one patient; "" if absent.
std::string avalc(const ResponseDataSet& d, const std::string& id, const std::string& paramcd, const std::string& avisit = "") {
  for (const auto& r : d.records)
    if (r.usubjid == key.pseudonym(id) && r.paramcd == paramcd && (avisit.empty() || r.avisit == avisit)) return r.avalc;
  return "";
}

TEST_P(TumourResponseTest, Recist11CategoriesByHand) {
  auto s = cohort();
  ResponseDerivationOptions o;
  o.landmark_days = {60, 180};
  const ResponseDataSet d = derive_tumour_response(*s, o);
  EXPECT_EQ(d.criteria, "RECIST 1.1");
  // PR at exactly -30 % (RECIST 1.1: "at least a 30 % decrease"), confirmed 40 days later.
  EXPECT_EQ(avalc(d, "PR-30", "OVRLRESP", "DAY 61"), "PR");  // 60 days after the SIRT: ADaM day 61
  EXPECT_EQ(avalc(d, "PR-30", "BOR"), "PR");
  EXPECT_EQ(avalc(d, "PR-30", "CBOR"), "PR");
  EXPECT_EQ(avalc(d, "PR-30", "RSP"), "Y");
  EXPECT_EQ(avalc(d, "PR-30", "DCR"), "Y");
  EXPECT_EQ(avalc(d, "PR-30", "LMRESP", "DAY 60"), "PR");
  EXPECT_EQ(avalc(d, "PR-30", "LMRESP", "DAY 180"), "MISSING");  // last scan at day 100, outside 180 +- 30
  // +20 % over the nadir but only +4 mm: not PD; +25 % and +5 mm: PD.
  EXPECT_EQ(avalc(d, "GROW", "OVRLRESP", "DAY 61"), "SD");
  EXPECT_EQ(avalc(d, "GROW", "OVRLRESP", "DAY 121"), "SD");
  EXPECT_EQ(avalc(d, "GROW", "OVRLRESP", "DAY 181"), "PD");
  EXPECT_EQ(avalc(d, "GROW", "BOR"), "SD");
  EXPECT_EQ(avalc(d, "GROW", "RSP"), "N");
  EXPECT_EQ(avalc(d, "GROW", "DCR"), "Y");
  EXPECT_EQ(avalc(d, "GROW", "LMRESP", "DAY 180"), "PD");
  // A new lesion is PD whatever the targets do.
  EXPECT_EQ(avalc(d, "NEW", "OVRLRESP"), "PD");
  EXPECT_EQ(avalc(d, "NEW", "BOR"), "PD");
  EXPECT_EQ(avalc(d, "NEW", "DCR"), "N");
  // Non-target disease only: a persisting non-target is NON-CR/NON-PD at each
  // time point and as best response, never SD (RECIST 1.1 Table 5, §4.4: SD
  // needs target lesions); an unconfirmed CR of such a patient is NON-CR/NON-PD
  // as confirmed best response (derivation passes non_target_only, 4cc3ce8).
  EXPECT_EQ(avalc(d, "NT-SD", "OVRLRESP", "DAY 61"), "NON-CR/NON-PD");
  EXPECT_EQ(avalc(d, "NT-SD", "BOR"), "NON-CR/NON-PD");
  EXPECT_EQ(avalc(d, "NT-SD", "CBOR"), "NON-CR/NON-PD");
  EXPECT_EQ(avalc(d, "NT-SD", "DCR"), "Y");
  EXPECT_EQ(avalc(d, "NT-SD", "RSP"), "N");
  EXPECT_EQ(avalc(d, "NT-CR", "OVRLRESP", "DAY 61"), "NON-CR/NON-PD");
  EXPECT_EQ(avalc(d, "NT-CR", "OVRLRESP", "DAY 121"), "CR");
  EXPECT_EQ(avalc(d, "NT-CR", "CBOR"), "NON-CR/NON-PD");
  EXPECT_NE(avalc(d, "NT-CR", "CBOR"), "SD");
  ASSERT_EQ(d.excluded.size(), 1u);
  EXPECT_EQ(d.excluded[0].first, key.pseudonym("NONE"));
  EXPECT_EQ(d.excluded[0].second, "no lesion measurements");
  // Numbers and dates as ADaM carries them.
  for (const auto& r : d.records)
    if (r.usubjid == key.pseudonym("PR-30") && r.paramcd == "BOR") {
      EXPECT_EQ(r.aval, 2);  // admiralonco: PR = 2
      EXPECT_EQ(r.ady, "61");
      EXPECT_EQ(r.parcat1, "RECIST 1.1");
    }
  const std::string csv = adrs_csv(d);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "STUDYID,USUBJID,SITEID,TRT01P,PARAMCD,PARAM,PARCAT1,AVALC,AVAL,ADT,ADY,AVISIT,TRTSDT");
}

TEST_P(TumourResponseTest, MrecistHasNoFiveMillimetreRule) {
  auto s = cohort();
  ResponseDerivationOptions o;
  o.criteria = ResponseCriteria::mrecist;
  const ResponseDataSet d = derive_tumour_response(*s, o);
  EXPECT_EQ(d.criteria, "mRECIST");
  // +20 % of the viable diameter over the nadir is PD under mRECIST (Lencioni & Llovet 2010).
  EXPECT_EQ(avalc(d, "GROW", "OVRLRESP", "DAY 121"), "PD");
  EXPECT_EQ(avalc(d, "PR-30", "BOR"), "PR");
}

}  // namespace
}  // namespace sirtkit::registry
