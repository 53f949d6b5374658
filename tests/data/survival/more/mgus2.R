# mgus2 (survival 3.5-3): 1384 patients, follow-up in whole months (1112 tied
# times), hgb/creat/mspike missing in 46 rows, the event written as a logical
# (death TRUE/FALSE, which Surv() takes with TRUE = event), a text age group
# whose R order ("<60" < "60-69" < "70-79" < "80+") is not byte order, strata
# by sex.
# Rscript mgus2.R  ->  mgus2.csv, mgus2.expected.json
source("golden.R")
agegrp <- as.character(cut(mgus2$age, c(0, 59, 69, 79, 200), labels = c("<60", "60-69", "70-79", "80+")))
d <- data.frame(futime = mgus2$futime, death = mgus2$death == 1, agegrp = agegrp, age = mgus2$age,
                sex = as.character(mgus2$sex), hgb = mgus2$hgb, creat = mgus2$creat, mspike = mgus2$mspike)
write.csv(d, "mgus2.csv", row.names = FALSE, na = "")
write_golden("mgus2", "futime", "death", "agegrp", c("age", "sex", "hgb", "creat", "mspike"), "sex", c(12, 60, 120))
