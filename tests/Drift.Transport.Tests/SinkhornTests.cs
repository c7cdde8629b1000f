using Drift.Solve;
using Drift.Transport;
using Drift.Transport.Sinkhorn;

namespace Drift.Transport.Tests;

public class SinkhornTests
{
    private static readonly TransportMethod[] Variants =
    [
        TransportMethod.Sinkhorn, TransportMethod.SinkhornLog, TransportMethod.SinkhornStabilized,
        TransportMethod.SinkhornEpsilonScaling, TransportMethod.SinkhornNewtonSparse,
    ];

    [Theory]
    [InlineData(TransportMethod.Sinkhorn)]
    [InlineData(TransportMethod.SinkhornLog)]
    [InlineData(TransportMethod.SinkhornStabilized)]
    [InlineData(TransportMethod.SinkhornEpsilonScaling)]
    [InlineData(TransportMethod.SinkhornNewtonSparse)]
    public void Plan_marginals_match_the_weights_within_tolerance(TransportMethod method)
    {
        var (a, b, c) = TestData.Problem(40, 30, 1, randomWeights: true);
        var r = OptimalTransport.Solve(method, a, b, c, TransportOptions.Default with { Epsilon = 0.05, Tolerance = 1e-10 });
        Assert.Equal(SolveStatus.Success, r.Status);
        double err = TestData.MarginalError(r.Plan.ToDense(), 40, 30, a, b);
        Assert.True(err < 1e-9, $"{method}: marginal error {err}");
        Assert.True(Math.Abs(err - r.MarginalError) < 1e-12, "reported marginal error must be that of the returned plan");
        Assert.True(r.Plan.ToDense().All(p => p >= 0));
    }

    [Fact]
    public void All_variants_give_the_same_plan_cost_and_potentials()
    {
        var (a, b, c) = TestData.Problem(50, 45, 2, randomWeights: true);
        var options = TransportOptions.Default with { Epsilon = 0.02, Tolerance = 1e-12 };
        var reference = LogSinkhorn.Solve(a, b, c, options);
        var refPlan = reference.Plan.ToDense();
        foreach (var method in Variants)
        {
            var r = OptimalTransport.Solve(method, a, b, c, options);
            Assert.Equal(SolveStatus.Success, r.Status);
            Assert.True(TestData.MaxAbsDiff(refPlan, r.Plan.ToDense()) < 1e-10, $"{method} plan differs");
            Assert.Equal(reference.Cost, r.Cost, 1e-10);
            // Potentials are unique up to f + k, g − k: compare f ⊕ g.
            double k = r.RowPotential[0] - reference.RowPotential[0];
            for (int i = 0; i < a.Length; i++) Assert.Equal(reference.RowPotential[i] + k, r.RowPotential[i], 1e-8);
            for (int j = 0; j < b.Length; j++) Assert.Equal(reference.ColumnPotential[j] - k, r.ColumnPotential[j], 1e-8);
        }
    }

    [Fact]
    public void Stable_variants_agree_at_small_epsilon_where_absorption_is_exercised()
    {
        var (a, b, c) = TestData.Problem(60, 50, 12, randomWeights: true);
        var options = TransportOptions.Default with { Epsilon = 3e-3, Tolerance = 1e-11, MaxIterations = 50_000 };
        var reference = LogSinkhorn.Solve(a, b, c, options);
        var stabilized = StabilizedSinkhorn.Solve(a, b, c, options);
        var match = System.Text.RegularExpressions.Regex.Match(stabilized.Message, @"\((\d+) absorptions\)");
        Assert.True(match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0,
            $"expected absorptions: {stabilized.Message}");
        foreach (var r in new[] { stabilized, EpsilonScalingSinkhorn.Solve(a, b, c, options), SinkhornNewtonSparse.Solve(a, b, c, options) })
        {
            Assert.Equal(SolveStatus.Success, r.Status);
            Assert.True(TestData.MaxAbsDiff(reference.Plan.ToDense(), r.Plan.ToDense()) < 1e-10, $"{r.Method} plan differs");
        }
    }

