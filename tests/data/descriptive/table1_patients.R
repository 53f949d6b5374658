# Simulated baseline characteristics of a two-arm SIRT trial (shaped like
# DOSISPHERE-01 Table 1, seed 001), and the R 4.2.2 results that
# tests/pipelines/descriptive/table_one_test.cpp and tests/cli/descriptive_cli_test.cpp
# check. Run from this folder: Rscript table1_patients.R
set.seed(2024)
n <- 56
arm <- rep(c("PDA", "SDA"), each = 28)
d <- data.frame(
  id = sprintf("P%02d", 1:n),
  arm = arm,
  age = round(rnorm(n, 63.5, 10), 1),
  sex = sample(c("F", "M"), n, TRUE, c(0.2, 0.8)),
  child = sample(c("A5", "A6/B7"), n, TRUE, c(0.78, 0.22)),
  ecog = sample(0:1, n, TRUE),
  etiology = sample(c("Alcohol", "Viral hepatitis", "Hemochromatosis", "NASH", "Mixture", "No cirrhosis"), n, TRUE,
                    c(0.32, 0.28, 0.02, 0.11, 0.13, 0.14)),
  tumour_size_cm = round(rnorm(n, 10.7, 2.5), 2),
  afp_ng_ml = round(exp(rnorm(n, 4, 2)), 0),
  stringsAsFactors = FALSE)
d$age[c(5, 40)] <- NA
d$child[c(12)] <- NA
d$afp_ng_ml[c(3, 30, 31)] <- NA
write.csv(d, "table1_patients.csv", row.names = FALSE, na = "")

f <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
d <- read.csv("table1_patients.csv", na.strings = c("", "NA"))
cat("age welch p", f(t.test(age ~ arm, d)$p.value), "\n")
cat("age student p", f(t.test(age ~ arm, d, var.equal = TRUE)$p.value), "\n")
cat("age mean", f(tapply(d$age, d$arm, mean, na.rm = TRUE)), "sd", f(tapply(d$age, d$arm, sd, na.rm = TRUE)), "\n")
cat("size welch p", f(t.test(tumour_size_cm ~ arm, d)$p.value), "\n")
cat("afp wilcox", f(wilcox.test(afp_ng_ml ~ arm, d)$statistic), f(wilcox.test(afp_ng_ml ~ arm, d)$p.value), "\n")
for (a in c("PDA", "SDA")) cat("afp quantiles", a, f(quantile(d$afp_ng_ml[d$arm == a], c(0, .25, .5, .75, 1), na.rm = TRUE)), "\n")
for (v in c("sex", "child", "ecog", "etiology")) {
  tb <- table(d[[v]], d$arm)
  cat(v, "counts", f(tb), "fisher p", f(fisher.test(tb)$p.value), "chisq p", f(suppressWarnings(chisq.test(tb))$p.value), "\n")
}
cat("compare age wilcox", f(wilcox.test(age ~ arm, d)$statistic), f(wilcox.test(age ~ arm, d)$p.value), "\n")
tt <- t.test(age ~ arm, d); cat("compare age welch t", f(tt$statistic), "df", f(tt$parameter), "ci", f(tt$conf.int), "\n")
tt <- t.test(age ~ arm, d, var.equal = TRUE); cat("compare age student t", f(tt$statistic), "p", f(tt$p.value), "ci", f(tt$conf.int), "\n")
# Six "arms" (by = etiology): ANOVA, Kruskal-Wallis, Fisher 2 x 6.
cat("by etiology: anova age p", f(oneway.test(age ~ etiology, d, var.equal = TRUE)$p.value),
    "kruskal afp p", f(kruskal.test(afp_ng_ml ~ etiology, d)$p.value),
    "fisher sex p", f(fisher.test(table(d$sex, d$etiology))$p.value), "\n")
