using Drift.Sampling.Consensus;

namespace Drift.Sampling.Tests.Consensus;

/// <summary>
/// Consensus-based optimisation in d = 20 (minimiser shifted to 𝟙, particles uniform on [−3, 3]²⁰, success:
/// ‖m_α − 𝟙‖_∞ &lt; 0.25, the criterion of Pinnau et al. 2017). Ackley at the literature's setting is reproduced and
/// tested; Rastrigin's literature rates are not (docs/sampling.md, "CBO in d = 20: paper vs Drift"), and no test claims them.
/// </summary>
public class CboTests(ITestOutputHelper output)
{
    internal static readonly CboOptions Setting = new()
    {
        Particles = 100, Alpha = 1000, Lambda = 1, Sigma = 3, StepSize = 0.01, Steps = 3000, Tolerance = 1e-6, Threads = 1,
    };

    private static bool Succeeded(ConsensusResult r)
    {
        double err = 0;
        foreach (double v in r.Consensus) err = Math.Max(err, Math.Abs(v - 1));
        return err < 0.25;
    }

    /// <summary>f(x) = |x − 𝟙|².</summary>
    private readonly struct ShiftedSphere(int dimension) : IObjective
    {
        public int Dimension => dimension;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> values)
        {
            int n = values.Length;
            values.Clear();
            for (int i = 0; i < dimension; i++)
                for (int c = 0; c < n; c++) values[c] += (x[i * n + c] - 1) * (x[i * n + c] - 1);
        }
    }

    /// <summary>
    /// Anisotropic CBO on the shifted sphere in d = 20 reaches the minimiser. Measured over seeds 0–3 (N = 100, 1500
    /// steps): σ = 0.5 and 1 stall at max errors 0.43–1.13 (the cloud collapses before m_α arrives); σ = 3 succeeds in
    /// 3 of 4 seeds at α = 1000; σ = 5 in all, with max errors 0.022–0.059 at α = 1000 and 0.0022–0.0028 at α = 10⁵.
    /// The test runs σ = 5, α = 10⁵ on two seeds and asks for 0.01.
    /// </summary>
    [Fact]
    public void Minimises_a_shifted_sphere_in_20_dimensions()
    {
        foreach (ulong seed in new ulong[] { 0, 1 })
        {
            var r = Cbo.Minimize(new ShiftedSphere(20), Setting with { Sigma = 5, Alpha = 1e5, Steps = 1500, Seed = seed });
            double error = r.Consensus.ToArray().Max(v => Math.Abs(v - 1));
            output.WriteLine($"sphere, seed {seed}: max error {error:G3}, f(m) {r.ConsensusValue:G3}, {r.Steps} steps");
            Assert.True(error < 0.01, $"seed {seed}: max error {error}");
        }
    }

    /// <summary>
    /// Ackley in d = 20 at the setting of Pinnau, Totzeck, Tse &amp; Martin (2017) as reported (N = 50–200, α = 30, λ = 1,
    /// σ = 5, Δt = 0.01, T = 10, minimiser 𝟙, start uniform on [−3, 3]²⁰; they report 100 % success), with the anisotropic
    /// noise of Carrillo, Jin, Li &amp; Zhu (2021): the scaled-down reproduction (8 seeds) succeeded 7 of 8 times at
    /// N = 50 (seed 1 failed) and 8 of 8 at N = 100 and 200 (docs/sampling.md, "CBO in d = 20: paper vs Drift"); the
    /// test runs N = 100 on seeds 1 and 2 (about 2·10⁶ coordinate updates each).
    /// </summary>
    [Fact]
    public void Ackley_in_20_dimensions_at_the_papers_setting()
    {
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            var r = Cbo.Minimize(new Ackley(20, 1), new CboOptions { Particles = 100, Alpha = 30, Lambda = 1, Sigma = 5, StepSize = 0.01, Steps = 1000, Seed = seed, Threads = 1 });
            output.WriteLine($"ackley, seed {seed}: max error {r.Consensus.ToArray().Max(v => Math.Abs(v - 1)):G3}, f(m) {r.ConsensusValue:G3}");
            Assert.True(Succeeded(r), $"seed {seed}: max error {r.Consensus.ToArray().Max(v => Math.Abs(v - 1))}");
        }
    }

    [Fact]
    public void A_huge_alpha_does_not_underflow_the_weights()
    {
        // Rastrigin at x ≈ 0.5 is ≈ 20.25, so α f ≈ 2·10⁷: e^{−α f} underflows to 0 for every particle unless min f is
        // subtracted first (log-sum-exp); then m_α is a convex combination of the particles, inside their box.
        var r = Cbo.Minimize(new Rastrigin(1, 0), new CboOptions { Particles = 2, Alpha = 1e6, Steps = 1, Sigma = 0, Lambda = 1, StepSize = 1, InitialLow = 0.5, InitialHigh = 0.5000001 });
        Assert.True(double.IsFinite(r.Consensus[0]));
        Assert.InRange(r.Consensus[0], 0.5, 0.5000001);
    }
}
