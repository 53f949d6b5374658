# edges (hand-made, seed 7): 15 subjects in 4 groups. "flat" sits exactly at
# S = 0.5 from t = 2 to 6 (median = midpoint 4, quantile.survfit), "high" never
# drops below 0.8 (median and CI NA), "zero" ends with an event (S = 0, log CI
# NA), "solo" is a single subject; landmark 0.5 lies before the first event.
# Covariates: a 0/1 column, a negative one and one ~1e6; strata with a one-row
# stratum "c". step() keeps no term (the null model has the lowest AIC).
# Rscript edges.R  ->  edges.csv, edges.expected.json
source("golden.R")
set.seed(7)
d <- data.frame(
  time = c(1, 2, 4, 6,   3, 5, 7, 9, 10,   1.5, 2.5, 3.5, 5, 8,   4.5),
  status = c(1, 1, 0, 1,  1, 0, 0, 0, 0,    1, 1, 0, 1, 1,         1),
  g = c(rep("flat", 4), rep("high", 5), rep("zero", 5), "solo"),
  x01 = c(0,1,0,1, 0,0,1,0,1, 1,1,0,1,0, 1),
  neg = round(-runif(15, 0.1, 3), 3),
  big = round(1e6 + rnorm(15, 0, 3e4)),
  s = c(rep("a", 6), "c", rep("b", 7), "a"))
write.csv(d, "edges.csv", row.names = FALSE, na = "")
write_golden("edges", "time", "status", "g", c("x01", "neg", "big"), "s", c(0.5, 4))
