// The Drift side of bench/compare/stiff_work_precision.py and bench/compare/cvode/compare.py: Robertson (t1 = 1e5)
// and Van der Pol (mu = 1000, t1 = 2000) with Rodas4, Rodas5P, Radau IIA 5, BDF and auto (Tsit5/Rodas5P switching in
// place) at rtol = 1e-4, 1e-6, 1e-8 (Robertson atol = 1e-6 rtol, Van der Pol atol = rtol), all through DiffEq.Solve.
// Prints one JSON array: best wall time of several solves, accepted/rejected steps, evaluations, Jacobians, LU
// factorisations and the final state; the last rows are Rodas4 references at rtol = 1e-12 for the Python side to
// cross-check its scipy reference.
// With "brusselator" as the second argument: the 2-D Brusselator (N = 32, 2048 unknowns, t1 = 11.5, atol = rtol)
// with Rodas5P and BDF on the sparse path (the problem's sparsity pattern: grouped differences, SparseLu in
// minimum-degree order, which the path choice takes here), and a Rodas5P reference at rtol = 1e-10 (unless
// "noref" is given). With "lu": one sparse, one banded and one dense factorisation of the Brusselator's iteration
// matrix, timed, with the sparse refactorisation and solve.
// An argument rtols=A,B,... replaces the tolerances 1e-4, 1e-6, 1e-8 (bench/compare/stiff_work_precision.py passes its own).
// Usage: dotnet run -c Release --project bench/compare/drift-stiff -- [repeats] [small|brusselator|lu] [rtols=A,B,...]
using System.Diagnostics;
using System.Globalization;
using Drift;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

double[] rtols = args.FirstOrDefault(a => a.StartsWith("rtols=", StringComparison.Ordinal)) is { } given
    ? given["rtols=".Length..].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
    : [1e-4, 1e-6, 1e-8];
