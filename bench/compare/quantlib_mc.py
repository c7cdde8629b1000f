"""Drift's Monte Carlo, randomised QMC and multilevel MC against QuantLib's Monte Carlo engines at the same accuracy target.

Three problems (r = 0.03, S0 = K = 100):
  european  Black-Scholes European call, sigma = 0.2, T = 1 (closed form: Black-Scholes).
  asian     arithmetic-average Asian call, sigma = 0.2, 16 fixings every 23 days, T = 368/365 (Actual/365 Fixed, so the
            fixings are exactly equally spaced; no closed form: the reference is Drift's RQMC with the geometric control
            variate at a tiny standard error; the geometric Asian's closed forms of both libraries are compared too).
  heston    Heston European call, v0 = theta = 0.04, kappa = 1.5, xi = 0.3, rho = -0.7, T = 1 (Feller met; closed form:
            QuantLib's AnalyticHestonEngine and Drift's characteristic-function price, which must agree).

Methods, each run to the standard error E of its problem (the accuracy target):
  QuantLib pseudo-random   MCEuropeanEngine / MCDiscreteArithmeticAPEngine / MCEuropeanHestonEngine, traits "pr",
                           requiredTolerance = E (QuantLib grows the sample until its error estimate is <= E). Its sample
                           count is not exposed to Python; it is estimated as (sd / errorEstimate)^2 with the payoff's
                           sd from a fixed-size pilot, so its path steps are marked "~".
  QuantLib Sobol + bridge  traits "lowdiscrepancy", brownianBridge = True, requiredSamples = 2^k for k = 8..; Sobol' points
                           without randomisation give no error estimate, so its error is measured against the exact or
                           reference price and the cost is that of the smallest N such that N, 2N and 4N are all within E
                           (a single lucky N is not taken).
  Drift mc / qmc / mlmc    `drift price ... --json --target-se E` (mc: plain Monte Carlo, paths doubled until SE <= E;
                           qmc: 16 scrambles of Sobol' + Brownian bridge, paths per scramble doubled; mlmc: Giles' MLMC
                           with RMSE eps = E / sqrt(0.75), Milstein for Black-Scholes and full-truncation Euler for Heston).
                           mc starts at 1024 paths and qmc at 16 per scramble, so the doubling stops within a factor 2 of
                           the target (the other methods sample the European exactly in one step; mlmc discretises it).
                           Drift's in-process time includes JIT compilation, which dominates runs under ~0.5 s.
                           Drift's cost is its JSON "pathSteps"; its time is the JSON "seconds" (in-process; the process
                           wall time, with .NET start-up, is printed too).

Heston discretisations differ: QuantLib's default HestonProcess scheme is Andersen's quadratic-exponential with
martingale correction, Drift's mc is full-truncation Euler; both take --heston-steps (default 64) steps per year, so
their biases differ (QE's is smaller) and the check allows for it: |price - exact| < 4 SE + bias allowance.

Every price is checked against the exact/reference price (4 standard errors, or E for Sobol'); a failed check exits 1.
Path steps are the machine-independent cost; wall times depend on the machine and its load.

Run: dotnet build -c Release src/Drift.Cli && /usr/bin/python3 bench/compare/quantlib_mc.py [--scale F] [--only NAME]
  --scale F  multiplies every target standard error by F (default 1; 2 is a quick run)
  --json P   also writes all results to P
"""
import argparse, json, math, os, subprocess, sys, time

import QuantLib as ql

HERE = os.path.dirname(os.path.abspath(__file__))
DLL = os.environ.get("DRIFT_CLI") or os.path.join(HERE, "..", "..", "src", "Drift.Cli", "bin", "Release", "net10.0", "Drift.Cli.dll")
S0, K, R, SIGMA = 100.0, 100.0, 0.03, 0.2
DATES, DAYS_PER_DATE = 16, 23
HESTON = dict(v0=0.04, kappa=1.5, theta=0.04, xi=0.3, rho=-0.7)

ap = argparse.ArgumentParser()
ap.add_argument("--scale", type=float, default=1.0)
ap.add_argument("--only", choices=["european", "asian", "heston"])
ap.add_argument("--heston-steps", type=int, default=64)
ap.add_argument("--json")
args = ap.parse_args()

