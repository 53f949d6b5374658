# rats (survival 3.5-3): 300 rats, 42 tumours, many tied times.
#  rats:     group rx, 100 litters of 3 as strata (stratified log-rank and Cox
#            with tiny strata, most without an event).
#  rats_arm: the same rows, group arm = sex x rx as text, where "m_drug" has
#            no event (R's univariable Cox gives it an infinite coefficient).
# Rscript rats.R  ->  rats.csv, rats.expected.json, rats_arm.csv, rats_arm.expected.json
source("golden.R")
d <- data.frame(time = rats$time, status = rats$status, arm = paste0(rats$sex, "_", ifelse(rats$rx == 1, "drug", "ctrl")),
                rx = rats$rx, sex = rats$sex, litter = rats$litter)
write.csv(d, "rats.csv", row.names = FALSE, na = "")
write.csv(d, "rats_arm.csv", row.names = FALSE, na = "")
write_golden("rats", "time", "status", "rx", c("rx", "sex"), "litter", c(60, 90, 104))
suppressWarnings(write_golden("rats_arm", "time", "status", "arm", c("rx", "sex"), NULL, c(60, 90, 104)))
