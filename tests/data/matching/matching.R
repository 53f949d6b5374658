# Goldens for nearest-neighbour propensity-score matching (stats/
# nearest_neighbour_matching.h, stats/matching/covariate_balance.h, sirtkit match),
# read by tests/stats/matching/nearest_neighbour_matching_test.cpp and
# tests/cli/matching_cli_test.cpp (R 4.2.2, MatchIt 4.5.1, survival 3.5-3).
# Run from the repository root:  Rscript tests/data/matching/matching.R
# Data: MatchIt's lalonde (614 = 185 treated + 429 controls, written to
# lalonde.csv) and a simulated SIRT cohort (sim_cohort.csv, written here from
# a fixed seed: integer ages and grouped covariates give tied propensity
# scores, so the order rules are exercised). Each case records the matchit()
# call, the sirtkit arguments that mean the same, the propensity model, the
# matched sets (row numbers, 1 = first data row), subclass, weights, the
# caliper in distance units and summary() before and after matching; the
# matched cohort's Cox model (coxph(weights = weights, cluster = subclass),
# the robust variance) for the simulated cohort.
library(MatchIt)
library(survival)
source("tests/data/matching/json_writer.R")
data("lalonde", package = "MatchIt")
write.csv(lalonde, "tests/data/matching/lalonde.csv", row.names = FALSE)

set.seed(20261205)
n <- 500
sim <- data.frame(age = round(rnorm(n, 64, 9)),
                  cirrhosis = rbinom(n, 1, 0.55),
                  bclc = sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.25, 0.45, 0.3)),
                  site = sample(c("north", "south", "east"), n, replace = TRUE),
                  tumour_cm = round(exp(rnorm(n, 1.5, 0.5)), 1),
                  albi = round(rnorm(n, -2.4, 0.5), 2))
lp <- -1.2 + 0.04 * (sim$age - 64) + 0.7 * sim$cirrhosis + ifelse(sim$bclc == "C", 0.9, ifelse(sim$bclc == "B", 0.4, 0)) +
      0.15 * (sim$tumour_cm - 4.5) + 0.6 * (sim$albi + 2.4)
sim$sirt <- rbinom(n, 1, plogis(lp))
haz <- 0.03 * exp(-0.4 * sim$sirt + 0.02 * (sim$age - 64) + 0.5 * (sim$bclc == "C") + 0.8 * (sim$albi + 2.4))
t_event <- rexp(n, haz)
t_cens <- runif(n, 6, 48)
sim$time <- round(pmin(t_event, t_cens), 1)
sim$status <- as.integer(t_event <= t_cens)
sim <- sim[, c("sirt", "age", "cirrhosis", "bclc", "site", "tumour_cm", "albi", "time", "status")]
write.csv(sim, "tests/data/matching/sim_cohort.csv", row.names = FALSE)

one_case <- function(name, file, treat, covs, cli, exact = NULL, ...) {
  d <- read.csv(file)
  f <- reformulate(covs, response = treat)
  m <- matchit(f, data = d, exact = exact, ...)
  s <- summary(m)
  g <- glm(f, data = d, family = binomial)
  tr <- which(d[[treat]] == 1)
  mm <- matrix(match(m$match.matrix, rownames(d)), nrow = nrow(m$match.matrix))
  tab <- function(t) list(terms = rownames(t), means_treated = unname(t[, 1]), means_control = unname(t[, 2]),
                          smd = unname(t[, 3]), variance_ratio = unname(t[, 4]), ecdf_mean = unname(t[, 5]),
                          ecdf_max = unname(t[, 6]), pair_distance = unname(t[, 7]))
  out <- list(name = name, file = file, cli = cli,
              call = paste(deparse(m$call, width.cutoff = 500), collapse = " "),
              model = list(terms = names(coef(g)), coef = unname(coef(g)),
                           se = unname(sqrt(diag(vcov(g)))), deviance = g$deviance, iterations = g$iter),
              distance = unname(m$distance),
              caliper = if (is.null(m$caliper)) NA else unname(m$caliper[1]),
              treated_rows = tr,
              matches = lapply(seq_len(nrow(mm)), function(i) I(mm[i, ])),
              subclass = if (is.null(m$subclass)) NA else as.integer(m$subclass),
              weights = unname(m$weights),
              balance_all = tab(s$sum.all), balance_matched = tab(s$sum.matched),
              nn = list(all_control = s$nn["All", 1], all_treated = s$nn["All", 2],
                        matched_control = s$nn["Matched", 1], matched_treated = s$nn["Matched", 2],
                        ess_control = s$nn["Matched (ESS)", 1], ess_treated = s$nn["Matched (ESS)", 2],
                        unmatched_control = s$nn["Unmatched", 1], unmatched_treated = s$nn["Unmatched", 2]))
  if ("time" %in% names(d) && !is.null(m$subclass)) {
    md <- match.data(m)
    cx <- coxph(reformulate(treat, response = "Surv(time, status)"), data = md, weights = weights, cluster = subclass)
    out$cox <- list(coef = unname(coef(cx)), robust_se = unname(sqrt(diag(cx$var))), naive_se = unname(sqrt(diag(cx$naive.var))))
  }
  out
}

