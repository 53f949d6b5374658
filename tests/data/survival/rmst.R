# Goldens for the restricted mean survival time (stats/survival/restricted_mean.h,
# sirtkit rmst), read by tests/stats/survival/restricted_mean_test.cpp and
# tests/cli/rmst_cli_test.cpp (R 4.2.2, survival 3.5-3). Run from the
# repository root:  Rscript tests/data/survival/rmst.R
# rmean and se(rmean) are what print(survfit, rmean = tau) prints
# (summary(fit, rmean = tau)$table); the difference between arms and its
# normal-theory CI are computed from them (independent arms).
library(survival)
lung <- read.csv("tests/data/survival/lung.csv")
aml <- read.csv("tests/data/survival/aml.csv")
out <- list()
tab <- function(fit, tau) summary(fit, rmean = tau)$table
for (tau in c(365, 730, 1000)) {
  t <- tab(survfit(Surv(time, status) ~ sex, data = lung), tau)
  out[[paste0("lung_sex_", tau, "_rmean")]] <- unname(t[, "rmean"])
  out[[paste0("lung_sex_", tau, "_se")]] <- unname(t[, "se(rmean)"])
  d <- t[2, "rmean"] - t[1, "rmean"]; se <- sqrt(t[1, "se(rmean)"]^2 + t[2, "se(rmean)"]^2)
  out[[paste0("lung_sex_", tau, "_diff")]] <- c(d, se, d - qnorm(0.975) * se, d + qnorm(0.975) * se, 2 * pnorm(-abs(d / se)))
}
t1 <- tab(survfit(Surv(time, status) ~ 1, data = lung), 500)
out$lung_all_500 <- unname(t1[c("rmean", "se(rmean)")])
# tau at an event time of one arm (48) and past the last time of one arm (aml: 100 > 45 in the non-maintained arm)
t2 <- tab(survfit(Surv(time, status) ~ maintained, data = aml), 48)
out$aml_48_rmean <- unname(t2[, "rmean"]); out$aml_48_se <- unname(t2[, "se(rmean)"])
t3 <- tab(survfit(Surv(time, status) ~ maintained, data = aml), 100)
out$aml_100_rmean <- unname(t3[, "rmean"]); out$aml_100_se <- unname(t3[, "se(rmean)"])
fmt <- function(v) if (length(v) > 1) paste0("[", paste(ifelse(is.na(v), "null", sprintf("%.17g", v)), collapse = ", "), "]") else if (is.na(v)) "null" else sprintf("%.17g", v)
writeLines(paste0("{\n", paste(sprintf("  \"%s\": %s", names(out), sapply(out, fmt)), collapse = ",\n"), "\n}"),
           "tests/data/survival/rmst.expected.json")