TARGET = {"european": 0.01 * args.scale, "asian": 0.005 * args.scale, "heston": 0.02 * args.scale}
failures, results = [], []


def drift(model, *extra):
    cmd = ["dotnet", DLL, "price", model, "--json", "--s0", str(S0), "--strike", str(K), "--rate", str(R), *extra]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode not in (0, 3) or not p.stdout.strip():
        sys.exit(f"drift failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    out = json.loads(p.stdout)
    out["wall"] = wall
    return out


def record(problem, method, price, se, steps, seconds, exact, tol, approx=False, note=""):
    err = price - exact
    ok = abs(err) <= tol
    results.append(dict(problem=problem, method=method, price=price, standardError=se, pathSteps=steps, seconds=seconds,
                        error=err, pathStepsEstimated=approx, check=ok, note=note))
    se_text = f"{se:.1e}" if se is not None else "   -   "
    print(f"  {method:34s} {price:10.5f}  {se_text:>8s}  {err:+.1e}  {('~' if approx else ' ') + format(steps, '.3g'):>9s}  {seconds:7.2f} s  {'ok' if ok else 'FAIL'} {note}")
    if not ok:
        failures.append(f"{problem}/{method}: error {err:+.2e} beyond {tol:.2e}")


def header(name, exact, what):
    print(f"\n{name}: exact/reference {exact:.6f} ({what}); target standard error {TARGET[name]:g}")
    print(f"  {'method':34s} {'price':>10s}  {'SE':>8s}  {'error':>8s}  {'pathSteps':>9s}  {'time':>9s}")


def ql_setup(maturity_days):
    today = ql.Date(7, 12, 2026)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    spot = ql.QuoteHandle(ql.SimpleQuote(S0))
    rates = ql.YieldTermStructureHandle(ql.FlatForward(today, R, dc))
    divs = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.0, dc))
    return today, dc, spot, rates, divs, today + maturity_days


def ql_tolerance_run(option, make_engine, tol, pilot=16384):
    """QuantLib with requiredTolerance; the sample count estimated from a fixed-size pilot's sd."""
    option.setPricingEngine(make_engine(requiredSamples=pilot))
    option.NPV()
    sd = option.errorEstimate() * math.sqrt(pilot)
    option.setPricingEngine(make_engine(requiredTolerance=tol))
    t = time.perf_counter()
    price = option.NPV()
    dt = time.perf_counter() - t
    err = option.errorEstimate()
    return price, err, (sd / err) ** 2, dt


def ql_sobol_sweep(option, make_engine, exact, tol, kmax):
    """Smallest N = 2^k (k >= 8) from which N, 2N and 4N are all within tol of exact; returns ((N, price, seconds) or None, sweep)."""
    sweep = []
    for k in range(8, kmax + 1):
        option.setPricingEngine(make_engine(requiredSamples=1 << k))
        t = time.perf_counter()
        price = option.NPV()
        sweep.append((1 << k, price, time.perf_counter() - t))
        if len(sweep) >= 3 and all(abs(p - exact) <= tol for _, p, _ in sweep[-3:]):
            return sweep[-3], sweep
    return None, sweep


