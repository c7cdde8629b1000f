using Drift.Sampling.Graphs;

namespace Drift.Sampling.Tests.Graphs;

/// <summary>
/// The self-repellent walk's asymptotic variance against closed forms on a small graph: the base walk's from its
/// fundamental matrix, and the SRRW's from the eigen-decomposition formula of Doshi, Hu &amp; Eun (2023)
/// (<see cref="SelfRepellentWalk.AsymptoticVariances"/>, whose α = 0 value must equal the fundamental-matrix one).
/// </summary>
public class SelfRepellentWalkTests(ITestOutputHelper output)
{
    /// <summary>An 8-cycle with chords {0,2}, {0,4}, {3,6}, {5,7}: connected, not bipartite (triangle 0-1-2), degrees 2…4.</summary>
    private static readonly (int, int)[] Edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 0), (0, 2), (0, 4), (3, 6), (5, 7)];

    private static readonly double[] F = [1, 0, 0, 2, 0, 1, 0, 3];

    /// <summary>σ² = 2⟨ḡ, Zḡ⟩_μ − ⟨ḡ, ḡ⟩_μ with Z = (I − P + 𝟙μᵀ)⁻¹, ḡ = f − μ(f) (Kemeny &amp; Snell).</summary>
    private static double FundamentalMatrixVariance(double[] p, double[] mu, double[] f)
    {
        int n = mu.Length;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += mu[i] * f[i];
        var g = f.Select(v => v - mean).ToArray();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i * n + j] = (i == j ? 1 : 0) - p[i * n + j] + mu[j];
        var z = Solve(a, g.ToArray(), n);
        double s = 0;
        for (int i = 0; i < n; i++) s += mu[i] * g[i] * (2 * z[i] - g[i]);
        return s;
    }

    private static double[] Solve(double[] a, double[] b, int n)
    {
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r * n + c]) > Math.Abs(a[pivot * n + c])) pivot = r;
            for (int k = 0; k < n; k++) (a[c * n + k], a[pivot * n + k]) = (a[pivot * n + k], a[c * n + k]);
            (b[c], b[pivot]) = (b[pivot], b[c]);
            for (int r = c + 1; r < n; r++)
            {
                double factor = a[r * n + c] / a[c * n + c];
                for (int k = c; k < n; k++) a[r * n + k] -= factor * a[c * n + k];
                b[r] -= factor * b[c];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
            x[r] = s / a[r * n + r];
        }
        return x;
    }

    [Fact]
    public void The_two_closed_forms_agree_for_the_base_walk()
    {
        var chain = GraphChain.SimpleRandomWalk(8, Edges);
        var p = chain.TransitionMatrix();
        var mu = chain.Stationary.ToArray();
        Assert.Equal(FundamentalMatrixVariance(p, mu, F), SelfRepellentWalk.AsymptoticVariances(chain, 0, [F])[0], 10);
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) Assert.Equal(mu[i] * p[i * 8 + j], mu[j] * p[j * 8 + i], 14);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(2.0)]
    [InlineData(10.0)]
    public void Asymptotic_variance_matches_the_closed_form(double alpha)
    {
        // n·Var(Σᵢ f(i) xₙ(i)) over W independent walks of n steps, against the formula; the sample variance of W roughly
        // normal estimates has relative SE √(2/(W − 1)) = 0.1, so 4 SE is ±40 %, while the predicted reduction from α = 0
        // to α = 10 is 20×. The 8-node walk mixes in a few steps, so n = 4000 is deep in the asymptotic regime.
        const int walks = 200, steps = 4000;
        var chain = GraphChain.SimpleRandomWalk(8, Edges);
        var mu = chain.Stationary.ToArray();
        double truthMean = mu.Zip(F, (m, f) => m * f).Sum();
        double predicted = SelfRepellentWalk.AsymptoticVariances(chain, alpha, [F])[0];
        var r = SelfRepellentWalk.Run(chain, new SrrwOptions { Alpha = alpha, Steps = steps, Walks = walks, Function = F, Seed = 42, Threads = 1 });
        var estimates = Enumerable.Range(0, walks).Select(r.Estimate).ToArray();
        double mean = estimates.Average(), variance = estimates.Sum(e => (e - mean) * (e - mean)) / (walks - 1);
        double measured = steps * variance, se = measured * Math.Sqrt(2.0 / (walks - 1));
        output.WriteLine($"α = {alpha}: n·Var = {measured:F4} ± {se:F4}, closed form {predicted:F4}, base walk {SelfRepellentWalk.AsymptoticVariances(chain, 0, [F])[0]:F4}; mean {mean:F5} vs {truthMean:F5}");
        Assert.True(Math.Abs(measured - predicted) < 4 * se, $"n·Var {measured} vs {predicted}: {(measured - predicted) / se:F2} SE");
        Assert.True(Math.Abs(mean - truthMean) < 4 * Math.Sqrt(variance / walks), $"estimate {mean} vs {truthMean}");
    }

    [Fact]
    public void Walks_are_bit_identical_on_one_and_two_threads_and_visits_add_up()
    {
        var chain = GraphChain.MetropolisHastings(8, Edges);
        var one = SelfRepellentWalk.Run(chain, new SrrwOptions { Alpha = 3, Steps = 5000, Walks = 4, Seed = 7, Threads = 1 });
        var two = SelfRepellentWalk.Run(chain, new SrrwOptions { Alpha = 3, Steps = 5000, Walks = 4, Seed = 7, Threads = 2 });
        for (int w = 0; w < 4; w++)
        {
            Assert.True(one.Visits(w).SequenceEqual(two.Visits(w)));
            long total = 0;
            foreach (long c in one.Visits(w)) total += c;
            Assert.Equal(5000, total);
        }
    }

    [Fact]
    public void Bad_graphs_and_options_are_refused()
    {
        Assert.Contains("not connected", Assert.Throws<ArgumentException>(() => GraphChain.SimpleRandomWalk(4, [(0, 1), (2, 3)])).Message);
        Assert.Contains("self-loop", Assert.Throws<ArgumentException>(() => GraphChain.SimpleRandomWalk(3, [(0, 1), (1, 1)])).Message);
        var chain = GraphChain.SimpleRandomWalk(3, [(0, 1), (1, 2)]);
        Assert.Contains("Alpha", Assert.ThrowsAny<ArgumentException>(() => SelfRepellentWalk.Run(chain, new SrrwOptions { Alpha = -1 })).Message);
        Assert.Contains("Function", Assert.ThrowsAny<ArgumentException>(() => SelfRepellentWalk.Run(chain, new SrrwOptions { Function = [1.0] })).Message);
    }
}