    [Fact]
    public void Plan_is_the_Gibbs_form_of_the_potentials_and_duality_gap_vanishes()
    {
        var (a, b, c) = TestData.Problem(30, 35, 3, randomWeights: true);
        const double eps = 0.03;
        var r = LogSinkhorn.Solve(a, b, c, TransportOptions.Default with { Epsilon = eps, Tolerance = 1e-12 });
        var p = r.Plan.ToDense();
        for (int i = 0; i < 30; i++)
            for (int j = 0; j < 35; j++)
            {
                double expected = a[i] * b[j] * Math.Exp((r.RowPotential[i] + r.ColumnPotential[j] - c[i, j]) / eps);
                Assert.Equal(expected, p[i * 35 + j], 1e-14);
            }
        // Primal ⟨C,P⟩ + ε KL(P‖a⊗b), computed here from the plan, equals the dual ⟨a,f⟩ + ⟨b,g⟩ at convergence.
        double primal = 0;
        for (int i = 0; i < 30; i++)
            for (int j = 0; j < 35; j++)
            {
                double q = p[i * 35 + j];
                primal += q * c[i, j] + eps * (q * Math.Log(q / (a[i] * b[j])) - q + a[i] * b[j]);
            }
        double dual = a.Select((x, i) => x * r.RowPotential[i]).Sum() + b.Select((x, j) => x * r.ColumnPotential[j]).Sum();
        Assert.Equal(primal, dual, 1e-10);
        Assert.Equal(primal, r.Objective, 1e-10);
        Assert.Equal(dual, r.DualObjective, 1e-10);
    }

    [Fact]
    public void Identical_clouds_at_small_epsilon_give_nearly_the_identity_plan_and_cost_near_zero()
    {
        var x = TestData.Uniform(25, 2, 4);
        var c = CostMatrix.FromPoints(x, x);
        var w = TestData.UniformWeights(25);
        // Nearest-neighbour squared distances here are ≳ 1e-3, so ε = 1e-5 concentrates the plan on the diagonal.
        var r = LogSinkhorn.Solve(w, w, c, TransportOptions.Default with { Epsilon = 1e-5, Tolerance = 1e-10 });
        Assert.Equal(SolveStatus.Success, r.Status);
        for (int i = 0; i < 25; i++) Assert.True(r.Plan[i, i] > (1 - 1e-3) / 25, $"P[{i},{i}] = {r.Plan[i, i]}");
        Assert.True(r.Cost < 1e-6, $"cost {r.Cost}");
    }

    [Fact]
    public void Scaling_Sinkhorn_reports_numerical_failure_when_the_kernel_underflows()
    {
        var (a, b, c) = TestData.Problem(20, 20, 5);
        var r = ScalingSinkhorn.Solve(a, b, c, TransportOptions.Default with { Epsilon = 1e-4 });
        Assert.Equal(SolveStatus.NonFinite, r.Status);
        Assert.Contains("iteration", r.Message, StringComparison.Ordinal);
        // The log-domain and stabilised variants iterate stably on the same problem (convergence at this ε is slow).
        var o = TransportOptions.Default with { Epsilon = 1e-4, MaxIterations = 500 };
        foreach (var r2 in new[] { LogSinkhorn.Solve(a, b, c, o), StabilizedSinkhorn.Solve(a, b, c, o), EpsilonScalingSinkhorn.Solve(a, b, c, o) })
        {
            Assert.NotEqual(SolveStatus.NonFinite, r2.Status);
            Assert.True(r2.MarginalError < 1, $"{r2.Method}: marginal error {r2.MarginalError}");
            Assert.All(r2.Plan.ToDense(), p => Assert.True(double.IsFinite(p)));
        }
    }