def european():
    E = TARGET["european"]
    exact = ql.blackFormula(ql.Option.Call, K, S0 * math.exp(R), SIGMA, 1.0) * math.exp(-R)
    header("european", exact, "Black-Scholes")
    today, dc, spot, rates, divs, maturity = ql_setup(365)
    vol = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), SIGMA, dc))
    process = ql.BlackScholesMertonProcess(spot, divs, rates, vol)
    option = ql.VanillaOption(ql.PlainVanillaPayoff(ql.Option.Call, K), ql.EuropeanExercise(maturity))
    price, err, n, dt = ql_tolerance_run(option, lambda **kw: ql.MCEuropeanEngine(process, "pr", timeSteps=1, seed=42, **kw), E)
    record("european", "QuantLib MC (pseudo-random)", price, err, n, dt, exact, 4 * err)
    found, sweep = ql_sobol_sweep(option, lambda **kw: ql.MCEuropeanEngine(process, "lowdiscrepancy", timeSteps=1, brownianBridge=True, **kw), exact, E, 22)
    if found:
        record("european", "QuantLib Sobol + bridge", found[1], None, found[0], found[2], exact, E, note=f"(N = {found[0]})")
    else:
        failures.append("european/QuantLib Sobol: never within the target")
    for label, extra in [("Drift mc", ["--method", "mc", "--no-antithetic", "--paths", "1024"]),
                         ("Drift qmc (Sobol + bridge, 16 scrambles)", ["--method", "qmc", "--paths", "256"]),
                         ("Drift mlmc (Milstein)", ["--method", "mlmc", "--scheme", "milstein"])]:
        d = drift("bs", "--sigma", str(SIGMA), "--target-se", str(E), "--max-paths", "1000000000", *extra)
        record("european", label, d["price"], d["standardError"], d["pathSteps"], d["seconds"], exact, 4 * d["standardError"] + (E if "mlmc" in label else 0),
               note=f"(process {d['wall']:.2f} s)")


def asian():
    E = TARGET["asian"]
    maturity_years = DATES * DAYS_PER_DATE / 365.0
    common = ["--sigma", str(SIGMA), "--payoff", "asian", "--dates", str(DATES), "--maturity", repr(maturity_years)]
    ref = drift("bs", *common, "--method", "qmc", "--control-variate", "--target-se", str(E / 50), "--paths", "65536")
    exact = ref["price"]
    header("asian", exact, f"Drift RQMC + geometric control variate, SE {ref['standardError']:.1e}")
    today, dc, spot, rates, divs, maturity = ql_setup(DATES * DAYS_PER_DATE)
    vol = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), SIGMA, dc))
    process = ql.BlackScholesMertonProcess(spot, divs, rates, vol)
    fixings = [today + DAYS_PER_DATE * (i + 1) for i in range(DATES)]
    payoff, exercise = ql.PlainVanillaPayoff(ql.Option.Call, K), ql.EuropeanExercise(maturity)
    # The conventions agree: both libraries' geometric-average closed forms on these dates.
    geo = ql.DiscreteAveragingAsianOption(ql.Average.Geometric, 1.0, 0, fixings, payoff, exercise)
    geo.setPricingEngine(ql.AnalyticDiscreteGeometricAveragePriceAsianEngine(process))
    drift_geo = drift("bs", "--sigma", str(SIGMA), "--payoff", "geometric-asian", "--dates", str(DATES), "--maturity", repr(maturity_years),
                      "--method", "qmc", "--paths", "1024")["exact"]
    print(f"  geometric Asian closed form: QuantLib {geo.NPV():.10f}, Drift {drift_geo:.10f}")
    if abs(geo.NPV() - drift_geo) > 1e-8 * drift_geo:
        failures.append(f"asian: geometric closed forms differ ({geo.NPV()} vs {drift_geo})")
    option = ql.DiscreteAveragingAsianOption(ql.Average.Arithmetic, 0.0, 0, fixings, payoff, exercise)
    price, err, n, dt = ql_tolerance_run(option, lambda **kw: ql.MCDiscreteArithmeticAPEngine(process, "pr", seed=42, **kw), E)
    record("asian", "QuantLib MC (pseudo-random)", price, err, n * DATES, dt, exact, 4 * err)
    price, err, n, dt = ql_tolerance_run(option, lambda **kw: ql.MCDiscreteArithmeticAPEngine(process, "pr", controlVariate=True, seed=42, **kw), E)
    record("asian", "QuantLib MC + geometric CV", price, err, n * DATES, dt, exact, 4 * err)
    found, sweep = ql_sobol_sweep(option, lambda **kw: ql.MCDiscreteArithmeticAPEngine(process, "lowdiscrepancy", brownianBridge=True, **kw), exact, E, 20)
    if found:
        record("asian", "QuantLib Sobol + bridge", found[1], None, found[0] * DATES, found[2], exact, E, note=f"(N = {found[0]})")
    else:
        failures.append("asian/QuantLib Sobol: never within the target")
    for label, extra in [("Drift mc", ["--method", "mc", "--paths", "1024", "--no-antithetic"]),
                         ("Drift qmc (Sobol + bridge, 16 scrambles)", ["--method", "qmc", "--paths", "256"]),
                         ("Drift qmc + geometric CV", ["--method", "qmc", "--paths", "256", "--control-variate"])]:
        d = drift("bs", *common, "--target-se", str(E), "--max-paths", "1000000000", *extra)
        record("asian", label, d["price"], d["standardError"], d["pathSteps"], d["seconds"], exact, 4 * d["standardError"] + 4 * ref["standardError"],
               note=f"(process {d['wall']:.2f} s)")


