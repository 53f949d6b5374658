// OS / PFS / TTP derivation (ADaM ADTTE shape) on both stores, patient by
// patient: events, censoring at the last known alive date or last tumour
// assessment, surgery censoring, origin at the first treatment.

#include "registry/derived/time_to_event.h"
#include "registry/derived/adverse_event_list.h"
#include "registry/derived/study_flow.h"

#include <gtest/gtest.h>

#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "../redcap/redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

const auto key = PseudonymKey::from_bytes("tte-test-key-0123456789abcdef-0123456");

class TimeToEventTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    store = open(fresh_location());
    migrate(*store, "test");
    testing::RedcapExport e;
    auto meas = [&](const std::string& id, const std::string& date) {
      e.row(id, "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_kind", "1"}, {"scan_date", date}, {"longest_diameter_mm", "40"}});
    };
    auto fu = [&](const std::string& id, const std::string& code, const std::string& date) {
      e.row(id, "followup", {{"followup_type", code}, {"followup_date", date}});
    };
    // A: SIRT day 9, progression day 120, death day 243.
    e.row("A", "", {{"site", "1"}, {"arm", "1"}, {"index_date", "2021-01-01"}, {"sex", "1"}, {"ecog", "2"}, {"bclc_stage", "C"}});
    e.row("A", "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2021-01-10"}, {"planned_tumour_dose_gy", "250"}, {"verified_tumour_dose_gy", "198.5"}});
    e.row("A", "adverse_events", {{"ae_term", "Fatigue"}, {"ae_grade", "1"}, {"ae_onset_date", "2021-01-12"}});
    e.row("A", "adverse_events", {{"ae_term", "Ascites"}, {"ae_grade", "3"}, {"ae_onset_date", "2021-02-12"}});
    meas("A", "2021-01-01");
    meas("A", "2021-04-01");
    fu("A", "1", "2021-05-01");
    fu("A", "4", "2021-09-01");
    // B: no event; last assessment day 60, last contact day 364.
    e.row("B", "", {{"site", "1"}, {"arm", "2"}, {"index_date", "2021-01-01"}});
    e.row("B", "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2021-01-05"}, {"planned_tumour_dose_gy", "150"}});
    e.row("B", "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2021-02-05"}, {"planned_tumour_dose_gy", "205"}});
    meas("B", "2021-01-01");
    meas("B", "2021-03-02");
    fu("B", "5", "2021-12-31");
    // C: baseline scan only (day -4), death day 31, lab on day 20.
    e.row("C", "", {{"site", "2"}, {"arm", "1"}, {"index_date", "2021-01-01"}});
    e.row("C", "treatments", {{"treatment_type", "2"}, {"treatment_start_date", "2021-01-03"}});
    meas("C", "2020-12-28");
    e.row("C", "labs", {{"lab_date", "2021-01-21"}, {"lab_test", "albumin"}, {"lab_value", "30"}, {"lab_unit", "g/L"}});
    fu("C", "4", "2021-02-01");
    // D: resection day 151, progression day 212, last contact day 365.
    e.row("D", "", {{"site", "2"}, {"arm", "2"}, {"index_date", "2021-01-01"}});
    e.row("D", "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2021-01-01"}});
    meas("D", "2021-01-01");
    meas("D", "2021-05-01");
    fu("D", "2", "2021-06-01");
    fu("D", "1", "2021-08-01");
    fu("D", "5", "2022-01-01");
    // E: never treated; alive at day 100.
    e.row("E", "", {{"site", "1"}, {"arm", "1"}, {"index_date", "2021-01-01"}});
    fu("E", "5", "2021-04-11");
    import_redcap(*store, io::CsvTable::parse(e.csv(), "tte.csv"),
                  DataDictionary::from_table(io::CsvTable::parse(testing::redcap_dictionary_csv(), "dict.csv")), key, {"T", "test", {}});
  }
  const TteRecord& rec(const TteDataSet& d, const std::string& id) {
    for (const auto& r : d.records)
      if (r.usubjid == key.pseudonym(id)) return r;
    throw std::runtime_error("no record for " + id);
  }
  std::unique_ptr<Store> store;
};
SIRTKIT_BOTH_STORES(TimeToEventTest);

