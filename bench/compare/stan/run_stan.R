#!/usr/bin/env Rscript
# Runs one Stan model with rstan and writes its draws (CSV: chain, draw, parameters...) and timings (JSON).
# Usage: Rscript run_stan.R MODEL.stan DATA.json CHAINS WARMUP DRAWS SEED OUT_PREFIX [METRIC]
# METRIC is Stan's diag_e (default) or dense_e.
# The compiled model is cached next to the .stan file (MODEL.rds), so compilation is never timed.
suppressMessages(library(rstan))
suppressMessages(library(jsonlite))
a <- commandArgs(trailingOnly = TRUE)
model_file <- a[1]; data_file <- a[2]
chains <- as.integer(a[3]); warmup <- as.integer(a[4]); draws <- as.integer(a[5]); seed <- as.integer(a[6]); out <- a[7]
metric <- if (length(a) >= 8) a[8] else "diag_e"
rds <- sub("\\.stan$", ".rds", model_file)
if (file.exists(rds) && file.mtime(rds) > file.mtime(model_file)) {
  sm <- readRDS(rds)
} else {
  # Debian's r-cran-bh ships no headers (Boost comes from libboost-dev), so point rstan at the system's Boost.
  boost <- if (dir.exists(system.file("include", "boost", package = "BH"))) NULL else "/usr/include"
  sm <- stan_model(model_file, boost_lib = boost)
  saveRDS(sm, rds)
}
data <- fromJSON(data_file, simplifyVector = TRUE)
options(mc.cores = min(chains, parallel::detectCores()))
t0 <- proc.time()[["elapsed"]]
fit <- sampling(sm, data = data, chains = chains, warmup = warmup, iter = warmup + draws, seed = seed,
                refresh = 0, cores = min(chains, parallel::detectCores()), control = list(metric = metric))
wall <- proc.time()[["elapsed"]] - t0
arr <- as.array(fit)  # iterations x chains x parameters (includes lp__)
pars <- dimnames(arr)[[3]]
pars <- pars[pars != "lp__"]
rows <- list()
for (c in seq_len(dim(arr)[2])) {
  m <- arr[, c, pars, drop = FALSE]
  df <- data.frame(chain = c - 1, draw = seq_len(dim(arr)[1]) - 1, matrix(m, nrow = dim(arr)[1]))
  names(df) <- c("chain", "draw", pars)
  rows[[c]] <- df
}
write.csv(do.call(rbind, rows), paste0(out, ".csv"), row.names = FALSE)
times <- get_elapsed_time(fit)
sp <- get_sampler_params(fit, inc_warmup = FALSE)
div <- sum(sapply(sp, function(x) sum(x[, "divergent__"])))
grad <- sum(sapply(get_sampler_params(fit, inc_warmup = TRUE), function(x) sum(x[, "n_leapfrog__"])))
write(toJSON(list(wall = wall, warmup = sum(times[, "warmup"]), sample = sum(times[, "sample"]),
                  divergent = div, gradients = grad, rstan = as.character(packageVersion("rstan"))),
             auto_unbox = TRUE), paste0(out, ".json"))