def heston():
    E, steps = TARGET["heston"], args.heston_steps
    h = HESTON
    today, dc, spot, rates, divs, maturity = ql_setup(365)
    process = ql.HestonProcess(rates, divs, spot, h["v0"], h["kappa"], h["theta"], h["xi"], h["rho"])
    option = ql.VanillaOption(ql.PlainVanillaPayoff(ql.Option.Call, K), ql.EuropeanExercise(maturity))
    option.setPricingEngine(ql.AnalyticHestonEngine(ql.HestonModel(process)))
    exact = option.NPV()
    model = ["--v0", str(h["v0"]), "--kappa", str(h["kappa"]), "--theta", str(h["theta"]), "--xi", str(h["xi"]), "--rho", str(h["rho"])]
    mc = drift("heston", *model, "--method", "mc", "--no-antithetic", "--steps", str(steps), "--paths", "1024", "--target-se", str(E), "--max-paths", "1000000000")
    header("heston", exact, f"QuantLib AnalyticHestonEngine; Drift's characteristic-function price {mc['exact']:.10f}")
    if abs(mc["exact"] - exact) > 1e-6 * exact:
        failures.append(f"heston: closed forms differ ({exact} vs {mc['exact']})")
    # Bias allowance: Euler with 64 steps per year is within about 0.01 of the exact price here (MultilevelTests level means).
    bias = 0.5 * E
    price, err, n, dt = ql_tolerance_run(option, lambda **kw: ql.MCEuropeanHestonEngine(process, "pr", timeSteps=steps, seed=42, **kw), E)
    record("heston", f"QuantLib MC (QE, {steps} steps)", price, err, n * steps, dt, exact, 4 * err + bias)
    record("heston", f"Drift mc (full-truncation Euler, {steps} steps)", mc["price"], mc["standardError"], mc["pathSteps"], mc["seconds"], exact,
           4 * mc["standardError"] + bias, note=f"(process {mc['wall']:.2f} s)")
    d = drift("heston", *model, "--method", "mlmc", "--target-se", str(E))
    levels = len(d["levels"]) - 1
    record("heston", "Drift mlmc (full-truncation Euler)", d["price"], d["standardError"], d["pathSteps"], d["seconds"], exact,
           4 * d["standardError"] + E, note=f"(L = {levels}, process {d['wall']:.2f} s)")


print(f"QuantLib {ql.__version__}; Drift CLI {DLL}")
for name, run in [("european", european), ("asian", asian), ("heston", heston)]:
    if args.only in (None, name):
        run()

print("\ncost ratios (path steps, QuantLib / Drift) per problem:")
for problem in ("european", "asian", "heston"):
    rows = [r for r in results if r["problem"] == problem]
    if not rows:
        continue
    best_drift = min((r for r in rows if r["method"].startswith("Drift")), key=lambda r: r["pathSteps"])
    for r in rows:
        if r["method"].startswith("QuantLib"):
            print(f"  {problem:8s} {r['method']:34s} / {best_drift['method']}: path steps {r['pathSteps'] / best_drift['pathSteps']:8.2f}, "
                  f"time {r['seconds'] / max(best_drift['seconds'], 1e-9):8.2f}")
if args.json:
    with open(args.json, "w") as f:
        json.dump(dict(quantlib=ql.__version__, targets=TARGET, results=results, failures=failures), f, indent=1)
if failures:
    print("\nFAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("\nall prices agree with the exact/reference prices within their error bounds")
