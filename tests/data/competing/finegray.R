# Goldens for Fine-Gray regression (stats/survival/fine_gray.h, sirtkit finegray), read
# by tests/stats/survival/fine_gray_test.cpp and tests/cli/survival_extension_cli_test.cpp
# (R 4.2.2, cmprsk 2.2-11, survival 3.5-3). Run from the repository root
# after mgus2.R:  Rscript tests/data/competing/finegray.R
# cmprsk::crr is the reference (coefficients and its sandwich variance). The
# last block is survival's route, finegray() + coxph(weights = fgwt, ties =
# "breslow"): on these tied (monthly) times its coefficients differ from
# crr's in the third digit (finegray reads the censoring curve on its own
# time grid), and its variance ignores the estimation of G: recorded to show
# why sirtkit follows crr.
library(survival)
library(cmprsk)
d <- read.csv("tests/data/competing/mgus2.csv")
d$male <- as.integer(d$sex == "M")
out <- list()
put <- function(name, fit) {
  out[[paste0(name, "_coef")]] <<- unname(fit$coef)
  out[[paste0(name, "_var")]] <<- as.vector(fit$var)
  out[[paste0(name, "_loglik")]] <<- c(fit$loglik.null, fit$loglik)
  out[[paste0(name, "_converged")]] <<- as.numeric(fit$converged)
}
put("crr_pcm", crr(d$time, d$status, cbind(age = d$age, male = d$male), failcode = 1))
put("crr_death", crr(d$time, d$status, cbind(age = d$age, male = d$male), failcode = 2))
put("crr_pcm_age65", crr(d$time, d$status, cbind(age65 = d$age65), failcode = 1))
fg <- finegray(Surv(time, factor(status)) ~ ., data = d[, c("time", "status", "age", "male")], etype = "1")
cfit <- coxph(Surv(fgstart, fgstop, fgstatus) ~ age + male, weights = fgwt, data = fg, ties = "breslow")
out$finegray_coxph_coef <- unname(coef(cfit))
fmt <- function(v) if (length(v) > 1) paste0("[", paste(ifelse(is.na(v), "null", sprintf("%.17g", v)), collapse = ", "), "]") else if (is.na(v)) "null" else sprintf("%.17g", v)
writeLines(paste0("{\n", paste(sprintf("  \"%s\": %s", names(out), sapply(out, fmt)), collapse = ",\n"), "\n}"),
           "tests/data/competing/finegray.expected.json")
