# diabetic (survival 3.5-3): 197 patients x 2 eyes, time in months with two
# decimals, group = risk score (7 numeric levels, 6 has few eyes), laser as text
# ("argon" < "xenon": coxph term laserxenon), strata = patient id (197 strata
# of two eyes; age and laser are constant within every stratum, so the
# stratified Cox model aliases them).
# Rscript diabetic.R  ->  diabetic.csv, diabetic.expected.json
source("golden.R")
d <- data.frame(id = diabetic$id, time = diabetic$time, status = diabetic$status, risk = diabetic$risk,
                trt = diabetic$trt, laser = as.character(diabetic$laser), age = diabetic$age, eye = as.character(diabetic$eye))
write.csv(d, "diabetic.csv", row.names = FALSE, na = "")
write_golden("diabetic", "time", "status", "risk", c("trt", "laser", "age", "eye"), "id", c(6, 12, 36))
