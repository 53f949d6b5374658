# Goldens for sirtkit samplesize simon (tests/stats/trial/simon_two_stage_test.cpp):
# an independent exhaustive search in base R 4.2.2 (clinfun is not installed
# here), written as Simon (1989, Controlled Clinical Trials 10:1-10) defines
# the designs: stop after stage 1 if <= r1 of n1 respond, reject the regimen
# if <= r of n respond; alpha = P(X1 > r1, X > r | p0), power the same at p1;
# optimal = least EN(p0) (ties: least n), minimax = least n (ties: least EN(p0)).
# Run: Rscript simon_search.R > simon_search.csv
reject <- function(r1, n1, r, n, p) {
  x1 <- (r1 + 1):n1
  sum(dbinom(x1, n1, p) * pbinom(r - x1, n - n1, p, lower.tail = FALSE))
}
search <- function(p0, p1, alpha, beta, nmax) {
  best <- list(opt = NULL, mm = NULL)
  for (n in 2:nmax) for (n1 in 1:(n - 1)) for (r1 in 0:(n1 - 1)) {
    # alpha and power fall as r grows: the smallest r meeting alpha is the one to check
    a <- sapply(r1:(n - 1), function(r) reject(r1, n1, r, n, p0))
    k <- which(a <= alpha)[1]; if (is.na(k)) next
    r <- r1 + k - 1
    pw <- reject(r1, n1, r, n, p1); if (pw < 1 - beta) next
    pet <- pbinom(r1, n1, p0); en <- n1 + (1 - pet) * (n - n1)
    d <- c(r1 = r1, n1 = n1, r = r, n = n, en0 = en, pet0 = pet, alpha = a[k], power = pw)
    if (is.null(best$opt) || en < best$opt["en0"] - 1e-12) best$opt <- d
    if (is.null(best$mm) || n < best$mm["n"] || (n == best$mm["n"] && en < best$mm["en0"] - 1e-12)) best$mm <- d
  }
  best
}
cat("p0,p1,alpha,beta,max_n,criterion,r1,n1,r,n,en0,pet0,alpha_exact,power_exact\n")
for (cs in list(c(0.05, 0.25, 0.05, 0.2, 40), c(0.1, 0.3, 0.05, 0.2, 45), c(0.2, 0.4, 0.05, 0.2, 55),
                c(0.3, 0.5, 0.05, 0.2, 55), c(0.4, 0.6, 0.05, 0.2, 55), c(0.7, 0.9, 0.05, 0.2, 40),
                c(0.2, 0.4, 0.1, 0.1, 60))) {
  b <- search(cs[1], cs[2], cs[3], cs[4], cs[5])
  for (crit in c("opt", "mm")) { d <- b[[crit]]
    cat(sprintf("%g,%g,%g,%g,%d,%s,%d,%d,%d,%d,%.12g,%.12g,%.12g,%.12g\n", cs[1], cs[2], cs[3], cs[4], cs[5],
                if (crit == "opt") "optimal" else "minimax", d["r1"], d["n1"], d["r"], d["n"], d["en0"], d["pet0"], d["alpha"], d["power"])) }
}
