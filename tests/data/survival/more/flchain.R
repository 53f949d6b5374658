# flchain (survival 3.5-3): n = 7874, 4897 tied times, 3 rows at time 0,
# creatinine missing in 1350 rows, a 10-level numeric group (flc.grp), a
# character covariate (sex "F"/"M") that is also the stratum, so it is
# constant within strata and R gives it an NA coefficient in the stratified fit.
# Rscript flchain.R  ->  flchain.csv, flchain.expected.json
source("golden.R")
d <- flchain[, c("futime", "death", "flc.grp", "age", "sex", "kappa", "lambda", "creatinine", "mgus")]
d$sex <- as.character(d$sex)
write.csv(d, "flchain.csv", row.names = FALSE, na = "")
write_golden("flchain", "futime", "death", "flc.grp", c("age", "sex", "kappa", "lambda", "creatinine", "mgus"),
             "sex", c(365, 1825, 3650))
