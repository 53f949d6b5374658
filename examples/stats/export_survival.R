# Exports R survival's `lung` and `veteran` data sets to the CSV files beside
# this script (R 4.2 with survival 3.5; run from this folder: Rscript export_survival.R).
# lung's status is recoded from R's 1 = censored, 2 = dead to 0 = censored,
# 1 = dead, so that sirtkit reads it without --event-coding r12; every other
# column is as R ships it, missing values as empty cells.
library(survival)
lung_out <- survival::lung
lung_out$status <- lung_out$status - 1L
write.csv(lung_out, "lung.csv", row.names = FALSE, na = "")
write.csv(survival::veteran, "veteran.csv", row.names = FALSE, na = "")
