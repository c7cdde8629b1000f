using Drift.Brownian;
using Drift.Models.Finance;
using Drift.Models.Physics;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Cli.Simulate;

/// <summary>The finance and physics models of the catalogue, as <c>drift simulate</c> models.</summary>
public static class CatalogueModels
{
    private const int AbpParticles = 8;
    private const double AbpBox = 6;

    // Declared before All: static initialisers run in textual order.
    private static readonly (string, double)[] HestonDefaults = [("r", 0.03), ("kappa", 1.5), ("theta", 0.04), ("xi", 0.5), ("rho", -0.7)];

    /// <summary>Every finance and physics model.</summary>
    public static IReadOnlyList<BuiltInModel> All { get; } = [.. Finance(), .. Physics()];

    private static BuiltInModel[] Finance() =>
    [
        new("cir", "dr = kappa (theta - r+) dt + sigma sqrt(r+) dW (Cox-Ingersoll-Ross, full-truncation SDE)", "Cox, Ingersoll & Ross (1985); Lord, Koekkoek & van Dijk (2010)",
            ["r"], [0.03], [("kappa", 2.0), ("theta", 0.04), ("sigma", 0.3)], "euler", 1.0,
            (p, x0, t1, request) =>
            {
                var m = new CoxIngersollRoss(p["kappa"], p["theta"], p["sigma"]);
                return SolverDispatch.Solve(new SdeProblem<CoxIngersollRoss, CoxIngersollRoss>(m, m, x0, 0, t1), request);
            }) { Family = "finance", NonNegative = [0] },
        new("cir-exact", "r(t+h) = c chi'2_nu(lambda), c = sigma^2 (1 - e^{-kappa h})/(4 kappa), nu = 4 kappa theta/sigma^2, lambda = r e^{-kappa h}/c (exact CIR)", "Cox, Ingersoll & Ross (1985); Glasserman (2003) 3.4",
            ["r"], [0.03], [("kappa", 2.0), ("theta", 0.04), ("sigma", 0.3)], "exact", 1.0,
            (p, x0, t1, request) =>
            {
                var m = new CoxIngersollRoss(p["kappa"], p["theta"], p["sigma"]);
                CoxIngersollRossExact.Validate(m);
                return StepperDispatch.Solve(new CoxIngersollRossExact(m, request.Options.Seed), default(PathStepCounters), "exact", x0, t1, request);
            }) { Family = "finance", NonNegative = [0] },
        new("heston", "d lnS = (r - v+/2) dt + sqrt(v+) dW1, dv = kappa (theta - v+) dt + xi sqrt(v+) dW2, d<W1,W2> = rho dt (full-truncation SDE)", "Heston (1993); Lord et al. (2010)",
            ["lnS", "v"], [Math.Log(100), 0.04], HestonDefaults, "euler", 1.0,
            (p, x0, t1, request) =>
            {
                var m = new Heston(HestonFrom(p, x0));
                return SolverDispatch.Solve(new SdeProblem<Heston, Heston>(m, m, x0, 0, t1), request);
            }) { Family = "finance", NonNegative = [1] },
        new("heston-qe", "Heston (ln S, v) by Andersen's quadratic-exponential scheme, psi_c = 1.5, martingale-corrected", "Andersen (2008), J. Comput. Finance 11(3)",
            ["lnS", "v"], [Math.Log(100), 0.04], HestonDefaults, "qe", 1.0,
            (p, x0, t1, request) =>
            {
                var model = HestonFrom(p, x0);
                model.Validate();
                return StepperDispatch.Solve(new HestonQuadraticExponential(model), new PhiloxBrownianIncrements(request.Options.Seed), "qe", x0, t1, request);
            }) { Family = "finance", NonNegative = [1] },
        new("sabr", "dF = alpha F^beta dW1, dalpha = nu alpha dW2, d<W1,W2> = rho dt (alpha exact, log-Euler F)", "Hagan, Kumar, Lesniewski & Woodward (2002)",
            ["F", "alpha"], [1.0, 0.25], [("beta", 0.7), ("nu", 0.4), ("rho", -0.3)], "log-euler", 1.0,
            (p, x0, t1, request) => StepperDispatch.Solve(new Sabr(p["beta"], p["nu"], p["rho"]), new PhiloxBrownianIncrements(request.Options.Seed), "log-euler", x0, t1, request))
            { Family = "finance" },
        new("merton", "d lnS = (r - lambda k - sigma^2/2) dt + sigma dW + dJ, J compound Poisson(lambda) with N(muj, delta^2) log-jumps (exact steps)", "Merton (1976)",
            ["lnS"], [Math.Log(100)], [("r", 0.05), ("sigma", 0.2), ("lambda", 1.0), ("muj", -0.1), ("delta", 0.15)], "exact", 1.0,
            (p, x0, t1, request) => StepperDispatch.Solve(new MertonJumpDiffusion(p["r"], p["sigma"], p["lambda"], p["muj"], p["delta"], request.Options.Seed),
                default(PathStepCounters), "exact", x0, t1, request)) { Family = "finance" },
    ];

