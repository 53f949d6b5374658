// Runs the built `sirtkit` program as a user would (clinical commands).
#include <gtest/gtest.h>

#include "run_sirtkit.h"

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace {

using sirtkit::cli_test::run;
using CliRun = sirtkit::cli_test::CliRun;

bool has(const std::string& s, const std::string& frag) { return s.find(frag) != std::string::npos; }

}  // namespace

TEST(ClinicalCli, ChildPughUsAndSi) {
  CliRun r = run("score child-pugh --bilirubin 2.0mg/dL --albumin 3.6g/dL --inr 1.2 --ascites none "
              "--encephalopathy none");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "Child-Pugh: A6")) << r.out;
  r = run("score child-pugh --bilirubin 51.4umol/L --albumin 27.9g/L --inr 2.31 --ascites moderate "
          "--encephalopathy 3 --json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "\"category\": \"C15\"")) << r.out;
  EXPECT_TRUE(has(r.out, "\"class\": \"C\"")) << r.out;
}

TEST(ClinicalCli, MissingOrWrongUnitIsExitTwo) {
  CliRun r = run("score child-pugh --bilirubin 1.2 --albumin 35g/L --inr 1.3 --ascites none --encephalopathy none");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.out, "--bilirubin")) << r.out;
  EXPECT_TRUE(has(r.out, "1.2")) << r.out;
  r = run("score albi --bilirubin 20umol/L --albumin 35g/dL");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.out, "--albumin")) << r.out;
  r = run("score albi --bilirubin 20umol/L");  // missing option
  EXPECT_EQ(r.code, 2);
}

TEST(ClinicalCli, MeldFamily) {
  CliRun r = run("score meld-na --creatinine 1.2mg/dL --bilirubin 3mg/dL --inr 1.6 --sodium 128mmol/L --dialysis no --json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "\"value\": 25.0")) << r.out;
  r = run("score meld3 --creatinine 106.08umol/L --bilirubin 2.5mg/dL --inr 1.5 --sodium 135mmol/L "
          "--albumin 30g/L --sex male --dialysis no");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "MELD 3.0: 18")) << r.out;
}

TEST(ClinicalCli, Staging) {
  CliRun r = run("score bclc --ecog 0 --nodules 3 --largest 30mm --macrovascular-invasion no "
              "--extrahepatic-spread no --liver-function preserved");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "BCLC: A")) << r.out;
  r = run("score clip --child-pugh B --morphology multinodular --extension-over-50 no --afp 400ng/mL --pvt yes");
  EXPECT_TRUE(has(r.out, "CLIP: 4")) << r.out;
  r = run("score okuda --tumour-over-50 yes --ascites no --albumin 2.9g/dL --bilirubin 3mg/dL");
  EXPECT_TRUE(has(r.out, "Okuda: III")) << r.out;
  r = run("score ecog --grade 7");
  EXPECT_EQ(r.code, 2);
}

TEST(ClinicalCli, CtcaeExample) {
  CliRun r = run(std::string("ctcae ") + SIRTKIT_SOURCE_DIR + "/examples/clinical/labs.csv --json");
  EXPECT_EQ(r.code, 0) << r.out;
  // P01 platelets 48 → grade 3; P02 ALT 200 against abnormal baseline 70 → grade 1
  EXPECT_TRUE(has(r.out, "\"term\": \"Platelet count decreased\",\n      \"baseline_grade\": 0,\n      \"worst_grade\": 3"))
      << r.out;
  EXPECT_TRUE(has(r.out, "\"reason\": \">= 1.5 x baseline\"")) << r.out;
  r = run(std::string("ctcae ") + SIRTKIT_SOURCE_DIR + "/examples/clinical/labs.csv");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "Worst post-baseline grade")) << r.out;
  r = run("ctcae /nonexistent/labs.csv");
  EXPECT_EQ(r.code, 4) << r.out;
}

TEST(ClinicalCli, ResponseRecistExample) {
  const std::string csv = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/lesions.csv";
  CliRun r = run("response recist " + csv + " --json");
  EXPECT_EQ(r.code, 0) << r.out;
  // P01: 100 → 59 (PR) → 42 (PR, nadir) → 52 (+23.8 %, +10 mm: PD); confirmed PR
  EXPECT_TRUE(has(r.out, "\"sum\": 52.0")) << r.out;
  EXPECT_TRUE(has(r.out, "\"overall\": \"PD\"")) << r.out;
  EXPECT_TRUE(has(r.out, "\"confirmed_best_overall_response\": {\n        \"response\": \"PR\"")) << r.out;
  r = run("response recist " + csv);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "best overall response: PD (PD on 2024-05-06)")) << r.out;
  r = run("response mrecist " + csv + " --confirm-days 120");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "mRECIST")) << r.out;
}

