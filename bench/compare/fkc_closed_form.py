#!/usr/bin/env python3
"""Closed-form normaliser Z_Delta of the *discrete* Feynman-Kac corrector model for annealing p^beta of a Gaussian p
(docs/steering.md, "The normalising constant"). Under a Gaussian data law every move of FeynmanKacCorrector is
linear-Gaussian and every log-potential quadratic, so the unnormalised weighted law stays Gaussian: multiply it by the
trapezoidal halves of exp(G h) (G = (beta-1) d f + 1/2 beta(beta-1) g^2 |s|^2), push it through the move, and track its
mass. The moves are Euler-Maruyama, the exponential integrator (denoiser frozen) and the exponential multistep
(denoiser interpolated linearly in log-SNR through the previous step's value). SMC's Z-hat is unbiased for Z_Delta, so Z_Delta/Z - 1 is the estimator's whole bias. Also prints the relative
max-norm error of the weighted law's covariance at t_N. VP-linear (0.1, 20), logSNR grid from t = 1 to 1e-3 as Drift.
Usage: python3 fkc_closed_form.py   (numpy only)"""
import numpy as np

BMIN, BMAX = 0.1, 20.0
def log_alpha(t): return -0.25 * (BMAX - BMIN) * t * t - 0.5 * BMIN * t
def alpha(t): return np.exp(log_alpha(t))
def sigma2(t): return -np.expm1(2 * log_alpha(t))
def drift(t): return -0.5 * (BMIN + (BMAX - BMIN) * t)
def g2(t): return BMIN + (BMAX - BMIN) * t
def half_logsnr(t): return log_alpha(t) - 0.5 * np.log(sigma2(t))
def time_of_half_logsnr(l):
    la = -0.5 * np.log1p(np.exp(-2 * l)); a, b = 0.25 * (BMAX - BMIN), 0.5 * BMIN
    return (-b + np.sqrt(b * b - 4 * a * la)) / (2 * a)
def grid(steps, t0=1.0, t1=1e-3):
    l0, l1 = half_logsnr(t0), half_logsnr(t1)
    return np.array([time_of_half_logsnr(l0 + k / steps * (l1 - l0)) for k in range(steps + 1)])
def phi(u): return 1.0 if abs(u) < 1e-12 else -np.expm1(-u) / u

def phi2(u): return 0.5 if abs(u) < 1e-8 else (u - 1 + np.exp(-u)) / (u * u)

