// The Drift side of bench/compare/stiff_work_precision.py: Robertson (t1 = 1e5) and Van der Pol (mu = 1000,
// t1 = 2000) with Rodas4, Radau IIA 5 and BDF at rtol = 1e-4, 1e-6, 1e-8 (Robertson atol = 1e-6 rtol,
// Van der Pol atol = rtol), all through DiffEq.Solve. Prints one JSON array: best wall time of several solves,
// accepted/rejected steps, evaluations, Jacobians, LU factorisations and the final state; the last rows are
// Rodas4 references at rtol = 1e-12 for the Python side to cross-check its scipy reference.
// Usage: dotnet run -c Release --project bench/compare/drift-stiff -- [repeats]
using System.Diagnostics;
using System.Globalization;
using Drift;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

int repeats = int.Parse(args.Length > 0 ? args[0] : "5", CultureInfo.InvariantCulture);
var rows = new List<string>();
foreach (double rtol in new[] { 1e-4, 1e-6, 1e-8 })
{
    rows.Add(Run("robertson", "rodas4", new Rodas4(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("robertson", "radau", new RadauIIA5(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("robertson", "bdf", new Bdf(), Ode.Problem(default(Robertson), [1.0, 0.0, 0.0], 0, 1e5), rtol, 1e-6 * rtol, repeats));
    rows.Add(Run("vanderpol", "rodas4", new Rodas4(), Ode.Problem(new VanDerPol(1000), [2.0, 0.0], 0, 2000), rtol, rtol, repeats));
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
    for (int r = 0; r < repeats; r++)
    {
        var sw = Stopwatch.StartNew();
        s = DiffEq.Solve(p, method, options);
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    var st = s!.Statistics;
    string final = "[" + string.Join(", ", s.FinalState.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
    return string.Create(CultureInfo.InvariantCulture,
        $"{{\"problem\": \"{problem}\", \"impl\": \"Drift {name}\", \"rtol\": {rtol:R}, \"status\": \"{s.Status}\", \"seconds\": {best:R}, \"accepted\": {st.AcceptedSteps}, \"rejected\": {st.RejectedSteps}, \"nfev\": {st.DriftEvaluations}, \"njev\": {st.JacobianEvaluations}, \"nlu\": {st.Factorizations}, \"final\": {final}}}");
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
