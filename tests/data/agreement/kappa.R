# Goldens for tests/stats/agreement/kappa_test.cpp and tests/cli/agreement_cli_test.cpp
# (R 4.2.2, base R only: irr/psych are not installed, so kappa and its
# Fleiss-Cohen-Everitt (1969) standard errors are written out here in matrix
# form, independently of the C++ loops).
# Run: Rscript kappa.R   (writes response_readers.csv, prints the goldens)
fce <- function(tab, w) {
  n <- sum(tab); p <- tab / n; pr <- rowSums(p); pc <- colSums(p)
  po <- sum(w * p); pe <- sum(w * outer(pr, pc)); k <- (po - pe) / (1 - pe)
  wr <- as.vector(w %*% pc); wc <- as.vector(t(w) %*% pr)      # wbar_i. and wbar_.j
  B <- outer(wr, wc, "+")
  v0 <- (sum(outer(pr, pc) * (w - B)^2) - pe^2) / (n * (1 - pe)^2)
  v1 <- (sum(p * (w - B * (1 - k))^2) - (k - pe * (1 - k))^2) / (n * (1 - pe)^2)
  z <- k / sqrt(v0)
  c(po = po, pe = pe, kappa = k, se0 = sqrt(v0), se1 = sqrt(v1), z = z, p = 2 * pnorm(-abs(z)),
    lower = k - qnorm(0.975) * sqrt(v1), upper = k + qnorm(0.975) * sqrt(v1))
}
weights <- function(k, type) {
  d <- abs(outer(1:k, 1:k, "-")) / (k - 1)
  switch(type, none = diag(k), linear = 1 - d, quadratic = 1 - d^2)
}
options(digits = 15)
# Textbook 2x2 (statistics-methods.md §1.8): kappa 0.40, se0 0.138564, se1 0.126996
print(fce(matrix(c(20, 10, 5, 15), 2), diag(2)))

# Two radiologists' best response (seed 003), 40 patients, one reading missing.
set.seed(3)
lev <- c("CR", "PR", "SD", "PD")
truth <- sample(1:4, 40, replace = TRUE, prob = c(0.15, 0.35, 0.3, 0.2))
shift <- function(x) pmin(4, pmax(1, x + sample(c(-1, 0, 0, 0, 1), length(x), replace = TRUE)))
r1 <- shift(truth); r2 <- shift(truth)
d <- data.frame(patient = sprintf("P%02d", 1:40), reader1 = lev[r1], reader2 = lev[r2])
d$reader2[17] <- ""  # reader 2 did not read patient 17: dropped and counted
write.csv(d, "response_readers.csv", row.names = FALSE, quote = FALSE)
ok <- d$reader2 != ""
tab <- table(factor(d$reader1[ok], levels = lev), factor(d$reader2[ok], levels = lev))
print(tab)
for (type in c("none", "linear", "quadratic")) { cat(type, "\n"); print(fce(unclass(tab), weights(4, type))) }
# Without --levels the order is R's factor() (alphabetical): CR, PD, PR, SD
tab_alpha <- table(factor(d$reader1[ok]), factor(d$reader2[ok]))
cat("alphabetical linear\n"); print(fce(unclass(tab_alpha), weights(4, "linear")))
