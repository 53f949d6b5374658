# cgd (survival 3.5-3), time to the first infection (the enum == 1 rows, all
# from time 0): 128 patients, character columns whose R level order is not
# byte order (inherit "autosomal" < "X-linked" as R's ICU collation sorts
# them; hos.cat "Europe:Amsterdam" ... "US:other"; treat "placebo"/"rIFN-g"),
# strata by sex.
# Rscript cgd.R  ->  cgd.csv, cgd.expected.json
source("golden.R")
f <- cgd[cgd$enum == 1, ]
d <- data.frame(time = f$tstop, status = f$status, inherit = as.character(f$inherit), treat = as.character(f$treat),
                sex = as.character(f$sex), age = f$age, steroids = f$steroids, hos.cat = as.character(f$hos.cat))
write.csv(d, "cgd.csv", row.names = FALSE, na = "")
write_golden("cgd", "time", "status", "inherit", c("treat", "age", "inherit", "steroids", "hos.cat"), "sex", c(90, 180, 365))