TEST(ClinicalCli, TnmStage) {
  CliRun r = run("score tnm --tumours 2 --largest 51mm --vascular-invasion no --major-vessel-invasion no "
                 "--adjacent-organ-invasion no --nodes no --metastasis no");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "stage IIIA")) << r.out;
  EXPECT_TRUE(has(r.out, "T3 N0 M0")) << r.out;
}

TEST(ClinicalCli, ResponseAtLandmarks) {
  const std::string csv = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/lesions.csv";
  CliRun r = run("response recist " + csv + " --at-days 90,180,270 --window-days 45");
  EXPECT_EQ(r.code, 0) << r.out;
  // P01 (start 2024-01-15): day 91 PR, day 182 PR, day 273 PD; P02: PD from day 91 on
  EXPECT_TRUE(has(r.out, "at day 90: objective response 1/2 (50.0%)")) << r.out;
  EXPECT_TRUE(has(r.out, "at day 270: objective response 0/2 (0.0%)")) << r.out;
  r = run("response recist " + csv + " --at-days 90,abc");
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST(ClinicalCli, Eligible) {
  const std::string dir = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/eligibility/";
  CliRun r = run("eligible " + dir + "seed002.toml " + dir + "seed002_patients.csv");
  EXPECT_EQ(r.code, 0) << r.out;
  // S01 eligible; S02 > 50 % with albumin 2.8 g/dL; S03 ECOG 2; S04 Child-Pugh B and creatinine 1.6 × ULN;
  // S05 brain metastasis "not assessed"; S06 local therapy 21 days before baseline; S07 exactly 28 days
  EXPECT_TRUE(has(r.out, "Patient S01: eligible")) << r.out;
  EXPECT_TRUE(has(r.out, "Patient S02: not eligible")) << r.out;
  EXPECT_TRUE(has(r.out, "Patient S05: undetermined")) << r.out;
  EXPECT_TRUE(has(r.out, "Patient S06: not eligible")) << r.out;
  EXPECT_TRUE(has(r.out, "Patient S07: eligible")) << r.out;
  EXPECT_TRUE(has(r.out, "days from local_therapy_end_date to baseline_scan_date = 28 >= 28: true")) << r.out;
  EXPECT_TRUE(has(r.out, "2 of 7 patients eligible, 1 undetermined")) << r.out;
  r = run("eligible " + dir + "seed002.toml " + dir + "dosisphere01_patients.csv");
  EXPECT_EQ(r.code, 2) << r.out;  // columns the rules need are absent
}

TEST(ClinicalCli, ResponseIrecist) {
  const std::string csv = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/lesions_irecist.csv";
  CliRun r = run("response irecist " + csv);
  EXPECT_EQ(r.code, 0) << r.out;
  // I01: 50 → 30 iPR → 40 iUPD → 33 iPR (reset); I02: new lung lesion 12 mm iUPD → 18 mm iCPD
  EXPECT_TRUE(has(r.out, "iRECIST best overall response: iPR")) << r.out;
  EXPECT_TRUE(has(r.out, "iRECIST iCPD")) << r.out;
  EXPECT_TRUE(has(r.out, "new-lesion target sum +6 mm since iUPD")) << r.out;
  r = run("response irecist " + csv + " --json");
  EXPECT_TRUE(has(r.out, "\"response\": \"iUPD\"")) << r.out;
  r = run("response irecist " + csv + " --at-days 90");
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST(ClinicalCli, Reild) {
  const std::string dir = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/";
  CliRun r = run("reild " + dir + "labs_reild.csv " + dir + "treatments.csv");
  EXPECT_EQ(r.code, 0) << r.out;
  // P01: 40 µmol/L = 2.34 mg/dL, no ascites; P02: 3.4 mg/dL on day 35 with ascites
  EXPECT_TRUE(has(r.out, "Patient P01, SIRT on 2024-01-15: no REILD")) << r.out;
  EXPECT_TRUE(has(r.out, "Patient P02, SIRT on 2024-01-22: REILD")) << r.out;
  r = run("reild " + dir + "labs_reild.csv " + dir + "treatments.csv --definition who");
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST(ClinicalCli, ResponseLirads) {
  const std::string csv = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/lirads_tr.csv";
  CliRun r = run("response lirads " + csv);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "2024-04-15  patient: LR-TR Viable (largest viable 14.0 mm)")) << r.out;
  EXPECT_TRUE(has(r.out, "2024-07-15  patient: LR-TR Equivocal")) << r.out;
  EXPECT_TRUE(has(r.out, "2024-10-14  patient: LR-TR Nonviable")) << r.out;
  r = run("response lirads " + csv + " --json");
  EXPECT_TRUE(has(r.out, "\"patient_category\": \"LR-TR Nonviable\"")) << r.out;
}

TEST(ClinicalCli, ScoreBatchCsv) {
  const std::string csv = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/child_pugh_patients.csv";
  CliRun r = run("score child-pugh --csv " + csv);
  EXPECT_EQ(r.code, 0) << r.out;
  // P01: 1+2+1+1+1 = A6; P02: 2+2+2+2+1 = B9; P03: 3+3+3+3+3 = C15
  EXPECT_TRUE(has(r.out, "P01          A6")) << r.out;
  EXPECT_TRUE(has(r.out, "P02          B9")) << r.out;
  EXPECT_TRUE(has(r.out, "P03          C15")) << r.out;
  r = run("score child-pugh --csv " + csv + " --json");
  EXPECT_TRUE(has(r.out, "\"patient_id\": \"P02\",\n    \"rule\": \"Child-Pugh\"")) << r.out;
  r = run("score child-pugh --csv " + csv + " --inr 1.2");
  EXPECT_EQ(r.code, 2) << r.out;
  r = run("score albi --csv " + csv);  // ALBI needs only bilirubin and albumin: other columns ignored
  EXPECT_EQ(r.code, 0) << r.out;
  r = run("score meld --csv " + csv);  // creatinine column missing
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "creatinine")) << r.out;
}

