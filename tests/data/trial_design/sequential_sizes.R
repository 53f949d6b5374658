# Goldens for the group-sequential (information-inflated) sizes of sirtkit
# samplesize logrank/proportions --looks (tests/cli/trial_design_cli_test.cpp):
# rpact 3.3.4 getSampleSizeSurvival(design) and getSampleSizeRates(design).
# Run: Rscript sequential_sizes.R > sequential_sizes.csv
suppressMessages(library(rpact))
cat("kind,type,alpha,beta,sided,kmax,max_events,max_patients\n")
for (ty in c("asOF", "asP")) {
  d <- getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, sided = 1, typeOfDesign = ty, tolerance = 1e-10)
  s <- getSampleSizeSurvival(d, hazardRatio = 0.7, median2 = 12, accrualTime = c(0, 24), followUpTime = 12)
  cat(sprintf("logrank,%s,0.025,0.2,1,3,%.15g,%.15g\n", ty, s$maxNumberOfEvents, s$maxNumberOfSubjects))
  r <- getSampleSizeRates(d, pi1 = 0.5, pi2 = 0.3)
  cat(sprintf("rates,%s,0.025,0.2,1,3,NA,%.15g\n", ty, r$maxNumberOfSubjects))
}
