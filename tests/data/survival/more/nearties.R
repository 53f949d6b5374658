# nearties (simulated, seed 5): 240 subjects with follow-up in months computed
# from days two ways (days / 30.4375 and days / 365.25 * 12), so equal times
# differ in the last bits and R's timefix (aeqSurv) merges them; times written
# with 17 significant digits. The group is a numeric dose level with
# decimals (0.5 < 2.5 < 10 < 12.5, numeric not text order); a covariate in
# units of 1e-6, a logical covariate (TRUE/FALSE, coxph term "smokerTRUE"),
# NA in the event, a covariate and the group; strata with a single row.
# Rscript nearties.R  ->  nearties.csv, nearties.expected.json
source("golden.R")
set.seed(5)
n <- 240
dose <- sample(c(0.5, 2.5, 10, 12.5), n, replace = TRUE)
conc <- signif(rgamma(n, 4, 1e6), 7)          # ~4e-6
smoker <- runif(n) < 0.35
bmi <- round(rnorm(n, 26, 4), 1)
days <- pmax(1, round(rexp(n, 1 / 500 * exp(0.05 * dose + 2e5 * (conc - 4e-6) + 0.3 * smoker))))
cdays <- round(runif(n, 100, 1500))
status <- as.integer(days <= cdays)
d0 <- pmin(days, cdays)
way <- runif(n) < 0.5
months <- ifelse(way, d0 / 30.4375, d0 / 365.25 * 12)
status[c(7, 50)] <- NA
bmi[c(3, 90, 91)] <- NA
dose[c(120)] <- NA
stratum <- sample(c("A", "B"), n, replace = TRUE)
stratum[which(status == 1)[5]] <- "C"
d <- data.frame(months = months, event = status, dose = dose, conc = conc, smoker = smoker, bmi = bmi, stratum = stratum)
# 17 significant digits (write.csv's 15 would make the two ways equal again)
d$months <- sprintf("%.17g", d$months)
write.csv(d, "nearties.csv", row.names = FALSE, na = "", quote = which(names(d) == "stratum"))
write_golden("nearties", "months", "event", "dose", c("conc", "smoker", "bmi"), "stratum", c(1, 12, 24))