TEST(ClinicalCli, ChildPughWithPtProlongation) {
  CliRun r = run("score child-pugh --bilirubin 1mg/dL --albumin 4g/dL --pt-prolongation 4s --ascites none "
                 "--encephalopathy none");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "Child-Pugh: A6")) << r.out;
  r = run("score child-pugh --bilirubin 1mg/dL --albumin 4g/dL --ascites none --encephalopathy none");
  EXPECT_EQ(r.code, 2) << r.out;  // neither INR nor PT
  r = run("score child-pugh --bilirubin 1mg/dL --albumin 4g/dL --inr 1.1 --pt-prolongation 4s --ascites none "
          "--encephalopathy none");
  EXPECT_EQ(r.code, 2) << r.out;  // both
}

TEST(ClinicalCli, AeTable) {
  const std::string dir = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/";
  CliRun r = run("ae-table " + dir + "adverse_events.csv --n 10 --treatments " + dir + "treatments.csv");
  EXPECT_EQ(r.code, 0) << r.out;
  // Fatigue: P01 worst 2, P02 worst 3 → any 2 (20 %), 1-2: 1, 3: 1
  EXPECT_TRUE(has(r.out, "Fatigue")) << r.out;
  EXPECT_TRUE(has(r.out, "2 (20.0%)")) << r.out;
  EXPECT_TRUE(has(r.out, "2 of 2 sessions")) << r.out;
  r = run("ae-table " + dir + "adverse_events.csv --n 2");
  EXPECT_EQ(r.code, 2) << r.out;
}

namespace {

// A file in a folder of its own per test (ctest runs tests in parallel processes).
std::string write_temp(const std::string& name, const std::string& text) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto dir = sirtkit::cli_test::fresh_dir(std::string("sirtkit_clinical_cli_") + info->name() + "_" + name);
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

}  // namespace

TEST(ClinicalCli, CtcaeRefusesImpossibleValuesNamingLineColumnValue) {
  // platelets 40000 x10^9/L was graded 0; creatinine 90 mg/dL 4: now exit 2, nothing on stdout
  const std::string labs = write_temp("labs.csv",
                                      "patient_id,date,test,value,unit,lln,uln\n"
                                      "X1,2024-01-01,platelets,150,10^9/L,150,400\n"
                                      "X1,2024-02-01,platelets,40000,10^9/L,150,400\n");
  CliRun r = run("ctcae " + labs + " --baseline-first", false);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  r = run("ctcae " + labs + " --baseline-first");
  EXPECT_TRUE(has(r.out, "labs.csv line 3")) << r.out;
  EXPECT_TRUE(has(r.out, "column value")) << r.out;
  EXPECT_TRUE(has(r.out, "40000")) << r.out;
  EXPECT_FALSE(has(r.out, "X1")) << r.out;  // the patient identifier is not in the message
}

