# Shared by the scripts in this folder: writes <name>.expected.json for a CSV in
# the schema of shared/reference/survival/*.expected.json (R 4.2.2 / survival
# 3.5-3). Each <name>.R writes <name>.csv from a survival data set, reads it
# back with read.csv (so character columns are what the CLI sees) and calls
# write_golden(). Run from this folder:  Rscript <name>.R
suppressMessages(library(survival))

# Minimal JSON writer: numbers to 17 digits, NA -> null, a length-1 vector is
# a scalar (jsonlite's auto_unbox, as the shared goldens were written). The
# objects inside arrays (table rows) are written on one line each.
to_json <- function(x, indent = "", inline = FALSE) {
  ind2 <- paste0(indent, "  ")
  if (is.list(x)) {
    if (is.null(names(x))) {
      if (length(x) == 0) return("[]")
      return(paste0("[\n", paste0(ind2, sapply(x, to_json, indent = ind2, inline = TRUE), collapse = ",\n"), "\n", indent, "]"))
    }
    if (length(x) == 0) return("{}")
    if (inline) return(paste0("{", paste(mapply(function(k, v) paste0('"', k, '": ', to_json(v, "", TRUE)), names(x), x), collapse = ", "), "}"))
    body <- mapply(function(k, v) paste0(ind2, '"', k, '": ', to_json(v, ind2)), names(x), x)
    return(paste0("{\n", paste(body, collapse = ",\n"), "\n", indent, "}"))
  }
  one <- function(v) {
    if (is.na(v) || (is.numeric(v) && !is.finite(v))) return("null")  # as jsonlite: NA, Inf -> null
    if (is.character(v)) return(paste0('"', gsub('"', '\\\\"', v), '"'))
    if (is.logical(v)) return(if (v) "true" else "false")
    sprintf("%.17g", v)
  }
  if (is.null(x)) return("{}")
  s <- vapply(as.list(x), one, "")
  if (length(s) == 1) return(s)
  paste0("[", paste(s, collapse = ", "), "]")
}

km_table <- function(fit) {
  s <- summary(fit, censored = TRUE)
  rows <- lapply(seq_along(s$time), function(i) {
    r <- list(time = s$time[i], n_risk = s$n.risk[i], n_event = s$n.event[i], n_censor = s$n.censor[i],
              surv = s$surv[i], std_err = s$std.err[i], lower = s$lower[i], upper = s$upper[i])
    if (!is.null(s$strata)) r$strata <- as.character(s$strata[i])
    r
  })
  rows
}

km_median <- function(fit) {
  q <- quantile(fit, 0.5)
  est <- as.vector(q$quantile); lo <- as.vector(q$lower); hi <- as.vector(q$upper)
  st <- if (is.null(fit$strata)) "all" else names(fit$strata)
  lapply(seq_along(est), function(i) list(strata = st[i], median = est[i], lower = lo[i], upper = hi[i]))
}

cox_block <- function(f) {
  s <- summary(f)
  df <- sum(!is.na(coef(f)))
  list(terms = names(coef(f)), coef = unname(coef(f)), se = unname(s$coefficients[, "se(coef)"]),
       z = unname(s$coefficients[, "z"]), p = unname(s$coefficients[, "Pr(>|z|)"]),
       hr = unname(s$conf.int[, "exp(coef)"]), hr_lower = unname(s$conf.int[, "lower .95"]),
       hr_upper = unname(s$conf.int[, "upper .95"]), loglik = f$loglik, n = f$n, nevent = f$nevent,
       lr_test = unname(s$logtest), wald_test = unname(s$waldtest), score_test = unname(s$sctest),
       concordance = unname(f$concordance["concordance"]), iterations = f$iter, aic = AIC(f))
}