    private static HestonParameters HestonFrom(IReadOnlyDictionary<string, double> p, double[] x0) =>
        new(Math.Exp(x0[0]), x0[1], p["r"], p["kappa"], p["theta"], p["xi"], p["rho"]);

    private static BuiltInModel[] Physics() =>
    [
        new("double-well", "dX = -U'(X) dt + sqrt(2/beta) dW, U = (x^2 - 1)^2 (overdamped Langevin)", "Kramers (1940)",
            ["x"], [-1.0], [("beta", 3.0)], "sra1", 20.0,
            (p, x0, t1, request) =>
            {
                var m = new OverdampedLangevin<DoubleWellPotential>(new DoubleWellPotential(1), p["beta"]);
                return SolverDispatch.Solve(new SdeProblem<OverdampedLangevin<DoubleWellPotential>, OverdampedLangevin<DoubleWellPotential>>(m, m, x0, 0, t1), request);
            }) { Family = "physics" },
        new("langevin-double-well", "dq = p/M dt, dp = (-U'(q) - gamma p) dt + sqrt(2 gamma M/beta) dW, U = (q^2 - 1)^2 (underdamped Langevin; see Drift.Langevin BAOAB/UBU)", "Langevin (1908); Leimkuhler & Matthews (2015)",
            ["q", "p"], [-1.0, 0.0], [("gamma", 1.0), ("beta", 3.0), ("mass", 1.0)], "sra1", 20.0,
            (p, x0, t1, request) =>
            {
                var m = new UnderdampedLangevin<DoubleWellPotential>(new DoubleWellPotential(1), p["gamma"], p["beta"], p["mass"]);
                return SolverDispatch.Solve(new SdeProblem<UnderdampedLangevin<DoubleWellPotential>, UnderdampedLangevin<DoubleWellPotential>>(m, m, x0, 0, t1), request);
            }) { Family = "physics" },
        new("abp", $"{AbpParticles} active Brownian particles: dr = (v0 e(theta) + soft repulsion) dt + sqrt(2 Dt) dW, dtheta = sqrt(2 Dr) dW, periodic box", "Romanczuk et al. (2012); Fily & Marchetti (2012)",
            [.. Enumerable.Range(1, AbpParticles).Select(i => $"x{i}"), .. Enumerable.Range(1, AbpParticles).Select(i => $"y{i}"), .. Enumerable.Range(1, AbpParticles).Select(i => $"theta{i}")],
            new ActiveBrownianParticles(AbpParticles, 1, 0.01, 0.5, 10, 1, AbpBox).LatticeInitialState(),
            [("v0", 1.0), ("Dt", 0.01), ("Dr", 0.5), ("k", 10.0), ("diameter", 1.0), ("box", AbpBox)], "euler", 10.0,
            (p, x0, t1, request) =>
            {
                var m = new ActiveBrownianParticles(AbpParticles, p["v0"], p["Dt"], p["Dr"], p["k"], p["diameter"], p["box"]);
                return SolverDispatch.Solve(new SdeProblem<ActiveBrownianParticles, ActiveBrownianParticles>(m, m, x0, 0, t1), request);
            }) { Family = "physics" },
    ];
}
