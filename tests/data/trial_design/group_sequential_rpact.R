# Goldens for sirtkit samplesize gs and the inflated sizes
# (tests/stats/trial/group_sequential_test.cpp, tests/cli/trial_design_cli_test.cpp):
# rpact 3.3.4 getDesignGroupSequential(typeOfDesign = "asOF" / "asP") with
# tolerance 1e-10 (rpact's finest) and getDesignCharacteristics().
# Run: Rscript group_sequential_rpact.R > group_sequential_rpact.csv
# One row per look: the design's inputs, then the look's critical value,
# cumulative alpha spent, stage level and rejection probability under H1, and
# the design's inflation factor, shift and expected sizes (ASN1, ASN01, ASN0).
suppressMessages(library(rpact))
cat("case,type,alpha,beta,sided,kmax,information_rates,look,critical,alpha_spent,stage_level,rejection_h1,inflation,shift,asn1,asn01,asn0\n")
cases <- list(list("asOF", 0.025, 0.2, 1, c(1/3, 2/3, 1)), list("asP", 0.025, 0.2, 1, c(1/3, 2/3, 1)),
              list("asOF", 0.05, 0.1, 2, c(0.25, 0.5, 0.75, 1)), list("asP", 0.05, 0.1, 2, c(0.2, 0.5, 0.8, 1)),
              list("asOF", 0.025, 0.1, 1, c(0.5, 1)), list("asOF", 0.025, 0.2, 1, seq(0.2, 1, 0.2)),
              list("asP", 0.01, 0.2, 1, c(0.3, 0.6, 1)), list("asOF", 0.05, 0.2, 2, c(0.4, 0.7, 1)))
i <- 0
for (cs in cases) {
  i <- i + 1
  d <- getDesignGroupSequential(typeOfDesign = cs[[1]], alpha = cs[[2]], beta = cs[[3]], sided = cs[[4]],
                                informationRates = cs[[5]], tolerance = 1e-10)
  ch <- getDesignCharacteristics(d)
  for (k in seq_along(cs[[5]]))
    cat(sprintf("%d,%s,%g,%g,%d,%d,%s,%d,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g\n", i, cs[[1]], cs[[2]], cs[[3]], cs[[4]],
                length(cs[[5]]), paste(sprintf("%.17g", cs[[5]]), collapse = ";"), k, d$criticalValues[k], d$alphaSpent[k],
                d$stageLevels[k], ch$rejectionProbabilities[k], ch$inflationFactor, ch$shift, ch$averageSampleNumber1,
                ch$averageSampleNumber01, ch$averageSampleNumber0))
}
