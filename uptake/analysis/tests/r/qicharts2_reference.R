# Reference values pinned in uptake/analysis/tests/.
#
# Recipe: R 4.2.2 (Debian r-base-core), with qicharts2's own computing functions
# sourced from its public repository (github.com/anhoej/qicharts2, commit 1b9487e,
# R/helper.functions.R) and its bundled data sets (data/*.rda):
#
#   git archive 1b9487e R data | tar -x -C /tmp/qic
#   cd /tmp/qic && Rscript /path/to/qicharts2_reference.R
#
# qicharts2 is not packaged for Debian, so the plotting wrapper qic() is not
# used; the functions below are the ones qic() calls for each chart.
source("R/helper.functions.R")
options(digits = 15)

frame <- function(y, freeze = length(y), n = NA, y.sum = NA) {
  data.frame(x = seq_along(y), y = y, cl = NA_real_, include = TRUE,
             baseline = seq_along(y) <= freeze, n = n, y.sum = y.sum)
}
show <- function(label, r) {
  cat("==", label, "\n")
  cat("cl", unique(r$cl), "\n")
  if (!all(is.na(r$ucl))) { cat("ucl", r$ucl, "\n"); cat("lcl", r$lcl, "\n") }
  cat("n.obs", r$n.obs[1], "n.useful", r$n.useful[1],
      "longest.run", r$longest.run[1], "longest.run.max", r$longest.run.max[1],
      "n.crossings", r$n.crossings[1], "n.crossings.min", r$n.crossings.min[1],
      "runs.signal", r$runs.signal[1], "\n")
}

# 1. The vignette's I chart (set.seed(19); printed summary in vignettes/qicharts2.Rmd).
set.seed(19)
y <- rnorm(24)
y[22] <- 4
y[13:24] <- rnorm(12, mean = 2)
cat("== vignette y\n"); cat(sprintf("%.17g", y), sep = ", "); cat("\n")
show("vignette run", runs.analysis(qic.run(frame(y)), "anhoej"))
show("vignette i", runs.analysis(qic.i(frame(y)), "anhoej"))

# 2. C. difficile counts (data cdi), frozen baseline of 24 months.
load("data/cdi.rda")
show("cdi run freeze 24", runs.analysis(qic.run(frame(cdi$n, freeze = 24)), "anhoej"))
show("cdi run all", runs.analysis(qic.run(frame(cdi$n)), "anhoej"))
show("cdi c freeze 24", runs.analysis(qic.c(frame(cdi$n, freeze = 24, y.sum = cdi$n)), "anhoej"))
u <- frame(cdi$n / cdi$days, freeze = 24, n = cdi$days, y.sum = cdi$n)
show("cdi u freeze 24", runs.analysis(qic.u(u), "anhoej"))
cat("days", sprintf("%.17g", cdi$days), "\n")

# 3. Harmed patients per month (data gtt), p and Laney p' charts.
load("data/gtt.rda")
k <- tapply(gtt$harms > 0, gtt$month, sum)
n <- tapply(gtt$harms > 0, gtt$month, length)
cat("== gtt k", k, "\n== gtt n", n, "\n")
show("gtt p", runs.analysis(qic.p(frame(k / n, n = n, y.sum = k)), "anhoej"))
show("gtt pp", runs.analysis(qic.pp(frame(k / n, n = n, y.sum = k)), "anhoej"))

# 4. Anhoej limits for n = 10..100 (formulas of Anhoej & Olesen 2014, PLoS ONE 9(11): e113825).
n <- 10:100
cat("== anhoej table\n")
cat("longest.run.max", round(log2(n)) + 3, "\n")
cat("n.crossings.min", qbinom(0.05, n - 1, 0.5), "\n")

# 5. Swed-Eisenhart exact distribution of the number of runs, n1 = floor(n/2),
#    n2 = ceiling(n/2); lower = smallest number of runs that is not a signal
#    (P(R < lower) <= 0.025 < P(R <= lower)), upper = largest that is not a signal.
druns <- function(r, n1, n2) {
  k <- r %/% 2
  if (r %% 2 == 0) 2 * choose(n1 - 1, k - 1) * choose(n2 - 1, k - 1)
  else choose(n1 - 1, k) * choose(n2 - 1, k - 1) + choose(n1 - 1, k - 1) * choose(n2 - 1, k)
}
cat("== swed-eisenhart n lower upper\n")
for (m in 10:60) {
  n1 <- m %/% 2; n2 <- m - n1
  rs <- 2:m
  p <- sapply(rs, druns, n1 = n1, n2 = n2) / choose(m, n1)
  cdf <- cumsum(p); sf <- rev(cumsum(rev(p)))
  lower <- min(rs[cdf > 0.025])
  upper <- max(rs[sf > 0.025])
  cat(m, lower, upper, "\n")
}
