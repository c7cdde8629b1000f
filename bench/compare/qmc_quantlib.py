"""Arithmetic Asian call (S0 = K = 100, r = 0.03, sigma = 0.2, T = 1, 16 equally spaced dates) at a target accuracy:
QuantLib's MCDiscreteArithmeticAPEngine (Sobol' low-discrepancy points + Brownian bridge, the engine a QuantLib user
would pick) against `drift price bs --method qmc --payoff asian` (scrambled Sobol' + bridge, 16 randomisations) and
`--method mc` (plain Monte Carlo). Reports, for each, the path steps needed to bring the error below TOL and the wall
time, as ratios to Drift's RQMC.

QuantLib has no error estimate for unrandomised Sobol' points, so its error is measured against a reference price
(Drift RQMC with the geometric control variate at standard error 2e-5) and the smallest N = 2^k with |error| < TOL is
taken (a lucky N can flatter it; the whole sequence is printed).

Needs QuantLib's Python bindings (Debian: python3-quantlib, or `pip install QuantLib`); without them only the Drift
side runs. Not run on the shared development machine (QuantLib not installed there, no network): timings and the
cost ratio are still to be taken on a quiet machine and recorded in docs/benchmarks.md.
Run: dotnet build -c Release src/Drift.Cli && /usr/bin/python3 bench/compare/qmc_quantlib.py [TOL]
"""
import json, math, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
DLL = os.environ.get("DRIFT_CLI") or os.path.join(HERE, "..", "..", "src", "Drift.Cli", "bin", "Release", "net10.0", "Drift.Cli.dll")
S0, K, R, SIGMA, T, DATES = 100.0, 100.0, 0.03, 0.2, 1.0, 16
TOL = float(sys.argv[1]) if len(sys.argv) > 1 else 2e-3

def drift(*args):
    t = time.perf_counter()
    out = subprocess.run(["dotnet", DLL, "price", "bs", "--payoff", "asian", "--dates", str(DATES), "--rate", str(R),
                          "--json", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out), time.perf_counter() - t

reference, _ = drift("--method", "qmc", "--control-variate", "--target-se", "2e-5")
ref = reference["price"]
print(f"reference (Drift RQMC + control variate): {ref:.6f} +- {reference['standardError']:.1e}")

rqmc, t_rqmc = drift("--method", "qmc", "--target-se", str(TOL / 3), "--paths", "4096")
mc, t_mc = drift("--method", "mc", "--target-se", str(TOL / 3), "--paths", "4096", "--max-paths", "1000000000")
print(f"drift rqmc: {rqmc['price']:.6f} +- {rqmc['standardError']:.1e}, {rqmc['pathSteps']:.3g} path steps, {t_rqmc:.2f} s")
print(f"drift mc:   {mc['price']:.6f} +- {mc['standardError']:.1e}, {mc['pathSteps']:.3g} path steps, {t_mc:.2f} s")
print(f"cost ratio mc / rqmc (path steps): {mc['pathSteps'] / rqmc['pathSteps']:.1f}")
assert abs(rqmc["price"] - ref) < 5 * rqmc["standardError"] + 1e-4, "Drift RQMC disagrees with the reference"

try:
    import QuantLib as ql
except ImportError:
    print("QuantLib is not installed: the QuantLib side was not run.")
    sys.exit(0)

today = ql.Date(7, 12, 2026)
ql.Settings.instance().evaluationDate = today
dc = ql.Actual365Fixed()
spot = ql.QuoteHandle(ql.SimpleQuote(S0))
rates = ql.YieldTermStructureHandle(ql.FlatForward(today, R, dc))
divs = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.0, dc))
vol = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), SIGMA, dc))
process = ql.BlackScholesMertonProcess(spot, divs, rates, vol)
maturity = today + 365
# QuantLib dates are whole days: fixings fall within half a day of iT/16, a price shift of order 1e-4 (state it with results).
fixings = [today + int(round(365 * (i + 1) / DATES)) for i in range(DATES)]
option = ql.DiscreteAveragingAsianOption(ql.Average.Arithmetic, 0.0, 0, fixings,
                                         ql.PlainVanillaPayoff(ql.Option.Call, K), ql.EuropeanExercise(maturity))
found = None
for k in range(8, 22):
    n = 1 << k
    option.setPricingEngine(ql.MCDiscreteArithmeticAPEngine(process, "lowdiscrepancy", brownianBridge=True, requiredSamples=n))
    t = time.perf_counter()
    price = option.NPV()
    dt = time.perf_counter() - t
    print(f"quantlib sobol+bridge N = {n:8d}: {price:.6f}, error {price - ref:+.2e}, {dt:.2f} s")
    if found is None and abs(price - ref) < TOL:
        found = (n * DATES, dt)
if found:
    print(f"cost ratio quantlib / drift rqmc (path steps): {found[0] / rqmc['pathSteps']:.2f}; time ratio {found[1] / t_rqmc:.2f}")
