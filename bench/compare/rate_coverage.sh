#!/usr/bin/env bash
# Coverage of Bayesian rate intervals from SPARSE, noisy observations over replicate data sets (issue 14, "the true
# rates lie inside the reported intervals at the stated frequency"): the test
# RatePosteriorTests.Posterior_intervals_from_sparse_observations_cover_rates_drawn_from_the_prior with R = 40 replicates
# instead of CI's 10 (the rates of each replicate are drawn from the prior, two immigration-death cells are simulated by
# Drift and observed at 6 times with Gaussian noise, the posterior is sampled by random-walk Metropolis; see the test's
# comment). Prints, per rate, how many 95 % intervals cover the truth against the Binomial(R, 0.95) mean minus 3 SD.
# Run from the repository root:  bash bench/compare/rate_coverage.sh [replicates]
set -euo pipefail
replicates=${1:-40}
dotnet build tests/Drift.Sampling.Tests -v q >/dev/null
echo "date: $(date -u +%FT%TZ)  load average: $(cut -d' ' -f1 /proc/loadavg)  replicates: $replicates"
DRIFT_COVERAGE_REPLICATES=$replicates dotnet test tests/Drift.Sampling.Tests --no-build \
  --filter "FullyQualifiedName~Posterior_intervals_from_sparse_observations_cover_rates_drawn_from_the_prior" \
  --logger "console;verbosity=detailed" | grep -E "rate [01]:|Passed |Failed |Total tests"
