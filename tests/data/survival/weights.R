# Goldens for case weights in Kaplan-Meier and Cox (survfit(..., weights = ),
# coxph(..., weights = )), read by tests/stats/survival/case_weights_test.cpp and
# tests/cli/case_weights_cli_test.cpp (R 4.2.2, survival 3.5-3).
# Run from the repository root:  Rscript tests/data/survival/weights.R
# It writes weights.csv (lung complete cases on age, sex, ph.ecog, inst with two
# weight columns) and weights.expected.json.
library(survival)
d <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog", "inst")])
d$status <- d$status - 1                      # 1 = death
d$female <- as.integer(d$sex == 2)
# Stabilised inverse-probability-of-treatment weights for female ~ age + ph.ecog
# (non-integer: survfit and coxph switch to robust variances), printed to 17
# digits so that R and sirtkit read the same numbers back.
ps <- fitted(glm(female ~ age + ph.ecog, family = binomial, data = d))
pf <- mean(d$female)
d$iptw <- as.numeric(sprintf("%.17g", ifelse(d$female == 1, pf / ps, (1 - pf) / (1 - ps))))
d$freq <- 1 + (seq_len(nrow(d)) %% 3)          # integer (frequency) weights
write.csv(d[, c("time", "status", "age", "sex", "female", "ph.ecog", "inst", "iptw", "freq")],
          "tests/data/survival/weights.csv", row.names = FALSE)
d <- read.csv("tests/data/survival/weights.csv")
out <- list()
km <- function(name, fit) {
  s <- summary(fit, censored = TRUE)
  out[[paste0(name, "_time")]] <<- s$time
  out[[paste0(name, "_n_risk")]] <<- s$n.risk
  out[[paste0(name, "_n_event")]] <<- s$n.event
  out[[paste0(name, "_surv")]] <<- s$surv
  out[[paste0(name, "_std_err")]] <<- s$std.err
  out[[paste0(name, "_lower")]] <<- s$lower
  out[[paste0(name, "_upper")]] <<- s$upper
  out[[paste0(name, "_median")]] <<- unname(quantile(fit, 0.5)$quantile)
}
km("km_freq", survfit(Surv(time, status) ~ 1, data = d, weights = freq))
km("km_iptw", survfit(Surv(time, status) ~ 1, data = d, weights = iptw))
km("km_iptw_loglog", survfit(Surv(time, status) ~ 1, data = d, weights = iptw, conf.type = "log-log"))
km("km_iptw_female", survfit(Surv(time, status) ~ 1, data = d[d$female == 1, ], weights = iptw))
cox <- function(name, fit) {
  out[[paste0(name, "_coef")]] <<- unname(coef(fit))
  out[[paste0(name, "_var")]] <<- as.vector(fit$var)
  if (!is.null(fit$naive.var)) out[[paste0(name, "_naive_var")]] <<- as.vector(fit$naive.var)
  out[[paste0(name, "_loglik")]] <<- fit$loglik
  out[[paste0(name, "_score")]] <<- unname(fit$score)
  out[[paste0(name, "_wald")]] <<- unname(fit$wald.test)
  if (!is.null(fit$rscore)) out[[paste0(name, "_rscore")]] <<- unname(fit$rscore)
}
cox("cox_iptw_efron", coxph(Surv(time, status) ~ female, data = d, weights = iptw))
cox("cox_iptw_breslow", coxph(Surv(time, status) ~ female, data = d, weights = iptw, ties = "breslow"))
cox("cox_iptw_multi", coxph(Surv(time, status) ~ female + age + ph.ecog, data = d, weights = iptw))
cox("cox_iptw_cluster", coxph(Surv(time, status) ~ female + age, data = d, weights = iptw, cluster = inst))
cox("cox_freq_efron", coxph(Surv(time, status) ~ female + age, data = d, weights = freq))
cox("cox_freq_breslow", coxph(Surv(time, status) ~ female + age, data = d, weights = freq, ties = "breslow"))
cox("cox_iptw_strata", coxph(Surv(time, status) ~ female + age + strata(ph.ecog), data = d, weights = iptw))
fmt <- function(v) if (length(v) > 1) paste0("[", paste(ifelse(is.na(v), "null", sprintf("%.17g", v)), collapse = ", "), "]") else if (is.na(v)) "null" else sprintf("%.17g", v)
writeLines(paste0("{\n", paste(sprintf("  \"%s\": %s", names(out), sapply(out, fmt)), collapse = ",\n"), "\n}"),
           "tests/data/survival/weights.expected.json")
