// The Drift side of bench/compare/lorenz_ode.py: Lorenz-63 from (1, 1, 1) over [0, 100] with Tsit5,
// Dopri5 (default PI controller and the I controller scipy uses) and DOP853 at rtol = atol = 1e-6
// and 1e-9. Prints one JSON array: best wall time of several solves, steps, evaluations, and the
// state at t = 1 (a separate solve to t1 = 1) for the error against the reference.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Drift.Solve;
using Drift.Solve.Adaptive;

int repeats = int.Parse(args.Length > 0 ? args[0] : "50", CultureInfo.InvariantCulture);
var rows = new List<string>();
foreach (double tol in new[] { 1e-6, 1e-9 })
{
    rows.Add(Run("Drift tsit5", new Tsitouras5(), tol, new PidController(), repeats));
    rows.Add(Run("Drift dopri5", new DormandPrince5(), tol, new PidController(), repeats));
    rows.Add(Run("Drift dopri5 (integral)", new DormandPrince5(), tol, PidController.Integral, repeats));
    rows.Add(Run("Drift dop853", new DormandPrince853(), tol, new PidController(), repeats));
}
var reference = AdaptiveOde.Solve(new OdeProblem<Lorenz>(default, [1.0, 1.0, 1.0], 0, 1), new DormandPrince853(),
    new AdaptiveOptions { Controller = new PidController { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-13 } });
rows.Add(Text($"{{\"impl\": \"Drift dop853 reference 1e-13\", \"y1\": {Json(reference.FinalState)}}}"));
Console.WriteLine("[" + string.Join(",\n ", rows) + "]");

static string Run<TMethod>(string name, TMethod method, double tol, PidController controller, int repeats)
    where TMethod : struct, IEmbeddedMethod
{
    var options = new AdaptiveOptions { Controller = controller with { RelativeTolerance = tol, AbsoluteTolerance = tol } };
    var problem = new OdeProblem<Lorenz>(default, [1.0, 1.0, 1.0], 0, 100);
    OdeSolution s = AdaptiveOde.Solve(problem, method, options);
    for (int w = 0; w < 60; w++) s = AdaptiveOde.Solve(problem, method, options); // warm-up: let tiered JIT reach its optimised code
    Thread.Sleep(200);
    double best = double.MaxValue;
    for (int r = 0; r < repeats; r++)
    {
        long start = Stopwatch.GetTimestamp();
        s = AdaptiveOde.Solve(problem, method, options);
        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
    var at1 = AdaptiveOde.Solve(new OdeProblem<Lorenz>(default, [1.0, 1.0, 1.0], 0, 1), method, options);
    return Text($"{{\"impl\": \"{name}\", \"tol\": {tol}, \"seconds\": {best}, \"accepted\": {s.Statistics.AcceptedSteps}, \"rejected\": {s.Statistics.RejectedSteps}, \"nfev\": {s.Statistics.FunctionEvaluations}, \"status\": \"{s.Status}\", \"y1\": {Json(at1.FinalState)}, \"y100\": {Json(s.FinalState)}}}");
}

static string Json(ReadOnlySpan<double> v)
{
    var b = new StringBuilder("[");
    for (int i = 0; i < v.Length; i++) b.Append(i > 0 ? ", " : "").Append(v[i].ToString("R", CultureInfo.InvariantCulture));
    return b.Append(']').ToString();
}

static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

/// <summary>Lorenz-63 (σ = 10, ρ = 28, β = 8/3), written path by path as a user would.</summary>
internal readonly struct Lorenz : IDrift
{
    public int Dimension => 3;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            double a = x[p], b = x[paths + p], c = x[2 * paths + p];
            dx[p] = 10.0 * (b - a);
            dx[paths + p] = a * (28.0 - c) - b;
            dx[2 * paths + p] = a * b - 8.0 / 3.0 * c;
        }
    }
}
