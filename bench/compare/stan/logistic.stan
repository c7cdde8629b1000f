// Bayesian logistic regression (issue 13's example model).
data {
  int<lower=0> N;
  int<lower=0> K;
  matrix[N, K] X;
  array[N] int<lower=0, upper=1> y;
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
