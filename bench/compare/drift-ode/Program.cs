// The Drift side of bench/compare/lorenz_ode.py: Lorenz-63 from (1, 1, 1) over [0, 100] with Tsit5,
// Dopri5 (default PI controller and the I controller scipy uses) and DOP853 at rtol = atol = 1e-6
// and 1e-9. Prints one JSON array: best wall time of several solves, steps, evaluations, and the
// state at t = 1 (a separate solve to t1 = 1) for the error against the reference.
// Flags: --api=old (AdaptiveOde.Solve, the default) or --api=one (DiffEq.Solve, the one entry point);
// --verify solves every configuration both ways and prints whether states and counters agree to the bit (and the
// register Lorenz's DP5 against the span one). The "Drift dopri5 (register f)" rows solve the same Lorenz written as an
// IVectorDrift, which DP5 runs with its stages in registers (issue 15).
// Usage: dotnet run -c Release --project bench/compare/drift-ode -- [repeats] [--api=one] [--verify]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using Drift;
using Drift.Solve;
using Drift.Solve.Adaptive;

string api = args.FirstOrDefault(a => a.StartsWith("--api=", StringComparison.Ordinal))?["--api=".Length..] ?? "old";
bool verify = args.Contains("--verify");
args = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
int repeats = int.Parse(args.Length > 0 ? args[0] : "50", CultureInfo.InvariantCulture);
if (verify)
{
    bool all = true;
    foreach (double tol in new[] { 1e-6, 1e-9 })
    {
        all &= Verify("tsit5", new Tsitouras5(), tol, new PidController());
        all &= Verify("dopri5", new DormandPrince5(), tol, new PidController());
        all &= Verify("dopri5 (integral)", new DormandPrince5(), tol, PidController.Integral);
        all &= Verify("dop853", new DormandPrince853(), tol, new PidController());
        all &= VerifyRegister(tol, new PidController());
        all &= VerifyRegister(tol, PidController.Integral);
    }
    return all ? 0 : 1;
}
var rows = new List<string>();
foreach (double tol in new[] { 1e-6, 1e-9 })
{
    rows.Add(Run("Drift tsit5", new Tsitouras5(), tol, new PidController(), repeats, api));
    rows.Add(Run("Drift dopri5", new DormandPrince5(), tol, new PidController(), repeats, api));
    rows.Add(Run("Drift dopri5 (integral)", new DormandPrince5(), tol, PidController.Integral, repeats, api));
    rows.Add(RunWith<DormandPrince5, LorenzV>("Drift dopri5 (register f)", new DormandPrince5(), tol, new PidController(), repeats, api));
    rows.Add(RunWith<DormandPrince5, LorenzV>("Drift dopri5 (register f, integral)", new DormandPrince5(), tol, PidController.Integral, repeats, api));
    rows.Add(Run("Drift dop853", new DormandPrince853(), tol, new PidController(), repeats, api));
}
var reference = AdaptiveOde.Solve(new OdeProblem<Lorenz>(default, [1.0, 1.0, 1.0], 0, 1), new DormandPrince853(),
    new AdaptiveOptions { Controller = new PidController { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-13 } });
rows.Add(Text($"{{\"impl\": \"Drift dop853 reference 1e-13\", \"y1\": {Json(reference.FinalState)}}}"));
Console.WriteLine("[" + string.Join(",\n ", rows) + "]");
return 0;

bool Verify<TMethod>(string name, TMethod method, double tol, PidController controller)
    where TMethod : struct, IEmbeddedMethod
{
    var c = controller with { RelativeTolerance = tol, AbsoluteTolerance = tol };
    var old = AdaptiveOde.Solve(new OdeProblem<Lorenz>(default, [1.0, 1.0, 1.0], 0, 100), method, new AdaptiveOptions { Controller = c });
    var one = DiffEq.Solve(Ode.Problem(default(Lorenz), [1.0, 1.0, 1.0], 0, 100), method, new SolveOptions { Controller = c });
    bool same = old.FinalState.SequenceEqual(one.FinalState) && old.Statistics.AcceptedSteps == one.Statistics.AcceptedSteps
        && old.Statistics.FunctionEvaluations == one.Statistics.DriftEvaluations;
    Console.WriteLine(Text($"{{\"verify\": \"{name}\", \"tol\": {tol}, \"same_bits\": {(same ? "true" : "false")}}}"));
    return same;
}

