# heavyties (simulated, seed 11): 400 subjects followed in whole years 1-8
# (few distinct times, so Efron and Breslow differ a lot), every subject still
# at risk at year 8 has the event (the curves reach 0), a covariate ~1e6
# (dose in Bq), one in {-1, 0, 1} (not centred by coxph), a 0/1
# and a negative one; the group is a 4-level numeric grade (numeric order),
# strata by site, one of which has a single row.
# Rscript heavyties.R  ->  heavyties.csv, heavyties.expected.json
source("golden.R")
set.seed(11)
n <- 400
grade <- sample(1:4, n, replace = TRUE, prob = c(0.3, 0.3, 0.25, 0.15))
bq <- round(rnorm(n, 2.5e6, 4e5))
tiny <- signif(rlnorm(n, log(3e-6), 0.5), 6)
tri <- sample(c(-1, 0, 1), n, replace = TRUE)
male <- rbinom(n, 1, 0.6)
neg <- round(-rexp(n, 1 / 20), 2)
lp <- 0.3 * grade + 4e-7 * (bq - 2.5e6) + 1e5 * (tiny - 3e-6) + 0.25 * tri + 0.2 * male + 0.01 * neg
t <- rexp(n, 0.15 * exp(lp))
cens <- runif(n, 0, 12)
time <- pmin(ceiling(pmin(t, cens)), 8)
status <- as.integer(t <= cens | time == 8)
site <- sample(c("north", "south", "east"), n, replace = TRUE)
site[which(time == 3)[1]] <- "west"
d <- data.frame(time = time, status = status, grade = grade, bq = bq, tiny = tiny, tri = tri, male = male, neg = neg, site = site)
write.csv(d, "heavyties.csv", row.names = FALSE, na = "")
write_golden("heavyties", "time", "status", "grade", c("bq", "tri", "male", "neg"), "site", c(0.5, 3, 8))
