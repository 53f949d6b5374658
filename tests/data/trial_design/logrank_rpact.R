# Goldens for sirtkit samplesize logrank (tests/stats/trial/sample_size_survival_test.cpp,
# tests/cli/trial_design_cli_test.cpp): rpact 3.3.4 on R 4.2.2, fixed designs.
# Run: Rscript logrank_rpact.R > logrank_rpact.csv
# Each row: the getSampleSizeSurvival() arguments, then eventsFixed, nFixed,
# omega (overall event probability) and followUpTime as rpact returns them.
suppressMessages(library(rpact))
cases <- list(
  list(method = "Schoenfeld", alpha = 0.025, beta = 0.2, sided = 1, hr = 0.7, median2 = 12, ta = 24, tf = 12),
  list(method = "Schoenfeld", alpha = 0.05, beta = 0.1, sided = 2, hr = 0.6, median2 = 10, ta = 18, tf = 6),
  list(method = "Freedman", alpha = 0.025, beta = 0.2, sided = 1, hr = 0.7, median2 = 12, ta = 24, tf = 12, alloc = 2),
  list(method = "HsiehFreedman", alpha = 0.025, beta = 0.2, sided = 1, hr = 0.75, median2 = 15, ta = 30, tf = 18, alloc = 0.5),
  list(method = "Schoenfeld", alpha = 0.025, beta = 0.2, sided = 1, hr = 0.55, median2 = 15.1, ta = 27, tf = 24, d1 = 0.05, d2 = 0.1, dt = 12),
  list(method = "Freedman", alpha = 0.05, beta = 0.2, sided = 2, hr = 0.5, median2 = 10.7, ta = 36, tf = 24, d1 = 0.1, d2 = 0.1, dt = 24),
  list(method = "Schoenfeld", alpha = 0.025, beta = 0.2, sided = 1, hr = 0.7, median2 = 12, ta = 24, rate = 20),
  list(method = "Schoenfeld", alpha = 0.025, beta = 0.1, sided = 1, hr = 0.8, median2 = 6, ta = 12, rate = 100, d1 = 0.05, d2 = 0.05, dt = 12),
  list(method = "Schoenfeld", alpha = 0.025, beta = 0.2, sided = 1, hr = 1.5, median2 = 20, ta = 12, tf = 36)
)
cat("method,alpha,beta,sided,hazard_ratio,median2,allocation_ratio,accrual_time,follow_up_time,accrual_rate,dropout1,dropout2,dropout_time,events,patients,event_probability,follow_up_result\n")
for (cs in cases) {
  r <- if (is.null(cs[["alloc"]])) 1 else cs[["alloc"]]
  d1 <- if (is.null(cs[["d1"]])) 0 else cs[["d1"]]; d2 <- if (is.null(cs[["d2"]])) 0 else cs[["d2"]]; dt <- if (is.null(cs[["dt"]])) 12 else cs[["dt"]]
  args <- list(typeOfComputation = cs$method, alpha = cs$alpha, beta = cs$beta, sided = cs$sided,
               hazardRatio = cs$hr, median2 = cs$median2, allocationRatioPlanned = r,
               accrualTime = c(0, cs$ta), dropoutRate1 = d1, dropoutRate2 = d2, dropoutTime = dt)
  if (!is.null(cs[["tf"]])) args$followUpTime <- cs[["tf"]] else args$accrualIntensity <- cs[["rate"]]
  x <- do.call(getSampleSizeSurvival, args)
  cat(sprintf("%s,%g,%g,%d,%g,%g,%g,%g,%s,%s,%g,%g,%g,%.15g,%.15g,%.15g,%.15g\n", cs$method, cs$alpha, cs$beta, cs$sided,
              cs$hr, cs$median2, r, cs$ta, if (is.null(cs[["tf"]])) "NA" else format(cs[["tf"]]), if (is.null(cs[["rate"]])) "NA" else format(cs[["rate"]]),
              d1, d2, dt, x$eventsFixed, x$nFixed, x$omega, x$followUpTime))
}
