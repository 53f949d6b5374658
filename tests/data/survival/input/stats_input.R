# R goldens for the statistics-input checks of issue 11 section D
# (tests/cli/stats_input_cli_test.cpp), R 4.2.2 / survival 3.5-3.
# Run from this folder:  Rscript stats_input.R
suppressMessages(library(survival))
num <- function(x) if (length(x) == 1) sprintf("%.17g", x) else paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
out <- character()
put <- function(key, x) out[[length(out) + 1]] <<- sprintf('  "%s": %s', key, num(x))

# 1. survival::lung as R ships it: status 1 = censored, 2 = dead (Surv() reads max 2 as 1/2 coding).
l <- lung[, c("time", "status", "sex", "age", "ph.ecog")]
write.csv(l, "lung_r12.csv", row.names = FALSE, quote = FALSE)
l <- read.csv("lung_r12.csv")
km <- survfit(Surv(time, status) ~ 1, l)
put("lung_n", km$n); put("lung_events", sum(km$n.event)); put("lung_median", unname(summary(km)$table["median"]))
s <- summary(km, times = c(180, 365))
put("lung_surv_180_365", s$surv); put("lung_lower_180_365", s$lower); put("lung_upper_180_365", s$upper)
sd <- survdiff(Surv(time, status) ~ sex, l)
put("lung_logrank_sex_chisq", sd$chisq)
f <- coxph(Surv(time, status) ~ age + sex, l)
put("lung_cox_coef", unname(coef(f))); put("lung_cox_se", unname(sqrt(diag(f$var))))
# 16. concordance and its standard error as summary(coxph) prints them ("se = ")
put("lung_cox_concordance", unname(f$concordance["concordance"]))
put("lung_cox_concordance_se", unname(f$concordance["std"]))
f2 <- coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), l, ties = "breslow")
put("lung_cox_strata_concordance", unname(f2$concordance["concordance"]))
put("lung_cox_strata_concordance_se", unname(f2$concordance["std"]))
# 16. landmarks past a group's end: summary(survfit, times, extend = TRUE)
kg <- survfit(Surv(time, status) ~ sex, l)
e <- summary(kg, times = c(100, 900, 1100), extend = TRUE)
put("lung_extend_n_risk", e$n.risk); put("lung_extend_surv", e$surv)
put("lung_extend_lower", e$lower); put("lung_extend_upper", e$upper)

# 14. a group label with a leading space is a level of its own in read.csv (strip.white = FALSE)
set.seed(11)
n <- 60
g <- sample(c("A", "B", " B"), n, replace = TRUE)
tt <- round(rexp(n, ifelse(g == "A", 0.05, ifelse(g == "B", 0.1, 0.2))), 1) + 0.1
st <- rbinom(n, 1, 0.8)
age <- round(rnorm(n, 60, 8))
write.csv(data.frame(time = tt, status = st, arm = g, age = age), "spaces.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("spaces.csv")
sd <- survdiff(Surv(time, status) ~ arm, d)
put("spaces_levels", length(unique(d$arm)))
put("spaces_chisq", sd$chisq); put("spaces_df", length(sd$n) - 1)
put("spaces_n", as.vector(sd$n))
d$arm2 <- trimws(d$arm)
put("spaces_trimmed_chisq", survdiff(Surv(time, status) ~ arm2, d)$chisq)
# numbers with spaces around them are numbers (type.convert)
put("spaces_age_is_numeric", as.numeric(is.numeric(read.csv(text = "a\n 61\n62 \n")$a)))

writeLines(c("{", paste(out, collapse = ",\n"), "}"), "stats_input.expected.json")
