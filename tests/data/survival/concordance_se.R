# Goldens for the standard error of Harrell's concordance (survival's
# infinitesimal jackknife, concordancefit(std.err = TRUE)) on right-censored
# and counting-process (start, stop] data, with strata and clusters, read by
# tests/stats/concordance/concordance_variance_test.cpp and tests/cli/cox_counting_cli_test.cpp
# (R 4.2.2, survival 3.5-3). Run from the repository root:
#   Rscript tests/data/survival/concordance_se.R
library(survival)
h <- read.csv("tests/data/survival/heart.csv")
out <- list()
put <- function(name, fit) {
  out[[paste0(name, "_c")]] <<- unname(fit$concordance)
  out[[paste0(name, "_se")]] <<- sqrt(unname(fit$var))
  cnt <- if (is.matrix(fit$count)) colSums(fit$count) else fit$count
  out[[paste0(name, "_counts")]] <<- unname(cnt[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy")])
}
# Score = age (higher = shorter predicted survival), as coxph passes its linear predictor.
y <- Surv(h$start, h$stop, h$event)
put("heart_counting", concordancefit(y, h$age, reverse = TRUE, timefix = FALSE))
put("heart_counting_strata", concordancefit(y, h$age, strata = h$surgery, reverse = TRUE, timefix = FALSE))
put("heart_counting_cluster", concordancefit(y, h$age, cluster = h$id, reverse = TRUE, timefix = FALSE))
# Ties in the score (year rounded) and a stratum.
put("heart_counting_ties", concordancefit(y, round(h$year), strata = h$transplant, reverse = TRUE, timefix = FALSE))
# Right-censored (stop, event) with a cluster: one id may hold several rows.
put("heart_right_cluster", concordancefit(Surv(h$stop, h$event), h$age, cluster = h$id, reverse = TRUE, timefix = FALSE))
# What summary(coxph) prints ("Concordance = ... (se = ...)") for (start, stop] fits.
f1 <- coxph(Surv(start, stop, event) ~ age + transplant, data = h)
out$cox_age_transplant_c <- unname(f1$concordance["concordance"])
out$cox_age_transplant_se <- unname(f1$concordance["std"])
f2 <- coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), data = h)
out$cox_cluster_c <- unname(f2$concordance["concordance"])
out$cox_cluster_se <- unname(f2$concordance["std"])
writeLines(paste0("{\n", paste(sprintf("  \"%s\": %s", names(out),
  sapply(out, function(v) if (length(v) > 1) paste0("[", paste(sprintf("%.17g", v), collapse = ", "), "]") else sprintf("%.17g", v))),
  collapse = ",\n"), "\n}"), "tests/data/survival/concordance_se.expected.json")