args = args.Where(a => !a.StartsWith("rtols=", StringComparison.Ordinal)).ToArray();
int repeats = int.Parse(args.Length > 0 ? args[0] : "5", CultureInfo.InvariantCulture);
var rows = new List<string>();
string mode = args.Length > 1 ? args[1] : "small";
if (mode == "lu") return Lu.Run();
if (mode == "brusselator")
{
    var bru = new Drift.Models.Physics.Brusselator2D(32);
    OdeProblem<Drift.Models.Physics.Brusselator2D> Bru() => new(bru, bru.InitialState(), 0, 11.5) { JacobianSparsity = bru.Sparsity() };
    foreach (double rtol in rtols)
    {
        rows.Add(Run("brusselator", "rodas5p sparse", new Rodas5P(), Bru(), rtol, rtol, repeats));
        rows.Add(Run("brusselator", "bdf sparse", new Bdf(), Bru(), rtol, rtol, repeats));
    }
    if (!args.Contains("noref")) rows.Add(Run("brusselator", "reference rodas5p", new Rodas5P(), Bru(), 1e-10, 1e-10, 1));
    Console.WriteLine("[" + string.Join(",\n ", rows) + "]");
    return 0;
}
foreach (double rtol in rtols)
{
    rows.Add(Run("robertson", "rodas4", new Rodas4(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("robertson", "rodas5p", new Rodas5P(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("robertson", "auto", new AutoSwitch<Tsitouras5, Rodas5P>(new(), new()), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("robertson", "radau", new RadauIIA5(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("robertson", "bdf", new Bdf(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("vanderpol", "rodas4", new Rodas4(), Ode.Problem(new VanDerPol(1000), [2.0, 0.0], 0, 2000), rtol, rtol, repeats));
    rows.Add(Run("vanderpol", "rodas5p", new Rodas5P(), Ode.Problem(new VanDerPol(1000), [2.0, 0.0], 0, 2000), rtol, rtol, repeats));
    rows.Add(Run("vanderpol", "auto", new AutoSwitch<Tsitouras5, Rodas5P>(new(), new()), Ode.Problem(new VanDerPol(1000), [2.0, 0.0], 0, 2000), rtol, rtol, repeats));
    rows.Add(Run("vanderpol", "radau", new RadauIIA5(), Ode.Problem(new VanDerPol(1000), [2.0, 0.0], 0, 2000), rtol, rtol, repeats));
    rows.Add(Run("vanderpol", "bdf", new Bdf(), Ode.Problem(new VanDerPol(1000), [2.0, 0.0], 0, 2000), rtol, rtol, repeats));
}
rows.Add(Run("robertson", "reference rodas4", new Rodas4(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), 1e-12, 1e-20, 1));
rows.Add(Run("vanderpol", "reference rodas4", new Rodas4(), Ode.Problem(new VanDerPol(1000), [2.0, 0.0], 0, 2000), 1e-12, 1e-12, 1));
Console.WriteLine("[" + string.Join(",\n ", rows) + "]");
return 0;

static string Run<TDrift, TMethod>(string problem, string name, TMethod method, OdeProblem<TDrift> p, double rtol, double atol, int repeats)
    where TDrift : struct, IDrift
    where TMethod : struct, IStiffMethod
{
    var options = new SolveOptions { Controller = new PidController { RelativeTolerance = rtol, AbsoluteTolerance = atol, MaxSteps = 10_000_000 } };
    double best = double.PositiveInfinity;
    Solution? s = null;
    // One untimed solve first when timing several, so the JIT's compilation of the method is not in the best time
    // (in the 2026-12-07 run without it, the first BDF solves, at rtol 1e-4, were 10-50x slower than at 1e-5).
    if (repeats > 1) DiffEq.Solve(p, method, options);
    for (int r = 0; r < repeats; r++)
    {
        var sw = Stopwatch.StartNew();
        s = DiffEq.Solve(p, method, options);
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    var st = s!.Statistics;
    string switches = s.Trajectory is { } tr ? "[" + string.Join(", ", tr.Statistics.SwitchTimes.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]" : "[]";
    string final = "[" + string.Join(", ", s.FinalState.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
    return string.Create(CultureInfo.InvariantCulture,
        $"{{\"problem\": \"{problem}\", \"impl\": \"Drift {name}\", \"rtol\": {rtol:R}, \"status\": \"{s.Status}\", \"seconds\": {best:R}, \"accepted\": {st.AcceptedSteps}, \"rejected\": {st.RejectedSteps}, \"nfev\": {st.DriftEvaluations}, \"njev\": {st.JacobianEvaluations}, \"nlu\": {st.Factorizations}, \"switches\": {switches}, \"final\": {final}}}");
}

/// <summary>Robertson's kinetics with its analytic Jacobian (scipy gets the same Jacobian).</summary>
internal readonly struct Robertson : IDrift, IJacobian
{
    public int Dimension => 3;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        dx[0] = -0.04 * x[0] + 1e4 * x[1] * x[2];
        dx[1] = 0.04 * x[0] - 1e4 * x[1] * x[2] - 3e7 * x[1] * x[1];
        dx[2] = 3e7 * x[1] * x[1];
    }

    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j)
    {
        j[0] = -0.04; j[1] = 1e4 * x[2]; j[2] = 1e4 * x[1];
        j[3] = 0.04; j[4] = -1e4 * x[2] - 6e7 * x[1]; j[5] = -1e4 * x[1];
        j[6] = 0; j[7] = 6e7 * x[1]; j[8] = 0;
    }
}

/// <summary>Van der Pol y₁' = y₂, y₂' = μ(1 − y₁²)y₂ − y₁ with its analytic Jacobian.</summary>
internal readonly struct VanDerPol(double mu) : IDrift, IJacobian
{
    public int Dimension => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        dx[0] = x[1];
        dx[1] = mu * (1 - x[0] * x[0]) * x[1] - x[0];
    }

    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j)
    {
        j[0] = 0; j[1] = 1;
        j[2] = -2 * mu * x[0] * x[1] - 1; j[3] = mu * (1 - x[0] * x[0]);
    }
}

/// <summary>A factorisation of an iteration matrix with the N = 32 Brusselator's pattern, banded (after RCM) and dense, best of several.</summary>
internal static class Lu
{
    public static int Run()
    {
        var f = new Drift.Models.Physics.Brusselator2D(32);
        var pattern = f.Sparsity();
        var position = pattern.ReverseCuthillMcKee();
        var (kl, ku) = pattern.Bandwidth(position);
        int n = f.Dimension;
        var x = f.InitialState();
        // J by central differences column by column is not needed: the pattern entries with a diagonal shift suffice to time the factorisations.
        var band = new Drift.Numerics.BandedLu(n, kl, ku);
        var b = new double[band.BandLength];
        var dense = new double[(long)n * n];
        int width = kl + ku + 1;
        var rng = new Random(1);
        var csr = new double[pattern.Count];
        for (int i = 0; i < n; i++)
            for (int k = pattern.RowStart[i]; k < pattern.RowStart[i + 1]; k++)
            {
                int j = pattern.Columns[k];
                double v = (i == j ? 4000 : 0) + rng.NextDouble();
                b[position[i] * width + (position[j] - position[i] + kl)] = v;
                dense[(long)position[i] * n + position[j]] = v;
                csr[k] = v;
            }
        // Best of 5 (the first runs before tiered compilation has optimised the loops).
        double tBand = double.PositiveInfinity, tDense = double.PositiveInfinity;
        int c1 = 0, c2 = 0;
        var lu = new Drift.Numerics.DenseLu(n);
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            c1 = band.Factor(b);
            tBand = Math.Min(tBand, sw.Elapsed.TotalSeconds);
        }
        for (int r = 0; r < 3; r++)
        {
            var sw = Stopwatch.StartNew();
            c2 = lu.Factor(dense);
            tDense = Math.Min(tDense, sw.Elapsed.TotalSeconds);
        }
        // The sparse LU on the same matrix in CSR order: the first (pivoting) factorisation, then refactorisations and solves.
        var sw0 = Stopwatch.StartNew();
        var sparse = new Drift.Numerics.SparseLu(pattern);
        double tSymbolic = sw0.Elapsed.TotalSeconds;
        sw0.Restart();
        int c3 = sparse.Factor(csr);
        double tFirst = sw0.Elapsed.TotalSeconds, tRefactor = double.PositiveInfinity, tSolve = double.PositiveInfinity;
        var rhs = new double[n];
        for (int r = 0; r < 20; r++)
        {
            var sw = Stopwatch.StartNew();
            c3 = Math.Max(c3, sparse.Factor(csr));
            tRefactor = Math.Min(tRefactor, sw.Elapsed.TotalSeconds);
            Array.Fill(rhs, 1.0);
            sw.Restart();
            sparse.Solve(rhs);
            tSolve = Math.Min(tSolve, sw.Elapsed.TotalSeconds);
        }
        double flopsBand = (double)n * kl * (kl + ku), flopsDense = (double)n * n * n / 3;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"n\": {n}, \"kl\": {kl}, \"ku\": {ku}, \"band_multiply_adds\": {flopsBand:G4}, \"dense_multiply_adds\": {flopsDense:G4}, \"band_seconds\": {tBand:G4}, \"dense_seconds\": {tDense:G4}, \"sparse_nnz_LU\": {sparse.FactorCount}, \"sparse_order_seconds\": {tSymbolic:G4}, \"sparse_first_factor_seconds\": {tFirst:G4}, \"sparse_refactor_seconds\": {tRefactor:G4}, \"sparse_solve_seconds\": {tSolve:G4}, \"sparse_pivotings\": {sparse.Pivotings}, \"ok\": {(c1 < 0 && c2 < 0 && c3 < 0 ? "true" : "false")}}}"));
        _ = x;
        return 0;
    }
}