TEST_P(TimeToEventTest, OverallSurvival) {
  const TteDataSet d = derive_time_to_event(*store, {Endpoint::os, Origin::index_date, false, "", DoseSource::planned, 0});
  ASSERT_EQ(d.records.size(), 5u);
  EXPECT_EQ(rec(d, "A").aval_days, 243);
  EXPECT_EQ(rec(d, "A").cnsr, 0);
  EXPECT_EQ(rec(d, "A").evntdesc, "DEATH");
  EXPECT_EQ(rec(d, "B").aval_days, 364);
  EXPECT_EQ(rec(d, "B").cnsr, 1);
  EXPECT_EQ(rec(d, "B").cnsdtdsc, "LAST KNOWN ALIVE");
  EXPECT_EQ(rec(d, "C").aval_days, 31);
  EXPECT_EQ(rec(d, "C").cnsr, 0);
  EXPECT_EQ(rec(d, "D").aval_days, 365);
  EXPECT_EQ(rec(d, "E").aval_days, 100);
  EXPECT_EQ(rec(d, "A").paramcd, "OS");
  EXPECT_EQ(rec(d, "A").trt01p, "personalised");
  EXPECT_EQ(rec(d, "A").studyid, "T");
}

TEST_P(TimeToEventTest, ProgressionFreeSurvivalAndSurgeryCensoring) {
  const TteDataSet d = derive_time_to_event(*store, {Endpoint::pfs, Origin::index_date, false, "", DoseSource::planned, 0});
  EXPECT_EQ(rec(d, "A").aval_days, 120);
  EXPECT_EQ(rec(d, "A").evntdesc, "DISEASE PROGRESSION");
  EXPECT_EQ(rec(d, "B").aval_days, 60);  // last tumour assessment, not last contact
  EXPECT_EQ(rec(d, "B").cnsdtdsc, "LAST TUMOR ASSESSMENT");
  EXPECT_EQ(rec(d, "C").aval_days, 31);  // death is a PFS event
  EXPECT_EQ(rec(d, "C").evntdesc, "DEATH");
  EXPECT_EQ(rec(d, "D").aval_days, 212);
  EXPECT_EQ(rec(d, "D").cnsr, 0);
  EXPECT_EQ(rec(d, "E").aval_days, 0);  // no post-baseline assessment: censored at the origin
  EXPECT_EQ(rec(d, "E").cnsdtdsc, "NO POST-BASELINE TUMOR ASSESSMENT");
  const TteDataSet s = derive_time_to_event(*store, {Endpoint::pfs, Origin::index_date, true, "", DoseSource::planned, 0});
  EXPECT_EQ(rec(s, "D").aval_days, 151);
  EXPECT_EQ(rec(s, "D").cnsr, 1);
  EXPECT_EQ(rec(s, "D").cnsdtdsc, "RESECTION");
  EXPECT_EQ(rec(s, "A").aval_days, 120);  // no surgery: unchanged
}

TEST_P(TimeToEventTest, TimeToProgressionCensorsDeaths) {
  const TteDataSet d = derive_time_to_event(*store, {Endpoint::ttp, Origin::index_date, false, "", DoseSource::planned, 0});
  EXPECT_EQ(rec(d, "A").aval_days, 120);
  EXPECT_EQ(rec(d, "A").cnsr, 0);
  EXPECT_EQ(rec(d, "C").cnsr, 1);  // died without progression
  EXPECT_EQ(rec(d, "C").aval_days, 0);
}

TEST_P(TimeToEventTest, OriginAtFirstTreatmentAndCsv) {
  const TteDataSet d = derive_time_to_event(*store, {Endpoint::os, Origin::first_treatment, false, "", DoseSource::planned, 0});
  ASSERT_EQ(d.records.size(), 4u);
  ASSERT_EQ(d.excluded.size(), 1u);
  EXPECT_EQ(d.excluded[0].first, key.pseudonym("E"));
  EXPECT_EQ(rec(d, "A").aval_days, 234);
  EXPECT_EQ(rec(d, "C").aval_days, 29);
  const std::string csv = adtte_csv(d, true);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "STUDYID,USUBJID,SITEID,TRT01P,PARAMCD,PARAM,STARTDT,ADT,AVAL,AVALU,CNSR,EVNTDESC,CNSDTDSC,WORSTAE,TDOSE,TDOSEGR,"
            "AGE,SEX,ECOG,CHILDPGH,BCLC,PVI,NLDOSE,NLDOSEGR");
  EXPECT_NE(csv.find(key.pseudonym("A") + ",Paris,personalised,OS,Overall Survival (months),"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",7.687885,MONTHS,0,DEATH,"), std::string::npos) << csv;  // 234 / (365.25/12)
}

