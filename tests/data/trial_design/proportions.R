# Goldens for sirtkit samplesize proportions and binomial
# (tests/stats/trial/sample_size_proportions_test.cpp, tests/cli/trial_design_cli_test.cpp).
# R 4.2.2 stats::power.prop.test and rpact 3.3.4 getSampleSizeRates(); the
# continuity correction (Fleiss, Tytun & Ury 1980) and the single-arm exact
# binomial design (A'Hern 2001: smallest n with exact alpha and power) written
# out in base R. Run: Rscript proportions.R > proportions.csv
suppressMessages(library(rpact))
cat("kind,p1,p2,alpha,beta,sided,allocation_ratio,risk_ratio,theta0,strict,n_given,result1,result2,result3\n")
# power.prop.test: n per group (result1), its Fleiss-Tytun-Ury correction (result2)
ftu <- function(n, d, r = 1) n / 4 * (1 + sqrt(1 + 2 * (r + 1) / (r * n * abs(d))))^2
for (cs in list(c(0.5, 0.75, 0.05, 0.1, 2, 0), c(0.3, 0.5, 0.05, 0.2, 2, 0), c(0.2, 0.35, 0.025, 0.2, 1, 0),
                c(0.36, 0.71, 0.05, 0.2, 2, 0), c(0.1, 0.25, 0.05, 0.1, 2, 1), c(0.58, 0.802, 0.05, 0.1, 2, 0))) {
  x <- power.prop.test(p1 = cs[1], p2 = cs[2], sig.level = cs[3], power = 1 - cs[4],
                       alternative = if (cs[5] == 1) "one.sided" else "two.sided", strict = cs[6] == 1)
  cat(sprintf("power.prop.test,%g,%g,%g,%g,%d,1,0,0,%d,NA,%.15g,%.15g,NA\n", cs[1], cs[2], cs[3], cs[4], cs[5], cs[6], x$n, ftu(x$n, cs[1] - cs[2])))
}
# power.prop.test: power for a given n (result1)
for (cs in list(c(0.5, 0.75, 0.05, 2, 0, 50), c(0.3, 0.5, 0.05, 2, 1, 80), c(0.2, 0.35, 0.025, 1, 0, 120.5))) {
  x <- power.prop.test(n = cs[6], p1 = cs[1], p2 = cs[2], sig.level = cs[3],
                       alternative = if (cs[4] == 1) "one.sided" else "two.sided", strict = cs[5] == 1)
  cat(sprintf("power.prop.test.power,%g,%g,%g,NA,%d,1,0,0,%d,%g,%.15g,NA,NA\n", cs[1], cs[2], cs[3], cs[4], cs[5], cs[6], x$power))
}
# rpact getSampleSizeRates: n total, n1, n2 (result1..3)
for (cs in list(c(0.5, 0.3, 0.025, 0.2, 1, 1, 0, 0), c(0.71, 0.36, 0.05, 0.2, 2, 1, 0, 0), c(0.45, 0.3, 0.025, 0.1, 1, 2, 0, 0),
                c(0.5, 0.3, 0.025, 0.2, 1, 1, 0, 0.05), c(0.4, 0.25, 0.025, 0.2, 1, 0.5, 0, -0.05),
                c(0.5, 0.3, 0.025, 0.2, 1, 1, 1, 1), c(0.6, 0.3, 0.025, 0.2, 1, 1.5, 1, 1.2), c(0.802, 0.58, 0.05, 0.1, 2, 1, 0, 0))) {
  x <- getSampleSizeRates(pi1 = cs[1], pi2 = cs[2], alpha = cs[3], beta = cs[4], sided = cs[5], allocationRatioPlanned = cs[6],
                          riskRatio = cs[7] == 1, thetaH0 = cs[8])
  cat(sprintf("rpact,%g,%g,%g,%g,%d,%g,%d,%g,0,NA,%.15g,%.15g,%.15g\n", cs[1], cs[2], cs[3], cs[4], cs[5], cs[6], cs[7], cs[8],
              x$nFixed, x$nFixed1, x$nFixed2))
}
# single arm, exact binomial: smallest n with P(X >= r | p0) <= alpha and P(X >= r | p1) >= 1 - beta
exact <- function(p0, p1, alpha, beta) for (n in 1:5000) {
  r <- qbinom(1 - alpha, n, p0) + 1         # smallest r with P(X >= r | p0) <= alpha
  if (r <= n && pbinom(r - 1, n, p1, lower.tail = FALSE) >= 1 - beta)
    return(c(n, r, pbinom(r - 1, n, p0, lower.tail = FALSE), pbinom(r - 1, n, p1, lower.tail = FALSE)))
}
for (cs in list(c(0.1, 0.3, 0.05, 0.2), c(0.2, 0.4, 0.05, 0.1), c(0.05, 0.2, 0.025, 0.2), c(0.3, 0.5, 0.1, 0.1), c(0.36, 0.71, 0.05, 0.2))) {
  e <- exact(cs[1], cs[2], cs[3], cs[4])
  cat(sprintf("binomial,%g,%g,%g,%g,1,1,0,0,0,NA,%d,%d,%.15g\n", cs[1], cs[2], cs[3], cs[4], e[1], e[2], e[4]))
}
