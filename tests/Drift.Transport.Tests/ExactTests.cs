using Drift.Solve;
using Drift.Transport;
using Drift.Transport.Exact;
using Drift.Transport.Wasserstein;

namespace Drift.Transport.Tests;

public class ExactTests
{
    [Theory]
    [InlineData(30, 30, 1, false)]
    [InlineData(40, 25, 2, true)]
    [InlineData(7, 60, 3, true)]
    [InlineData(150, 120, 4, true)]
    public void Network_simplex_has_zero_duality_gap_nonnegative_reduced_costs_and_exact_marginals(int n, int m, int seed, bool randomWeights)
    {
        var (a, b, c) = TestData.Problem(n, m, seed, randomWeights);
        var r = NetworkSimplex.Solve(a, b, c);
        Assert.Equal(SolveStatus.Success, r.Status);
        var f = r.RowPotential;
        var g = r.ColumnPotential;
        double minReduced = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) minReduced = Math.Min(minReduced, c[i, j] - f[i] - g[j]);
        Assert.True(minReduced > -1e-11, $"dual infeasible: min reduced cost {minReduced}");
        double dual = a.Select((x, i) => x * f[i]).Sum() + b.Select((x, j) => x * g[j]).Sum();
        double primal = r.Plan.Entries().Sum(e => e.Mass * c[e.Row, e.Column]);
        Assert.Equal(primal, r.Cost, 1e-14);
        Assert.True(Math.Abs(primal - dual) < 1e-12, $"duality gap {primal - dual}");
        foreach (var e in r.Plan.Entries())
            Assert.True(Math.Abs(c[e.Row, e.Column] - f[e.Row] - g[e.Column]) < 1e-11, "complementary slackness");
        Assert.True(TestData.MarginalError(r.Plan.ToDense(), n, m, a, b) < 1e-14);
        Assert.True(r.Plan.StoredCount <= n + m - 1, "a basic solution has at most n + m − 1 non-zeros");
    }

    [Fact]
    public void Identical_clouds_give_the_identity_plan_over_n_and_zero_cost()
    {
        var x = TestData.Gaussian(50, 3, 5);
        var c = CostMatrix.FromPoints(x, x);
        var w = TestData.UniformWeights(50);
        foreach (var r in new[] { NetworkSimplex.Solve(w, w, c), LinearAssignment.Solve(w, w, c) })
        {
            for (int i = 0; i < 50; i++) Assert.Equal(1.0 / 50, r.Plan[i, i], 15);
            Assert.Equal(50, r.Plan.StoredCount);
            Assert.Equal(0.0, r.Cost, 15);
        }
    }

    [Theory]
    [InlineData(20, 6)]
    [InlineData(64, 7)]
    [InlineData(200, 8)]
    public void Assignment_and_network_simplex_agree_on_uniform_clouds(int n, int seed)
    {
        var (a, b, c) = TestData.Problem(n, n, seed);
        var exact = NetworkSimplex.Solve(a, b, c);
        var lap = LinearAssignment.Solve(a, b, c);
        Assert.Equal(exact.Cost, lap.Cost, 1e-13);
        // Assignment duals are also optimal transport duals (scaled): f ⊕ g ≤ C and ⟨a,f⟩ + ⟨b,g⟩ = cost.
        Assert.Equal(lap.Cost, lap.DualObjective, 1e-12);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) Assert.True(c[i, j] - lap.RowPotential[i] - lap.ColumnPotential[j] > -1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Assignment_matches_brute_force_over_all_permutations(int n)
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var rng = new System.Random(100 * n + seed);
            var c = CostMatrix.FromFunction(n, n, (_, _) => Math.Round(rng.NextDouble() * 10, 1) - 3);
            var sigma = new int[n];
            double lap = LinearAssignment.FindAssignment(c, sigma);
            Assert.Equal(Enumerable.Range(0, n), sigma.OrderBy(s => s));
            double best = BruteForce(c, n);
            Assert.Equal(best, lap, 1e-12);
            var w = TestData.UniformWeights(n);
            Assert.Equal(best / n, NetworkSimplex.Solve(w, w, c).Cost, 1e-12);
        }
    }

    [Fact]
    public void Rectangular_assignment_picks_the_cheapest_distinct_columns()
    {
        var c = new CostMatrix([5, 1, 9, 4, 2, 8, 7, 3], 2, 4);
        var sigma = new int[2];
        double total = LinearAssignment.FindAssignment(c, sigma);
        // Row 0's cheapest column is 1 (cost 1) and row 1's is 0 (cost 2); they differ, so that is optimal.
        Assert.Equal(1 + 2, total);
        Assert.Equal(new[] { 1, 0 }, sigma);
        var c2 = new CostMatrix([1, 9, 9, 1, 2, 9], 2, 3);
        Assert.Equal(1 + 2, LinearAssignment.FindAssignment(c2, sigma));
        Assert.Equal(new[] { 0, 1 }, sigma);
    }

    [Theory]
    [InlineData(2, 5)]
    [InlineData(3, 6)]
    [InlineData(4, 7)]
    public void Rectangular_assignment_matches_brute_force_over_all_injections(int n, int m)
    {
        for (int seed = 0; seed < 10; seed++)
        {
            var rng = new System.Random(1000 * n + seed);
            // Costs with a large positive offset: a column-reduced start would be wrong for n < m.
            var c = CostMatrix.FromFunction(n, m, (_, _) => 5 + Math.Round(rng.NextDouble() * 10, 1));
            var sigma = new int[n];
            double lap = LinearAssignment.FindAssignment(c, sigma);
            Assert.Equal(n, sigma.Distinct().Count());
            double best = double.PositiveInfinity;
            var used = new bool[m];
            void Recurse(int i, double acc)
            {
                if (i == n) { best = Math.Min(best, acc); return; }
                for (int j = 0; j < m; j++)
                {
                    if (used[j]) continue;
                    used[j] = true;
                    Recurse(i + 1, acc + c[i, j]);
                    used[j] = false;
                }
            }
            Recurse(0, 0);
            Assert.Equal(best, lap, 1e-12);
        }
    }

    [Fact]
    public void Network_simplex_on_the_line_matches_the_quantile_coupling()
    {
        var rng = new System.Random(9);
        var x = Enumerable.Range(0, 40).Select(_ => rng.NextDouble() * 4).ToArray();
        var y = Enumerable.Range(0, 55).Select(_ => TestData.Normal(rng)).ToArray();
        var a = TestData.Weights(40, 10);
        var b = TestData.Weights(55, 11);
        foreach (double p in new[] { 1.0, 2.0, 3.0 })
        {
            var c = CostMatrix.FromFunction(40, 55, (i, j) => Math.Pow(Math.Abs(x[i] - y[j]), p));
            Assert.Equal(Wasserstein1D.Cost(x, a, y, b, p), NetworkSimplex.Solve(a, b, c).Cost, 1e-12);
        }
    }

    [Fact]
    public void Negative_costs_and_zero_weights_are_handled()
    {
        var (a, b, c) = TestData.Problem(30, 20, 12, randomWeights: true);
        var shifted = c.Scale(1).Values.Select(v => v - 5).ToArray();
        a[4] = 0;
        double sa = a.Sum();
        for (int j = 0; j < b.Length; j++) b[j] *= sa;
        var r0 = NetworkSimplex.Solve(a, b, c);
        var r1 = NetworkSimplex.Solve(a, b, new CostMatrix(shifted, 30, 20));
        Assert.Equal(r0.Cost - 5 * sa, r1.Cost, 1e-12);
        Assert.Equal(r1.Cost, r1.DualObjective, 1e-12);
        for (int j = 0; j < 20; j++) Assert.Equal(0.0, r1.Plan[4, j]);
    }

    [Fact]
    public void Batch_assignment_matches_linear_assignment_on_squared_distances()
    {
        var rng = new System.Random(13);
        var ba = new BatchAssignment(128, 3);
        foreach (int batch in new[] { 1, 5, 64, 128 })
        {
            var x0 = Enumerable.Range(0, batch * 3).Select(_ => TestData.Normal(rng)).ToArray();
            var x1 = Enumerable.Range(0, batch * 3).Select(_ => 2 + TestData.Normal(rng)).ToArray();
            var perm = new int[batch];
            double mean = ba.Match(x0, x1, perm);
            var c = CostMatrix.FromPoints(new PointCloud(x0, 3), new PointCloud(x1, 3));
            var sigma = new int[batch];
            double best = LinearAssignment.FindAssignment(c, sigma);
            Assert.Equal(best / batch, mean, 1e-10);
            Assert.Equal(Enumerable.Range(0, batch), perm.OrderBy(s => s));
        }
        Assert.Throws<ArgumentException>(() => new BatchAssignment(128, 3).Match(new double[129 * 3], new double[129 * 3], new int[129]));
    }

    [Fact]
    public void Pivot_budget_exhaustion_is_reported()
    {
        var (a, b, c) = TestData.Problem(60, 60, 14, randomWeights: true);
        var r = NetworkSimplex.Solve(a, b, c, TransportOptions.Default with { MaxPivots = 5 });
        Assert.Equal(SolveStatus.MaxSteps, r.Status);
    }

    private static double BruteForce(CostMatrix c, int n)
    {
        var perm = Enumerable.Range(0, n).ToArray();
        double best = double.PositiveInfinity;
        void Recurse(int k)
        {
            if (k == n)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += c[i, perm[i]];
                best = Math.Min(best, s);
                return;
            }
            for (int i = k; i < n; i++)
            {
                (perm[k], perm[i]) = (perm[i], perm[k]);
                Recurse(k + 1);
                (perm[k], perm[i]) = (perm[i], perm[k]);
            }
        }
        Recurse(0);
        return best;
    }
}