TEST_P(TimeToEventTest, WorstAdverseEventAndDoseGroups) {
  TteOptions o;
  o.dose_threshold_gy = 205;
  const TteDataSet d = derive_time_to_event(*store, o);
  EXPECT_EQ(rec(d, "A").worst_ae_grade, 3);
  EXPECT_EQ(rec(d, "B").worst_ae_grade, 0);
  EXPECT_EQ(rec(d, "A").tumour_dose_gy, "250");
  EXPECT_EQ(rec(d, "A").dose_group, ">=205 Gy");
  EXPECT_EQ(rec(d, "B").tumour_dose_gy, "205");  // highest of the sessions; 205 is in the >= group
  EXPECT_EQ(rec(d, "B").dose_group, ">=205 Gy");
  EXPECT_EQ(rec(d, "C").tumour_dose_gy, "");  // TACE only
  EXPECT_EQ(rec(d, "C").dose_group, "");
  o.dose_source = DoseSource::verified;
  const TteDataSet v = derive_time_to_event(*store, o);
  EXPECT_EQ(rec(v, "A").tumour_dose_gy, "198.5");
  EXPECT_EQ(rec(v, "A").dose_group, "<205 Gy");
  EXPECT_EQ(rec(v, "B").dose_group, "");  // no verified dose
  const std::string csv = adtte_csv(v, false);
  EXPECT_NE(csv.find(",3,198.5,<205 Gy,"), std::string::npos) << csv;
  // Baseline covariates for Cox models: AGE, SEX, ECOG, CHILDPGH, BCLC, PVI as stored.
  EXPECT_EQ(rec(v, "A").baseline.sex, "male");
  EXPECT_EQ(rec(v, "A").baseline.ecog, "2");
  EXPECT_NE(csv.find(",3,198.5,<205 Gy,,male,2,,C,,,\n"), std::string::npos) << csv;
}

TEST_P(TimeToEventTest, NormalLiverDoseIsTheHighestOfTheSessionsWithItsOwnThreshold) {
  // B's two SIRT sessions: 80.5 Gy to the normal liver in the first, 60 Gy in the second.
  const std::string b = *store->scalar("SELECT id FROM patients WHERE pseudonym = ?", {key.pseudonym("B")});
  Transaction tx(*store, "test");
  store->execute("UPDATE treatments SET planned_normal_liver_dose_gy = CASE WHEN start_day = (SELECT MIN(start_day) FROM treatments "
                 "WHERE patient_id = ?) THEN 80.5 ELSE 60 END WHERE patient_id = ?",
                 {b, b});
  tx.commit();
  TteOptions o;
  o.normal_liver_threshold_gy = 70;
  const TteDataSet d = derive_time_to_event(*store, o);
  EXPECT_EQ(rec(d, "B").normal_liver_dose_gy, "80.5");  // the first session's, higher than the second's 60
  EXPECT_EQ(rec(d, "B").normal_liver_dose_group, ">=70 Gy");
  EXPECT_EQ(rec(d, "A").normal_liver_dose_gy, "");  // not recorded
  EXPECT_EQ(rec(d, "A").normal_liver_dose_group, "");
  o.normal_liver_threshold_gy = 81;
  EXPECT_EQ(rec(derive_time_to_event(*store, o), "B").normal_liver_dose_group, "<81 Gy");
  const std::string csv = adtte_csv(d, false);
  EXPECT_NE(csv.find(",80.5,>=70 Gy\n"), std::string::npos) << csv;
  o.dose_source = DoseSource::verified;  // no verified normal-liver dose recorded
  EXPECT_EQ(rec(derive_time_to_event(*store, o), "B").normal_liver_dose_gy, "");
}

// The same patients as the report's CONSORT flow and adverse-event table see them
// (registry/derived/study_flow.h, adverse_event_list.h), on both stores.
TEST_P(TimeToEventTest, StudyFlowCountsEachArmByTreatmentReceived) {
  const StudyFlow f = study_flow(*store, "");
  EXPECT_EQ(f.registered, 5);
  ASSERT_EQ(f.arms.size(), 2u);
  EXPECT_EQ(f.arms[0].arm, "personalised");  // A (SIRT), C (TACE only), E (none)
  EXPECT_EQ(f.arms[0].allocated, 3);
  EXPECT_EQ(f.arms[0].received_sirt, 1);
  EXPECT_EQ(f.arms[0].received_other_only, 1);
  EXPECT_EQ(f.arms[0].untreated, 1);
  EXPECT_EQ(f.arms[1].arm, "standard");  // B and D, both SIRT
  EXPECT_EQ(f.arms[1].allocated, 2);
  EXPECT_EQ(f.arms[1].received_sirt, 2);
  EXPECT_EQ(study_flow(*store, "another").registered, 0);
}

TEST_P(TimeToEventTest, AdverseEventListCarriesArmGradeAndDay) {
  const auto events = adverse_event_list(*store, "");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].pseudonym, key.pseudonym("A"));
  EXPECT_EQ(events[0].arm, "personalised");
  EXPECT_EQ(events[0].term, "Fatigue");
  EXPECT_EQ(events[0].grade, 1);
  EXPECT_EQ(events[0].onset_day, 11);
  EXPECT_EQ(events[1].term, "Ascites");
  EXPECT_EQ(events[1].grade, 3);
  EXPECT_TRUE(adverse_event_list(*store, "another").empty());
}

}  // namespace
}  // namespace sirtkit::registry