lal <- "tests/data/matching/lalonde.csv"
lcov <- c("age", "educ", "race", "married", "nodegree", "re74", "re75")
lcli <- "--treatment treat --covariates age,educ,race,married,nodegree,re74,re75"
sc <- "tests/data/matching/sim_cohort.csv"
scov <- c("age", "cirrhosis", "bclc", "tumour_cm", "albi")
scli <- "--treatment sirt --covariates age,cirrhosis,bclc,tumour_cm,albi"
cases <- list(
  one_case("lalonde_default", lal, "treat", lcov, lcli),
  one_case("lalonde_logit_caliper", lal, "treat", lcov, paste(lcli, "--distance logit --caliper 0.2"),
           link = "linear.logit", caliper = 0.2),
  one_case("lalonde_ratio2", lal, "treat", lcov, paste(lcli, "--ratio 2"), ratio = 2),
  one_case("lalonde_ratio2_replace", lal, "treat", lcov, paste(lcli, "--ratio 2 --replace"), ratio = 2, replace = TRUE),
  one_case("lalonde_exact_ratio3", lal, "treat", lcov, paste(lcli, "--exact race,married --ratio 3"),
           exact = ~ race + married, ratio = 3),
  one_case("lalonde_replace_caliper", lal, "treat", lcov, paste(lcli, "--replace --ratio 3 --caliper 0.1"),
           replace = TRUE, ratio = 3, caliper = 0.1),
  one_case("sim_default", sc, "sirt", scov, scli),
  one_case("sim_exact_bclc", sc, "sirt", scov, paste(scli, "--exact bclc"), exact = ~ bclc),
  one_case("sim_exact_site_ratio2", sc, "sirt", scov, paste(scli, "--exact site,cirrhosis --ratio 2"),
           exact = ~ site + cirrhosis, ratio = 2),
  one_case("sim_logit_caliper_ratio3", sc, "sirt", scov, paste(scli, "--distance logit --caliper 0.2 --ratio 3"),
           link = "linear.logit", caliper = 0.2, ratio = 3),
  one_case("sim_replace_ratio2_caliper", sc, "sirt", scov, paste(scli, "--replace --ratio 2 --caliper 0.25"),
           replace = TRUE, ratio = 2, caliper = 0.25)
)
# The documented algorithm on exact distances (sirtkit's default, without
# --compat): MatchIt 4.5.1's distance-matrix path compares the differences
# unrounded. It matches in data order, so the rows are first put in MatchIt's
# "largest" order (treated by decreasing distance, then the controls in data
# order); the caliper is passed in distance units (std.caliper = FALSE). 1:1.
reference <- function(name, file, treat, covs, cli, logit, caliper_sd = NULL) {
  d <- read.csv(file)
  f <- reformulate(covs, response = treat)
  g <- glm(f, data = d, family = binomial)
  dist <- if (logit) predict(g, type = "link") else fitted(g)
  o <- order(-dist * (d[[treat]] == 1), seq_len(nrow(d)))
  d2 <- d[o, ]; dist2 <- unname(dist[o])
  t2 <- d2[[treat]] == 1
  D <- abs(outer(dist2[t2], dist2[!t2], "-"))
  cal <- if (is.null(caliper_sd)) NULL else caliper_sd * sd(dist)
  m <- matchit(f, data = d2, distance = D, caliper = cal, std.caliper = FALSE)
  mm <- m$match.matrix
  keep <- !is.na(mm[, 1])
  list(name = name, file = file, cli = cli,
       treated_rows = as.integer(rownames(mm))[keep], control_rows = as.integer(mm[keep, 1]))
}
nearest <- list(
  reference("lalonde_logit_caliper", lal, "treat", lcov, paste(lcli, "--distance logit --caliper 0.2"), TRUE, 0.2),
  reference("lalonde_default", lal, "treat", lcov, lcli, FALSE),
  reference("sim_caliper", sc, "sirt", scov, paste(scli, "--caliper 0.1"), FALSE, 0.1)
)
writeLines(to_json(list(matchit_version = as.character(packageVersion("MatchIt")), cases = cases, nearest = nearest)),
           "tests/data/matching/matching.expected.json")