bool VerifyRegister(double tol, PidController controller)
{
    var c = controller with { RelativeTolerance = tol, AbsoluteTolerance = tol };
    var span = DiffEq.Solve(Ode.Problem(default(Lorenz), [1.0, 1.0, 1.0], 0, 100), new DormandPrince5(), new SolveOptions { Controller = c });
    var register = DiffEq.Solve(Ode.Problem(default(LorenzV), [1.0, 1.0, 1.0], 0, 100), new DormandPrince5(), new SolveOptions { Controller = c });
    bool same = span.FinalState.SequenceEqual(register.FinalState) && span.Statistics.AcceptedSteps == register.Statistics.AcceptedSteps
        && span.Statistics.RejectedSteps == register.Statistics.RejectedSteps && span.Statistics.DriftEvaluations == register.Statistics.DriftEvaluations;
    Console.WriteLine(Text($"{{\"verify\": \"dopri5 register vs span, beta1 {c.Beta1}\", \"tol\": {tol}, \"same_bits\": {(same ? "true" : "false")}}}"));
    return same;
}

static string Run<TMethod>(string name, TMethod method, double tol, PidController controller, int repeats, string api)
    where TMethod : struct, IEmbeddedMethod
    => RunWith<TMethod, Lorenz>(name, method, tol, controller, repeats, api);

static string RunWith<TMethod, TDrift>(string name, TMethod method, double tol, PidController controller, int repeats, string api)
    where TMethod : struct, IEmbeddedMethod
    where TDrift : struct, IDrift
{
    var options = new AdaptiveOptions { Controller = controller with { RelativeTolerance = tol, AbsoluteTolerance = tol } };
    var oneOptions = new SolveOptions { Controller = options.Controller };
    var problem = Ode.Problem(default(TDrift), [1.0, 1.0, 1.0], 0, 100);
    // One solve, through the entry point asked for: (accepted, rejected, evaluations, status, final state).
    (long, long, long, string, double[]) Solve(OdeProblem<TDrift> p)
    {
        if (api == "one")
        {
            var o = DiffEq.Solve(p, method, oneOptions);
            return (o.Statistics.AcceptedSteps, o.Statistics.RejectedSteps, o.Statistics.DriftEvaluations, o.Status.ToString(), o.FinalState);
        }
        var s = AdaptiveOde.Solve(p, method, options);
        return (s.Statistics.AcceptedSteps, s.Statistics.RejectedSteps, s.Statistics.FunctionEvaluations, s.Status.ToString(), s.FinalState.ToArray());
    }
    var result = Solve(problem);
    for (int w = 0; w < 60; w++) result = Solve(problem); // warm-up: let tiered JIT reach its optimised code
    Thread.Sleep(200);
    double best = double.MaxValue;
    for (int r = 0; r < repeats; r++)
    {
        long start = Stopwatch.GetTimestamp();
        result = Solve(problem);
        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
    var at1 = Solve(Ode.Problem(default(TDrift), [1.0, 1.0, 1.0], 0, 1));
    var (accepted, rejected, nfev, status, y100) = result;
    return Text($"{{\"impl\": \"{name}\", \"api\": \"{api}\", \"tol\": {tol}, \"seconds\": {best}, \"accepted\": {accepted}, \"rejected\": {rejected}, \"nfev\": {nfev}, \"status\": \"{status}\", \"y1\": {Json(at1.Item5)}, \"y100\": {Json(y100)}}}");
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

/// <summary>The same Lorenz-63 as a register right-hand side (<see cref="IVectorDrift"/>): DP5 keeps its stages in registers.</summary>
internal readonly struct LorenzV : IVectorDrift
{
    public int Dimension => 3;

    public Vector256<double> Evaluate(double t, Vector256<double> v)
    {
        double a = v.GetElement(0), b = v.GetElement(1), c = v.GetElement(2);
        return Vector256.Create(10.0 * (b - a), a * (28.0 - c) - b, a * b - 8.0 / 3.0 * c, 0.0);
    }

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
}