    [Fact]
    public void Iteration_budget_exhaustion_is_reported_not_silent()
    {
        var (a, b, c) = TestData.Problem(30, 30, 6);
        var r = LogSinkhorn.Solve(a, b, c, TransportOptions.Default with { Epsilon = 1e-3, MaxIterations = 3 });
        Assert.Equal(SolveStatus.MaxSteps, r.Status);
        Assert.Equal(3, r.Iterations);
        Assert.True(r.MarginalError > 1e-9);
        Assert.Contains("no convergence", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_is_reported_through_the_status()
    {
        var (a, b, c) = TestData.Problem(20, 20, 7);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = LogSinkhorn.Solve(a, b, c, TransportOptions.Default with { CancellationToken = cts.Token });
        Assert.Equal(SolveStatus.Cancelled, r.Status);
    }

    [Theory]
    [InlineData(TransportMethod.Sinkhorn)]
    [InlineData(TransportMethod.SinkhornLog)]
    [InlineData(TransportMethod.SinkhornNewtonSparse)]
    public void Results_are_bit_identical_for_every_degree_of_parallelism(TransportMethod method)
    {
        var (a, b, c) = TestData.Problem(300, 200, 8, randomWeights: true);
        var o = TransportOptions.Default with { Epsilon = 0.01 };
        var serial = OptimalTransport.Solve(method, a, b, c, o with { Threads = 1 }).Plan.ToDense();
        var parallel = OptimalTransport.Solve(method, a, b, c, o with { Threads = 4 }).Plan.ToDense();
        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void Zero_mass_points_get_no_mass_and_finite_potentials()
    {
        var (a, b, c) = TestData.Problem(20, 15, 9, randomWeights: true);
        a[3] = 0;
        b[7] = 0;
        double sa = a.Sum(), sb = b.Sum();
        for (int j = 0; j < b.Length; j++) b[j] *= sa / sb;
        foreach (var method in Variants)
        {
            var r = OptimalTransport.Solve(method, a, b, c, TransportOptions.Default with { Epsilon = 0.05 });
            Assert.Equal(SolveStatus.Success, r.Status);
            for (int j = 0; j < 15; j++) Assert.Equal(0.0, r.Plan[3, j]);
            for (int i = 0; i < 20; i++) Assert.Equal(0.0, r.Plan[i, 7]);
            Assert.All(r.RowPotential, f => Assert.True(double.IsFinite(f)));
            Assert.All(r.ColumnPotential, g => Assert.True(double.IsFinite(g)));
        }
    }

    [Fact]
    public void Unnormalised_masses_scale_the_plan_and_cost()
    {
        var (a, b, c) = TestData.Problem(20, 25, 10, randomWeights: true);
        var o = TransportOptions.Default with { Epsilon = 0.05 };
        var unit = LogSinkhorn.Solve(a, b, c, o);
        var scaled = LogSinkhorn.Solve(a.Select(x => 3 * x).ToArray(), b.Select(x => 3 * x).ToArray(), c, o);
        Assert.Equal(3 * unit.Cost, scaled.Cost, 1e-12);
        Assert.True(TestData.MaxAbsDiff(unit.Plan.ToDense().Select(x => 3 * x).ToArray(), scaled.Plan.ToDense()) < 1e-13);
    }

    [Fact]
    public void Entropic_cost_tends_to_the_exact_cost_as_epsilon_decreases()
    {
        var (a, b, c) = TestData.Problem(30, 30, 11, randomWeights: true);
        double exact = Drift.Transport.Exact.NetworkSimplex.Solve(a, b, c).Cost;
        double previous = double.PositiveInfinity;
        foreach (double eps in new[] { 1e-1, 1e-2, 1e-3, 1e-4 })
        {
            double gap = EpsilonScalingSinkhorn.Solve(a, b, c, TransportOptions.Default with { Epsilon = eps }).Cost - exact;
            Assert.True(gap > -1e-9, $"entropic plan is a coupling, so its cost is at least the exact cost (gap {gap})");
            Assert.True(gap < previous, $"gap {gap} did not shrink");
            previous = gap;
        }
        Assert.True(previous < 2e-3, $"gap at ε = 1e-4 is {previous}");
    }
}
