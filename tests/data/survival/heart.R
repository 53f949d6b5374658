# Reproduces tests/data/survival/heart.csv and the R goldens pasted into
# tests/stats/cox/cox_counting_process_test.cpp, cox_exact_ties_test.cpp,
# kaplan_meier_counting_test.cpp and tests/cli/cox_counting_cli_test.cpp
# (R 4.2.2, survival 3.5-3). Run from the repository root:
#   Rscript tests/data/survival/heart.R
library(survival)

# survival's heart (jasa1): Stanford heart transplant, one row per
# (start, stop] interval, transplant as a time-varying covariate.
h <- heart
h$transplant <- as.integer(as.character(h$transplant))
write.csv(h[, c("id", "start", "stop", "event", "age", "year", "surgery", "transplant")],
          "tests/data/survival/heart.csv", row.names = FALSE, quote = FALSE)
h <- read.csv("tests/data/survival/heart.csv")  # the goldens use the values as written

p <- function(name, v) cat(sprintf("  // %s\n  {%s},\n", name, paste(sprintf("%.12g", v), collapse = ", ")))
show <- function(label, f) {
  cat("==", label, "\n")
  p("coef", coef(f))
  p("se", sqrt(diag(if (is.null(f$naive.var)) f$var else f$naive.var)))
  if (!is.null(f$naive.var)) p("robust se", sqrt(diag(f$var)))
  p("loglik", f$loglik); p("score", f$score); p("wald", f$wald.test); p("lr", 2 * diff(f$loglik))
  p("iter", f$iter)
  p("concordance", f$concordance[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy", "concordance")])
}
zph <- function(label, f) {
  cat("== cox.zph", label, "\n")
  z <- cox.zph(f)
  p("chisq", z$table[, 1]); p("df", z$table[, 2]); p("p", z$table[, 3])
}

# (start, stop] Cox
f <- coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, h)
show("efron", f); zph("efron", f)
show("breslow", coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, h, ties = "breslow"))
show("exact", coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, h, ties = "exact"))
show("strata efron", coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), h))
f <- coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), h, ties = "breslow")
show("strata breslow", f); zph("strata breslow", f)
show("exact strata", coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), h, ties = "exact"))
show("cluster efron", coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), h))
show("cluster breslow strata",
     coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery) + cluster(id), h, ties = "breslow"))
h$ageg <- cut(h$age, c(-Inf, -10, 0, Inf))
zph("factor efron", coxph(Surv(start, stop, event) ~ ageg + transplant, h))
print(try(coxph(Surv(start, stop, event) ~ age, h, robust = TRUE)))  # "one of cluster or id is needed"

# Exact ties on right-censored data
lung <- read.csv("tests/data/survival/lung.csv")
vet <- read.csv("tests/data/survival/veteran.csv")
f <- coxph(Surv(time, status) ~ age + sex + ph.ecog, lung, ties = "exact")
show("lung exact", f); zph("lung exact", f)
lung$month <- ceiling(lung$time / 30.4375)
show("lung month exact", coxph(Surv(month, status) ~ age + sex + ph.ecog, lung, ties = "exact"))
show("lung month exact strata", coxph(Surv(month, status) ~ age + ph.ecog + strata(sex), lung, ties = "exact"))
show("veteran exact", coxph(Surv(time, status) ~ karno + trt + factor(celltype), vet, ties = "exact"))
print(try(coxph(Surv(time, status) ~ age, lung, ties = "exact", robust = TRUE)))  # no dfbeta for exact

# (start, stop] Kaplan-Meier
f <- survfit(Surv(start, stop, event) ~ 1, h)
idx <- c(1, 5, 14, 40, 80, length(f$time))
p("time", f$time[idx]); p("n.risk", f$n.risk[idx]); p("n.event", f$n.event[idx]); p("n.censor", f$n.censor[idx])
p("surv", f$surv[idx]); p("std.err", f$std.err[idx]); p("lower", f$lower[idx]); p("upper", f$upper[idx])
print(quantile(f, c(.25, .5, .75)))
s <- summary(f, times = c(30, 100, 365)); p("surv", s$surv); p("n.risk", s$n.risk); p("lower", s$lower)
print(survfit(Surv(start, stop, event) ~ surgery, h))
print(survfit(Surv(start, stop, event) ~ 1, h[h$surgery == 1, ], conf.type = "log-log"))
s <- summary(survfit(Surv(start, stop, event) ~ surgery, h), times = c(30, 365)); print(cbind(s$n.risk, s$surv))
