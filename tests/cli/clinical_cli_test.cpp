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
  EXPECT_TRUE(has(r.out, "at day 90: objective response 1/2 (50%)")) << r.out;
  EXPECT_TRUE(has(r.out, "at day 270: objective response 0/2 (0%)")) << r.out;
  r = run("response recist " + csv + " --at-days 90,abc");
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST(ClinicalCli, Eligible) {
  const std::string dir = std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/eligibility/";
  CliRun r = run("eligible " + dir + "seed002.toml " + dir + "seed002_patients.csv");
  EXPECT_EQ(r.code, 0) << r.out;
  // S01 eligible; S02 > 50 % with albumin 2.8 g/dL; S03 ECOG 2; S04 Child-Pugh B and creatinine 1.6 × ULN
  EXPECT_TRUE(has(r.out, "Patient S01: eligible")) << r.out;
  EXPECT_TRUE(has(r.out, "Patient S02: not eligible")) << r.out;
  EXPECT_TRUE(has(r.out, "1 of 4 patients eligible")) << r.out;
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
