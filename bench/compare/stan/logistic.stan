// Bayesian logistic regression (issue 13's example model). Array syntax of Stan 2.21 (rstan in Debian 12).
data {
  int<lower=0> N;
  int<lower=0> K;
  matrix[N, K] X;
  int<lower=0, upper=1> y[N];
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> s;
}
model {
  alpha ~ normal(0, 2.5);
  beta ~ normal(0, s);
  s ~ exponential(1);
  y ~ bernoulli_logit(alpha + X * beta);
}
