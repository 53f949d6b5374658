# pbc (survival 3.5-3): death = (status == 2), transplant censored. Group
# stage is missing in 6 rows; the stratum trt is missing in the 106 patients
# not randomised; chol is missing in 134 rows and protime in 2; sex is a
# character column ("f"/"m") and edema takes the values 0, 0.5, 1.
# Rscript pbc.R  ->  pbc.csv, pbc.expected.json
source("golden.R")
d <- data.frame(time = pbc$time, death = as.integer(pbc$status == 2), stage = pbc$stage, trt = pbc$trt,
                age = pbc$age, sex = as.character(pbc$sex), edema = pbc$edema, bili = pbc$bili,
                albumin = pbc$albumin, protime = pbc$protime, chol = pbc$chol)
write.csv(d, "pbc.csv", row.names = FALSE, na = "")
write_golden("pbc", "time", "death", "stage", c("age", "sex", "edema", "bili", "albumin", "protime", "chol"),
             "trt", c(1000, 2000, 3000))
