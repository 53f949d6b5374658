# Goldens for competing risks (stats/survival/competing_risks.h, sirtkit cif), read by
# tests/stats/survival/competing_risks_test.cpp and tests/cli/competing_risks_cli_test.cpp
# (R 4.2.2, survival 3.5-3, cmprsk 2.2-11). Run from the repository root:
#   Rscript tests/data/competing/mgus2.R
# Data: survival's mgus2 (1384 patients), progression to plasma-cell malignancy
# (cause 1) with death first as the competing event (cause 2), as in the
# survival package's "compete" vignette; times in months, many ties.
library(survival)
library(cmprsk)
d <- data.frame(time = with(mgus2, ifelse(pstat == 0, futime, ptime)),
                status = with(mgus2, ifelse(pstat == 0, 2 * death, 1)),
                sex = mgus2$sex, age65 = as.integer(mgus2$age >= 65),
                age = mgus2$age, hgb = mgus2$hgb, mspike = mgus2$mspike)
write.csv(d, "tests/data/competing/mgus2.csv", row.names = FALSE)
d <- read.csv("tests/data/competing/mgus2.csv")
out <- list()
# Aalen-Johansen, multi-state survfit: pstate and its (infinitesimal jackknife) std.err
fit <- survfit(Surv(time, factor(status)) ~ 1, data = d)
out$aj_time <- fit$time
out$aj_n_risk <- fit$n.risk[, 1]
out$aj_cif1 <- fit$pstate[, 2]
out$aj_cif2 <- fit$pstate[, 3]
out$aj_se1 <- fit$std.err[, 2]
out$aj_se2 <- fit$std.err[, 3]
fs <- survfit(Surv(time, factor(status)) ~ 1, data = d[d$sex == "F", ])
out$aj_female_cif1 <- fs$pstate[, 2]
out$aj_female_se1 <- fs$std.err[, 2]
# cmprsk::cuminc by sex: estimates and variances at chosen times, Gray's test
ci <- cuminc(d$time, d$status, d$sex)
tp <- timepoints(ci, c(12, 60, 120, 240, 360))
out$cuminc_times <- c(12, 60, 120, 240, 360)
out$cuminc_est_F1 <- unname(tp$est["F 1", ]); out$cuminc_var_F1 <- unname(tp$var["F 1", ])
out$cuminc_est_M1 <- unname(tp$est["M 1", ]); out$cuminc_var_M1 <- unname(tp$var["M 1", ])
out$cuminc_est_F2 <- unname(tp$est["F 2", ]); out$cuminc_var_F2 <- unname(tp$var["F 2", ])
out$cuminc_est_M2 <- unname(tp$est["M 2", ]); out$cuminc_var_M2 <- unname(tp$var["M 2", ])
out$gray_stat <- unname(ci$Tests[, "stat"]); out$gray_p <- unname(ci$Tests[, "pv"])
# three groups, strata and rho = 1
d$agegrp <- cut(d$age, c(0, 60, 75, 200), labels = c("a", "b", "c"))
c3 <- cuminc(d$time, d$status, d$agegrp, strata = d$sex, rho = 1)
out$gray3_stat <- unname(c3$Tests[, "stat"]); out$gray3_p <- unname(c3$Tests[, "pv"])
fmt <- function(v) if (length(v) > 1) paste0("[", paste(ifelse(is.na(v), "null", sprintf("%.17g", v)), collapse = ", "), "]") else if (is.na(v)) "null" else sprintf("%.17g", v)
writeLines(paste0("{\n", paste(sprintf("  \"%s\": %s", names(out), sapply(out, fmt)), collapse = ",\n"), "\n}"),
           "tests/data/competing/mgus2.expected.json")
