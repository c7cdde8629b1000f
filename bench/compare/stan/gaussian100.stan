// 100-dimensional correlated Gaussian: unit variances, every correlation rho (the target of mcmc_gaussian100.py).
data {
  int<lower=1> D;
  real<lower=-1, upper=1> rho;
}
transformed data {
  matrix[D, D] L;
  {
    matrix[D, D] S = rep_matrix(rho, D, D);
    for (i in 1:D) S[i, i] = 1;
    L = cholesky_decompose(S);
  }
}
parameters {
  vector[D] x;
}
model {
  x ~ multi_normal_cholesky(rep_vector(0, D), L);
}