write_golden <- function(name, time, event, group, covariates, strata, landmarks) {
  d <- read.csv(paste0(name, ".csv"))
  S <- paste0("Surv(", time, ", ", event, ")")
  fml <- function(rhs) as.formula(paste(S, "~", rhs))
  bq <- function(v) paste0("`", v, "`")
  cov_rhs <- paste(bq(covariates), collapse = " + ")
  d[[".g"]] <- d[[group]]
  g <- list(dataset = name, time = time, event = event, group = group, covariates = covariates,
            strata = if (is.null(strata)) NULL else strata, rows = nrow(d))
  g$km <- list()
  for (ct in c("log", "log-log", "plain")) {
    fit <- survfit(fml("1"), d, conf.type = ct)
    g$km[[ct]] <- list(table = km_table(fit), median = km_median(fit))
  }
  # survfit labels strata "<group>=<level>"
  kg <- eval(substitute(survfit(fml(bq(group)), d), list()))
  g$km_by_group <- list(table = km_table(kg), median = km_median(kg))
  g$landmarks <- lapply(landmarks, function(t) {
    s <- summary(kg, times = t)
    list(time = t, strata = as.character(s$strata), surv = s$surv, lower = s$lower, upper = s$upper)
  })
  rq <- quantile(survfit(as.formula(paste0("Surv(", time, ", 1 - ", event, ") ~ 1")), d), 0.5)
  g$reverse_km_median_followup <- list(median = unname(rq$quantile), lower = unname(rq$lower), upper = unname(rq$upper))
  lr <- function(rho) {
    t <- survdiff(fml(bq(group)), d, rho = rho)
    df <- sum(t$exp > 0) - 1
    list(chisq = t$chisq, df = df, p = pchisq(t$chisq, df, lower.tail = FALSE), n = as.vector(t$n),
         observed = as.vector(t$obs), expected = as.vector(t$exp))
  }
  g$logrank <- list(rho0 = lr(0), rho1 = lr(1))
  if (!is.null(strata)) {
    t <- survdiff(fml(paste0(bq(group), " + strata(", bq(strata), ")")), d)
    df <- sum(rowSums(as.matrix(t$exp)) > 0) - 1  # exp is groups x strata
    g$logrank_stratified <- list(chisq = t$chisq, p = pchisq(t$chisq, df, lower.tail = FALSE))
  }
  fe <- coxph(fml(cov_rhs), d)
  fb <- coxph(fml(cov_rhs), d, ties = "breslow")
  g$cox <- list(efron = cox_block(fe), breslow = cox_block(fb))
  fr <- coxph(fml(cov_rhs), d, robust = TRUE)
  g$cox_robust <- list(coef = unname(coef(fr)), robust_se = unname(sqrt(diag(vcov(fr)))))
  if (!is.null(strata)) {
    fs <- coxph(fml(paste0(cov_rhs, " + strata(", bq(strata), ")")), d)
    g$cox_stratified <- list(coef = unname(coef(fs)), se = unname(summary(fs)$coefficients[, "se(coef)"]), loglik = fs$loglik)
  }
  z <- cox.zph(fe)
  g$cox_zph <- list(terms = rownames(z$table), chisq = unname(z$table[, "chisq"]), df = unname(z$table[, "df"]),
                    p = unname(z$table[, "p"]))
  fu <- coxph(fml(paste0("factor(", bq(group), ")")), d)
  su <- summary(fu)
  g$cox_univariable_group <- list(coef = unname(coef(fu)), hr = unname(su$conf.int[, "exp(coef)"]),
                                  lower = unname(su$conf.int[, "lower .95"]), upper = unname(su$conf.int[, "upper .95"]),
                                  wald_p = unname(su$coefficients[, "Pr(>|z|)"]))
  cc <- d[complete.cases(d[, c(time, event, covariates)]), ]
  full <- coxph(fml(cov_rhs), cc)
  st <- step(full, direction = "both", trace = 0)
  g$stepwise_aic_both <- list(kept = attr(terms(st), "term.labels"), aic = extractAIC(st)[2])
  writeLines(to_json(g), paste0(name, ".expected.json"))
}
