# Goldens for propensity scores and inverse-probability-of-treatment weights
# (stats/matching/logistic_regression.h, stats/matching/propensity_weights.h, sirtkit iptw),
# read by tests/stats/matching/propensity_weights_test.cpp and tests/cli/matching_cli_test.cpp
# (R 4.2.2, MatchIt 4.5.1, survival 3.5-3). Run from the repository root after
# matching.R:  Rscript tests/data/matching/iptw.R
# The propensity model is glm(binomial). Weights (WeightIt's definitions,
# written out here: WeightIt is not installed): ATE 1/e for the treated,
# 1/(1 - e) for the controls; ATT 1 and e/(1 - e); stabilised = each weight
# times the proportion of units in the unit's own arm (weightit(stabilize =
# TRUE)). Balance rows are MatchIt's own summary statistics (MatchIt:::bal1var
# on MatchIt:::get.covs.matrix, every factor level a row): standardised mean
# differences over the pooled SD of the two unweighted arms for the ATE, the
# treated arm's SD for the ATT, binary variables with p(1 - p) variances.
library(MatchIt)
library(survival)
source("tests/data/matching/json_writer.R")
bal1var <- MatchIt:::bal1var

one_case <- function(name, file, treat, covs, cli, estimand, stabilised) {
  d <- read.csv(file)
  f <- reformulate(covs, response = treat)
  g <- glm(f, data = d, family = binomial)
  e <- unname(fitted(g))
  t <- d[[treat]]
  w <- if (estimand == "ATE") ifelse(t == 1, 1 / e, 1 / (1 - e)) else ifelse(t == 1, 1, e / (1 - e))
  if (stabilised) w <- w * ifelse(t == 1, mean(t), 1 - mean(t))
  X <- cbind(distance = e, MatchIt:::get.covs.matrix(reformulate(covs), data = d))
  denom <- if (estimand == "ATE") "pooled" else "treated"
  tab <- function(ww) {
    r <- t(apply(X, 2, function(x) bal1var(x, tt = t, ww = ww, s.weights = rep(1, nrow(d)), standardize = TRUE,
                                           s.d.denom = denom, compute.pair.dist = FALSE)))
    list(terms = rownames(r), means_treated = unname(r[, 1]), means_control = unname(r[, 2]), smd = unname(r[, 3]),
         variance_ratio = unname(r[, 4]), ecdf_mean = unname(r[, 5]), ecdf_max = unname(r[, 6]))
  }
  ess <- function(x) sum(x)^2 / sum(x^2)
  out <- list(name = name, file = file, cli = cli, estimand = estimand, stabilised = stabilised,
              model = list(terms = names(coef(g)), coef = unname(coef(g)), se = unname(sqrt(diag(vcov(g)))),
                           deviance = g$deviance, null_deviance = g$null.deviance, iterations = g$iter),
              propensity = e, weights = w, balance_all = tab(NULL), balance_weighted = tab(w),
              ess_treated = ess(w[t == 1]), ess_control = ess(w[t == 0]))
  if ("time" %in% names(d)) {
    d$w <- w
    cx <- coxph(reformulate(treat, response = "Surv(time, status)"), data = d, weights = w)
    out$cox <- list(coef = unname(coef(cx)), robust_se = unname(sqrt(diag(cx$var))))
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
  one_case("lalonde_ate", lal, "treat", lcov, lcli, "ATE", FALSE),
  one_case("lalonde_ate_stabilised", lal, "treat", lcov, paste(lcli, "--stabilised"), "ATE", TRUE),
  one_case("lalonde_att", lal, "treat", lcov, paste(lcli, "--estimand att"), "ATT", FALSE),
  one_case("lalonde_att_stabilised", lal, "treat", lcov, paste(lcli, "--estimand att --stabilised"), "ATT", TRUE),
  one_case("sim_ate_stabilised", sc, "sirt", scov, paste(scli, "--stabilised"), "ATE", TRUE),
  one_case("sim_att", sc, "sirt", scov, paste(scli, "--estimand att"), "ATT", FALSE)
)
writeLines(to_json(list(matchit_version = as.character(packageVersion("MatchIt")), cases = cases)),
           "tests/data/matching/iptw.expected.json")
