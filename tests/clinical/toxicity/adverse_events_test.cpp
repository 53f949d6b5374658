#include "clinical/toxicity/adverse_events.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
AdverseEvent ae(const std::string& p, const std::string& term, int g, const char* onset = nullptr) {
  AdverseEvent e;
  e.patient_id = p;
  e.term = term;
  e.grade = g;
  if (onset) e.onset = parse_date(onset, "onset");
  e.where = "events.csv " + p;
  return e;
}
}  // namespace

TEST(AdverseEvents, WorstGradePerPatientAndTerm) {
  const auto t = adverse_event_table({ae("P1", "Fatigue", 1), ae("P1", "fatigue", 3), ae("P2", "Fatigue", 2),
                                      ae("P3", "Fatigue", 4), ae("P3", "Abdominal pain", 5), ae("P2", "Nausea", 1)});
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].term, "Fatigue");  // most patients first; first spelling kept
  EXPECT_EQ(t[0].any, 3);
  EXPECT_EQ(t[0].grade_1_2, 1);  // P2
  EXPECT_EQ(t[0].grade_3, 1);    // P1 (worst of 1 and 3)
  EXPECT_EQ(t[0].grade_4, 1);    // P3
  EXPECT_EQ(t[1].term, "Abdominal pain");
  EXPECT_EQ(t[1].grade_5, 1);
  EXPECT_EQ(t[2].term, "Nausea");
}

TEST(AdverseEvents, GradesOutsideOneToFiveAreErrors) {
  EXPECT_BAD_INPUT(adverse_event_table({ae("P1", "Fatigue", 0)}), "grade", "0");
  EXPECT_BAD_INPUT(adverse_event_table({ae("P1", "Fatigue", 6)}), "grade", "6");
  EXPECT_BAD_INPUT(adverse_event_table({ae("P1", "", 2)}), "term");
}

TEST(AdverseEvents, PostRadioembolizationSyndromeWindow) {
  const std::vector<AdverseEvent> ev = {ae("P1", "Fatigue", 2, "2020-01-15"), ae("P1", "Fever", 1, "2020-01-02"),
                                        ae("P1", "Alopecia", 1, "2020-01-03"), ae("P2", "Nausea", 3, "2020-01-16")};
  const Date sirt = parse_date("2020-01-01", "d");
  PresFlag f = post_radioembolization_syndrome(ev, "P1", sirt, 14);
  EXPECT_TRUE(f.present);
  EXPECT_EQ(f.terms.size(), 2u);  // fatigue day 14, fever day 1; alopecia is not a component
  EXPECT_EQ(f.worst_grade, 2);
  f = post_radioembolization_syndrome(ev, "P1", sirt, 13);  // day 14 falls outside
  EXPECT_EQ(f.terms.size(), 1u);
  EXPECT_FALSE(post_radioembolization_syndrome(ev, "P2", sirt, 14).present);  // day 15
  EXPECT_TRUE(is_pres_component("abdominal_pain"));
  EXPECT_FALSE(is_pres_component("Diarrhea"));
  EXPECT_BAD_INPUT(post_radioembolization_syndrome({ae("P1", "Fever", 1)}, "P1", sirt, 14), "onset");
}

}  // namespace sirtkit::clinical