def z_delta(m, C, beta, steps, integrator="euler-maruyama", eta=1.0, law=False):
    """(log Z_Delta/Z, covariance error at t_N), or with law=True (log Z_Delta/Z, mean, covariance) of the weighted
    particles at t_N; log = inf when the discrete model is not integrable.
    integrator: euler-maruyama | exponential | exponential-multistep. The multistep move's state is (x_k, x_{k-1})
    (its step uses D_{k-1} = beta xhat0(x_{k-1})), so the Gaussian is propagated on 2d dimensions after the first step;
    the potentials act on the x_k block only."""
    m, C = np.asarray(m, float), np.asarray(C, float); d = len(m); I = np.eye(d); Z = np.zeros((d, d))
    ts = grid(steps); ell = np.array([half_logsnr(t) for t in ts]); h = np.abs(np.diff(ts))
    def marginal(t): a = alpha(t); return a * m, a * a * C + sigma2(t) * I
    mu0, V0 = marginal(ts[0]); mean, P = mu0.copy(), V0 / beta; logc = 0.0; previous = None
    for k in range(steps + 1):
        t = ts[k]; a_k = 0.5 * ((h[k - 1] if k > 0 else 0) + (h[k] if k < steps else 0))
        mu, V = marginal(t); Vi = np.linalg.inv(V)
        R = a_k * beta * (beta - 1) * g2(t) * Vi @ Vi; logc += a_k * (beta - 1) * d * drift(t)
        E = np.hstack([I] + [Z] * (len(mean) // d - 1))  # the x_k block of the state
        Pi = np.linalg.inv(P); L = Pi - E.T @ R @ E
        if np.any(np.linalg.eigvalsh(L) <= 0): return np.inf, None
        Li = np.linalg.inv(L); r = Pi @ mean - E.T @ R @ mu
        logc += -0.5 * np.linalg.slogdet(P @ L)[1] + 0.5 * (r @ Li @ r - mean @ Pi @ mean + mu @ R @ mu)
        mean, P = Li @ r, Li
        if k == steps: break
        t1 = ts[k + 1]; dt = t1 - t
        if integrator == "euler-maruyama":
            A = (1 + drift(t) * dt) * I + 0.5 * (1 + eta) * g2(t) * beta * dt * Vi
            b = -0.5 * (1 + eta) * g2(t) * beta * dt * Vi @ mu; Q = eta * g2(t) * -dt * I
        else:
            hh = ell[k + 1] - ell[k]; ratio = alpha(t1) / alpha(t)
            cs = ratio * (1 + eta) * hh * phi((1 + eta) * beta * hh) * sigma2(t)
            A = ratio * I - cs * beta * Vi; b = cs * beta * Vi @ mu
            Q = 2 * eta * sigma2(t1) * hh * phi(2 * ((1 + eta) * beta - 1) * hh) * I
        if integrator != "exponential-multistep":
            mean, P = A @ mean + b, A @ P @ A.T + Q
            continue
        # D_k = beta xhat0(x_k) = Dl x_k + Dc; x_{k+1} += alpha' (1+eta) h^2/h_prev phi2((1+eta) beta h) (D_k - D_{k-1}).
        Dl = beta * (I - sigma2(t) * Vi) / alpha(t); Dc = beta * sigma2(t) * Vi @ mu / alpha(t); A2 = Z
        if previous is not None:
            w = alpha(t1) * (1 + eta) * hh * hh / previous[2] * phi2((1 + eta) * beta * hh)
            A = A + w * Dl; b = b + w * (Dc - previous[1]); A2 = -w * previous[0]
        M = np.block([[A, A2], [I, Z]]) if previous is not None else np.vstack([A, I])
        QQ = np.zeros((2 * d, 2 * d)); QQ[:d, :d] = Q
        mean, P = M @ mean + np.concatenate([b, np.zeros(d)]), M @ P @ M.T + QQ
        previous = (Dl, Dc, hh)
    _, VN = marginal(ts[-1])
    log_z = 0.5 * (1 - beta) * (np.linalg.slogdet(VN)[1] - np.linalg.slogdet(V0)[1])
    PN = P[:d, :d]
    if law: return logc - log_z, mean[:d], PN
    return logc - log_z, np.abs(PN - VN / beta).max() / np.abs(VN / beta).max()

if __name__ == "__main__":
    gauss2d = ([1.0, -0.5], [[0.4, 0.25], [0.25, 0.2]])
    for beta in (2.0, 3.0, 0.5):
        for integrator in ("euler-maruyama", "exponential", "exponential-multistep"):
            row = []
            for steps in (25, 50, 100, 200, 400, 800, 1600):
                lz, err = z_delta(*gauss2d, beta, steps, integrator)
                row.append("inf" if err is None else f"{np.exp(lz):.4g}/{err:.3f}")
            print(f"gauss2d beta={beta} {integrator:21s} Z_Delta/Z / cov error at 25..1600 steps:", " ".join(row))
    # The test oracle of FeynmanKacCorrectorTests: the particle law of gauss2d at beta = 1 (no weights), 40 steps.
    for integrator in ("exponential", "exponential-multistep"):
        _, mean, cov = z_delta(*gauss2d, 1.0, 40, integrator, law=True)
        print(f"gauss2d beta=1 {integrator} 40 steps: mean {mean.round(6).tolist()} covariance {cov.round(6).tolist()}")
