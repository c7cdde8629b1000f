"""Reference Heston call prices for tests/Drift.Tests/Models/HestonAnalyticTests.cs, independent of the library.

Run with /usr/bin/python3 (needs mpmath: apt-get install python3-mpmath); about a minute per price.
Prices are computed in 30-digit arithmetic by mpmath.quad, split at multiples of 1/sqrt(w) (w the mean
integrated variance) so that short maturities are resolved, by two different Fourier integrals:
Gil-Pelaez (Heston 1993, C = S0 P1 - K e^{-rT} P2) and Lewis (2001) (C = S0 - sqrt(S0 K) e^{-rT/2}/pi J).
They agree to 15 digits on the Fang & Oosterlee (2008) case. The characteristic function (Albrecher et al.
2007 "little trap") is checked against an RK4 solution of the Heston Riccati equations by `check_ode`.
Usage: heston_reference.py            prints every test case
       heston_reference.py check_ode  compares the closed form with the ODE
"""
import cmath
import sys
import mpmath as mp

mp.mp.dps = 30


def cf(u, S0, v0, r, kappa, theta, xi, rho, T):
    """phi(u) = E exp(i u ln S_T)."""
    i = mp.mpc(0, 1)
    b = kappa - rho * xi * i * u
    d = mp.sqrt(b * b + xi * xi * (i * u + u * u))
    g = (b - d) / (b + d)
    e = mp.exp(-d * T)
    C = i * u * (mp.log(S0) + r * T) + kappa * theta / xi**2 * ((b - d) * T - 2 * mp.log((1 - g * e) / (1 - g)))
    D = (b - d) / xi**2 * (1 - e) / (1 - g * e)
    return mp.exp(C + D * v0)


def _args(*a):
    return map(mp.mpf, a)


def _scale(T, v0, kappa, theta):
    w = theta * T + (v0 - theta) * (1 - mp.exp(-kappa * T)) / kappa
    return 1 / mp.sqrt(w)


def call_gil_pelaez(S0, K, T, r, v0, kappa, theta, xi, rho):
    S0, K, T, r, v0, kappa, theta, xi, rho = _args(S0, K, T, r, v0, kappa, theta, xi, rho)
    i = mp.mpc(0, 1)
    lnK = mp.log(K)
    fwd = cf(-i, S0, v0, r, kappa, theta, xi, rho, T)
    f1 = lambda u: mp.re(mp.exp(-i * u * lnK) * cf(u - i, S0, v0, r, kappa, theta, xi, rho, T) / (i * u * fwd))
    f2 = lambda u: mp.re(mp.exp(-i * u * lnK) * cf(u, S0, v0, r, kappa, theta, xi, rho, T) / (i * u))
    s = _scale(T, v0, kappa, theta)
    pts = [0] + [s * k / 4 for k in range(1, 400)] + [mp.inf]
    p1 = mp.mpf(1) / 2 + mp.quad(f1, pts) / mp.pi
    p2 = mp.mpf(1) / 2 + mp.quad(f2, pts) / mp.pi
    return S0 * p1 - K * mp.exp(-r * T) * p2


def call_lewis(S0, K, T, r, v0, kappa, theta, xi, rho):
    S0, K, T, r, v0, kappa, theta, xi, rho = _args(S0, K, T, r, v0, kappa, theta, xi, rho)
    i = mp.mpc(0, 1)
    F = S0 * mp.exp(r * T)
    x = mp.log(F / K)
    phiY = lambda z: cf(z, S0, v0, r, kappa, theta, xi, rho, T) * mp.exp(-i * z * mp.log(F))
    f = lambda u: mp.re(mp.exp(i * u * x) * phiY(u - i / 2)) / (u * u + mp.mpf(1) / 4)
    s = _scale(T, v0, kappa, theta)
    pts = [0, mp.mpf(1) / 2, 1, 2] + [s * k / 8 for k in range(1, 800) if s * k / 8 > 2] + [mp.inf]
    return S0 - mp.sqrt(S0 * K) * mp.exp(-r * T / 2) / mp.pi * mp.quad(f, pts)


FO = (0.0175, 1.5768, 0.0398, 0.5751, -0.5711)
EX = (0.04, 1.5, 0.04, 0.5, -0.7)
CASES = [  # (S0, K, T, r, v0, kappa, theta, xi, rho)
    (100, 100, 1, 0) + FO,
    (100, 100, 10, 0) + FO,
    (100, 80, 1, 0) + FO,
    (100, 120, 1, 0) + FO,
    (100, 100, 10, 0, 0.04, 0.5, 0.04, 1.0, -0.9),
    (100, 100, 15, 0, 0.04, 0.3, 0.04, 0.9, -0.5),
    (100, 100, 5, 0, 0.09, 1.0, 0.09, 1.0, -0.3),
    (100, 100, 1 / 365, 0.03) + EX,
    (100, 101, 1 / 365, 0.03) + EX,
    (100, 103, 7 / 365, 0.03) + EX,
    (100, 90, 7 / 365, 0.03) + EX,
    (100, 100, 30, 0.03) + EX,
    (100, 150, 30, 0.03) + EX,
    (100, 100, 7 / 365, 0.03, 0.0, 1.5, 0.04, 0.5, -0.7),
    (100, 103, 7 / 365, 0, 0.01, 2.0, 0.01, 0.001, 0.0),
    (100, 100, 1 / 365, 0, 0.01, 2.0, 0.01, 0.001, 0.0),
    (100, 103, 1 / 365, 0, 0.01, 2.0, 0.01, 0.001, 0.0),
    (100, 110, 5, 0.02, 0.04, 0.3, 0.04, 1.0, 0.8),
    (100, 95, 2, 0.01, 0.05, 1.0, 0.06, 0.8, -0.99),
]


def ode_log_phiY(z, v0, kappa, theta, xi, rho, T, n=20000):
    s = 1j * z
    h = T / n
    f = lambda B: 0.5 * (s * s - s) + (rho * xi * s - kappa) * B + 0.5 * xi * xi * B * B
    B = 0j
    A = 0j
    for _ in range(n):
        k1 = f(B); k2 = f(B + h / 2 * k1); k3 = f(B + h / 2 * k2); k4 = f(B + h * k3)
        A += kappa * theta * h / 6 * (B + 2 * (B + h / 2 * k1) + 2 * (B + h / 2 * k2) + (B + h * k3))
        B += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return A + B * v0


def check_ode():
    for (v0, k, th, xi, rho, T) in [FO + (1.0,), (0.04, 0.3, 0.04, 1.0, 0.8, 5.0), (0.04, 0.5, 0.04, 1.0, -0.9, 10.0), (0.09, 0.2, 0.09, 2.0, 0.95, 3.0)]:
        worst = 0
        for u in [0.1, 0.5, 1, 2, 5, 10, 20, 40]:
            ode = ode_log_phiY(complex(u, -0.5), v0, k, th, xi, rho, T)
            closed = complex(mp.log(cf(mp.mpc(u, -0.5), 1, v0, 0, k, th, xi, rho, T)))
            worst = max(worst, abs(cmath.exp(ode) - cmath.exp(closed)))
        print((v0, k, th, xi, rho, T), "max |phi_ode - phi_closed| =", worst, flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["check_ode"]:
        check_ode()
    else:
        print("Gil-Pelaez FO T=1:", mp.nstr(call_gil_pelaez(*CASES[0]), 16), flush=True)
        for c in CASES:
            print(c, mp.nstr(call_lewis(*c), 16), flush=True)
