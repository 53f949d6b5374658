# monotone (hand-made, seed 3): 40 subjects. Every subject with node = 1 fails
# before any subject with node = 0 does, so the partial likelihood is monotone
# in node: coxph stops on the log-likelihood with a huge coefficient and warns
# "coefficient may be infinite"; the score and LR tests stay finite. All
# events of the group "early" happen before the first censoring; group "late"
# has a single subject (an event at 65); the overall curve reaches 0 (the last time is an event).
# Rscript monotone.R  ->  monotone.csv, monotone.expected.json
source("golden.R")
set.seed(3)
n <- 40
node <- rep(c(1, 0), c(12, 28))
time <- c(sort(round(runif(12, 1, 10), 1)), round(runif(28, 11, 60), 1))
status <- c(rep(1, 12), rbinom(27, 1, 0.6), 1)
time[40] <- 70
time[39] <- 65
status[39] <- 1
age <- round(rnorm(n, 60, 8))
score <- round(rnorm(n, 0, 1), 3)
grp <- c(rep("early", 12), rep(c("mid", "other"), 14))
grp[39] <- "late"
d <- data.frame(time = time, status = status, grp = grp, node = node, age = age, score = score)
write.csv(d, "monotone.csv", row.names = FALSE, na = "")
suppressWarnings(write_golden("monotone", "time", "status", "grp", c("node", "age", "score"), NULL, c(0.5, 5)))
