# Goldens for sirtkit monitor (tests/stats/trial/bayesian_monitoring_test.cpp,
# tests/cli/trial_monitoring_cli_test.cpp): the Thall-Simon rules of
# shared/reference/statistics-methods.md §3.3 and its appendix script g4.R,
# run here (R 4.2.2, base R), with more digits and the exact operating
# characteristics of each design written out independently (a loop over the
# counts at each look with dbinom).
# Run: Rscript thall_simon.R > thall_simon.csv
tox_prob <- function(x, n, a, b, ptarget) 1 - pbeta(ptarget, a + x, b + n - x)
tox_bound <- function(nvec, a, b, ptarget, pstop) sapply(nvec, function(n) { for (x in 0:n) if (tox_prob(x, n, a, b, ptarget) > pstop) return(x); n + 1 })
# g4.R's futility probability, with integrate()'s tolerance tightened (the
# default rel.tol 1.2e-4 would only give 4 digits).
pr_E_gt_S <- function(x, n, aE, bE, aS, bS, delta) integrate(function(s) dbeta(s, aS, bS) * (1 - pbeta(pmin(s + delta, 1), aE + x, bE + n - x)), 0, 1, rel.tol = 1e-12, subdivisions = 1000)$value
fut_bound <- function(nvec, aE, bE, aS, bS, delta, plow) sapply(nvec, function(n) { for (x in n:0) if (pr_E_gt_S(x, n, aE, bE, aS, bS, delta) < plow) return(x); -1 })
# Exact P(stop at each look) for one count process: stop when the count is in the region.
stop_probs <- function(nvec, p, stop_region) {
  dist <- 1; nprev <- 0; out <- numeric(length(nvec))
  for (k in seq_along(nvec)) {
    m <- nvec[k] - nprev; add <- dbinom(0:m, m, p)
    nxt <- numeric(nvec[k] + 1)
    for (x in seq_along(dist) - 1) nxt[x + 0:m + 1] <- nxt[x + 0:m + 1] + dist[x + 1] * add
    stop <- stop_region(0:nvec[k], k)
    out[k] <- sum(nxt[stop]); nxt[stop] <- 0; dist <- nxt; nprev <- nvec[k]
  }
  out
}
n <- seq(5, 40, 5)
cat("design,kind,n,bound,probability,true_rate,p_stop_early,expected_n\n")
emit <- function(design, kind, b, prob, p, tr) {
  st <- stop_probs(n, tr, if (kind == "toxicity") function(x, k) x >= b[k] else function(x, k) x <= b[k])
  early <- sum(st[-length(n)]); en <- sum(st[-length(n)] * n[-length(n)]) + (1 - early) * max(n)
  for (k in seq_along(n)) cat(sprintf("%s,%s,%d,%d,%.15g,%g,%.15g,%.15g\n", design, kind, n[k], b[k], prob[k], tr, early, en))
}
# Reference §3.3 design 1: Beta(0.4, 1.6) prior, stop if Pr(p_tox > 0.20) > 0.90
b <- tox_bound(n, 0.4, 1.6, 0.20, 0.90); emit("tox1", "toxicity", b, mapply(tox_prob, b, n, MoreArgs = list(a = 0.4, b = 1.6, ptarget = 0.20)), 0, 0.35)
# design 2: Beta(1, 1), stop if Pr(p_tox > 0.30) > 0.95
b <- tox_bound(n, 1, 1, 0.30, 0.95); emit("tox2", "toxicity", b, mapply(tox_prob, b, n, MoreArgs = list(a = 1, b = 1, ptarget = 0.30)), 0, 0.30)
# design 3: futility, theta_S ~ Beta(30, 70), theta_E ~ Beta(0.75, 1.25) (mean 0.30 + 0.15/2, ESS 2), delta 0.15, p_L 0.05
b <- fut_bound(n, 0.75, 1.25, 30, 70, 0.15, 0.05)
emit("fut1", "futility", b, mapply(function(x, nn) pr_E_gt_S(x, nn, 0.75, 1.25, 30, 70, 0.15), b, n), 0, 0.30)
cat(sprintf("check,futility,20,4,%.15g,NA,NA,NA\n", pr_E_gt_S(4, 20, 0.75, 1.25, 30, 70, 0.15)))
cat(sprintf("check,toxicity,10,5,%.15g,NA,NA,NA\n", tox_prob(5, 10, 0.4, 1.6, 0.2)))