TEST(ClinicalCli, CtcaePotassiumGlucoseAndAnticoagulatedInr) {
  const std::string labs = write_temp("labs.csv",
                                      "patient_id,date,test,value,unit,lln,uln,anticoagulation\n"
                                      "K1,2024-01-01,potassium,4.0,mmol/L,3.5,5.1,\n"
                                      "K1,2024-02-01,potassium,6.5,mmol/L,3.5,5.1,\n"
                                      "K1,2024-01-01,glucose,90,mg/dL,70,100,\n"
                                      "K1,2024-02-01,glucose,38,mg/dL,70,100,\n"
                                      "K1,2024-01-01,inr,2.4,,,,yes\n"
                                      "K1,2024-02-01,inr,3.0,,,,yes\n"
                                      "K2,2024-01-01,inr,0.9,,,,no\n"
                                      "K2,2024-02-01,inr,1.4,,,,no\n");
  CliRun r = run("ctcae " + labs + " --baseline-first --json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto worst = [&](const std::string& pid, const std::string& term) {
    const std::string key = "\"patient_id\": \"" + pid + "\",\n      \"term\": \"" + term + "\",";
    const auto at = r.out.find(key, r.out.find("\"worst\""));
    if (at == std::string::npos) return std::string("absent");
    const auto g = r.out.find("\"worst_grade\": ", at);
    return r.out.substr(g + 15, r.out.find(',', g) - g - 15);
  };
  EXPECT_EQ(worst("K1", "Hyperkalemia"), "3");    // 6.5 > 6.0 mmol/L
  EXPECT_EQ(worst("K1", "Hypoglycemia"), "3");    // 38 < 40 mg/dL
  EXPECT_EQ(worst("K1", "Hyperglycemia"), "null");  // clinical in CTCAE v5.0
  EXPECT_EQ(worst("K1", "INR increased"), "1");   // anticoagulated: 3.0 = 1.25 x baseline 2.4
  EXPECT_EQ(worst("K2", "INR increased"), "1");   // not anticoagulated: 1.4 absolute (1.56 x baseline ignored)
}

TEST(ClinicalCli, EligibleRefusesImpossibleValuesAndDuplicates) {
  const std::string dir = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/eligibility/";
  const std::string head = "patient_id,largest_lesion,spared_liver,lung_dose,digestive_shunt,poor_targeting\n";
  for (const std::string& row : {"Q1,8 cm,40 %,-35 Gy,no,no", "Q1,8 cm,150 %,12 Gy,no,no", "Q1,800 cm,40 %,12 Gy,no,no",
                                 "Q1,8 cm,40 %,12 Gy,2,no"}) {
    const std::string p = write_temp("patients.csv", head + row + "\n");
    CliRun r = run("eligible " + dir + "dosisphere01.toml " + p);
    EXPECT_EQ(r.code, 2) << row << ": " << r.out;
    EXPECT_TRUE(has(r.out, "patients.csv line 2")) << r.out;
    EXPECT_TRUE(has(r.out, "column ")) << r.out;
    EXPECT_FALSE(has(r.out, "Q1")) << r.out;
  }
  const std::string dup = write_temp("patients.csv", head + "Q1,8 cm,40 %,12 Gy,no,no\nQ2,9 cm,40 %,12 Gy,no,no\n"
                                                           "Q1,8 cm,40 %,35 Gy,no,no\n");
  CliRun r = run("eligible " + dir + "dosisphere01.toml " + dup);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "line 4") && has(r.out, "line 2") && has(r.out, "column patient_id")) << r.out;
  EXPECT_FALSE(has(r.out, "Q1")) << r.out;
  const std::string cp = write_temp("patients.csv",
                                    "patient_id,age,ecog,child_pugh_class\nQ1,64 years,1,D\n");
  const std::string rules = write_temp("rules.toml",
                                       "name = \"t\"\n[[criterion]]\nid = \"cp\"\nfield = \"child_pugh_class\"\n"
                                       "operator = \"in\"\nvalues = [\"A\"]\n[[criterion]]\nid = \"ecog\"\n"
                                       "field = \"ecog\"\noperator = \"<=\"\nthreshold = 1\n");
  r = run("eligible " + rules + " " + cp);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "column child_pugh_class") && has(r.out, "'D'")) << r.out;
}

TEST(ClinicalCli, ResponseNonTargetOnlyUnconfirmedCrAndEaslBoundary) {
  // Non-target disease only: CR at day 91 without confirmation → confirmed BOR NON-CR/NON-PD (Table 5)
  const std::string nt = write_temp("lesions.csv",
                                    "patient_id,date,lesion_id,kind,status\n"
                                    "N1,2024-01-01,L1,non_target,present\n"
                                    "N1,2024-04-01,L1,non_target,absent\n");
  CliRun r = run("response recist " + nt + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "\"NON-CR/NON-PD\"")) << r.out;
  EXPECT_FALSE(has(r.out, "\"SD\"")) << r.out;
  // EASL: +25 % exactly (40x30 = 1200 → 50x30 = 1500 mm2) is PD
  const std::string easl = write_temp("lesions.csv",
                                      "patient_id,date,lesion_id,kind,organ,diameter_mm,perpendicular_mm\n"
                                      "E1,2024-01-01,T1,target,liver,40,30\n"
                                      "E1,2024-03-01,T1,target,liver,50,30\n");
  r = run("response easl " + easl);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "best overall response: PD")) << r.out;
}
