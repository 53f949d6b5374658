# kidney (survival 3.5-3): 76 rows, a 4-level character group (disease: AN,
# GN, Other, PKD once read back, PKD with 8 rows) that is also a covariate,
# tied times, strata by sex.
# Rscript kidney.R  ->  kidney.csv, kidney.expected.json
source("golden.R")
d <- kidney[, c("time", "status", "id", "age", "sex", "disease", "frail")]
d$disease <- as.character(d$disease)
write.csv(d, "kidney.csv", row.names = FALSE, na = "")
write_golden("kidney", "time", "status", "disease", c("age", "sex", "disease", "frail"), "sex", c(30, 100, 300))
