using Drift.Ensembles;
using Drift.Models;
using Drift.Models.Finance;
using Drift.Random;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.JumpDiffusions;
using Drift.Solve.Sde;
using Xunit.Abstractions;

namespace Drift.Tests.Solve.JumpDiffusions;

/// <summary>
/// Jump-diffusions through <see cref="DiffEq"/>: without jumps they are the plain SDE bit for bit; results do not depend
/// on threads or chunks; fixed and adaptive steps see the same jump times; jump counts are Poisson (plain and thinned,
/// by chi-squared); a state-dependent intensity gives the closed-form mean and expected jump count.
/// </summary>
public class JumpDiffusionTests(ITestOutputHelper output)
{
    private static readonly SolveOptions Fixed = new() { Controller = ConstantStep.WithSteps(16), Paths = 2048, Seed = 7, KeepPaths = true, TrackQuantiles = false };
    private static readonly SolveOptions Adaptive = Fixed with { Controller = PidController.StochasticDefault, Paths = 256 };

    /// <summary>Counts jumps: every accepted candidate adds 1 to component <c>Counter</c>; the intensity is λ ≤ λ_max.</summary>
    private readonly struct Counter(double intensity, double maxIntensity) : IJumps
    {
        public int Dimension => 1;
        public double MaxIntensity => maxIntensity;
        public double Intensity(double t, ReadOnlySpan<double> x) => intensity;
        public void Jump(double t, Span<double> x, ref StepDraws marks) => x[0] += 1;
    }

    /// <summary>
    /// (X, N): dX = −κX dt + σ dW + J dN, N counts jumps, intensity λ(X) = a + bX clamped to [0, λ_max] (the clamp is
    /// never reached in practice: X stays far inside (−a/b, (λ_max − a)/b)).
    /// </summary>
    private readonly struct LinearIntensity(double a, double b, double size, double max) : IJumps
    {
        public int Dimension => 2;
        public double MaxIntensity => max;
        public double Intensity(double t, ReadOnlySpan<double> x) => Math.Clamp(a + b * x[0], 0, max);
        public void Jump(double t, Span<double> x, ref StepDraws marks)
        {
            x[0] += size;
            x[1] += 1;
        }
    }

    /// <summary>dX = −κX dt + σ dW on the first of two components; the counter has no drift or noise.</summary>
    private readonly struct DampedWithCounter(double kappa, double sigma) : IDrift, IDiffusion
    {
        public int Dimension => 2;
        public int NoiseDimension => 1;
        public NoiseKind Noise => NoiseKind.Additive;
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
        {
            for (int p = 0; p < paths; p++) dx[p] = -kappa * x[p];
            dx.Slice(paths, paths).Clear();
        }
        void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
        {
            g[..paths].Fill(sigma);
            g.Slice(paths, paths).Clear();
        }
    }

    private static void SameBits(Solution expected, Solution actual)
    {
        Assert.Equal(expected.Times, actual.Times);
        for (int s = 0; s < expected.Times.Count; s++)
            for (int i = 0; i < expected.Dimension; i++)
                Assert.True(expected.PathsAt(s, i).SequenceEqual(actual.PathsAt(s, i)), $"paths differ at save {s}, component {i}");
    }

    [Fact]
    public void Without_jumps_a_jump_diffusion_is_the_plain_SDE_bit_for_bit()
    {
        var gbm = new GeometricBrownianMotion(0.05, 0.4);
        var none = new NormalJumps(0, 0.1, 0.1);
        var options = Fixed with { Save = SaveAt.Times(0.25, 0.5, 1) };
        // One noise row (odd): the ensemble loop groups steps in pairs; the jump loop's source must give the same values.
        SameBits(DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1), new Milstein(Calculus.Ito), options),
            DiffEq.Solve(JumpSde.Problem(gbm, none, [1.0], 0, 1), new Milstein(Calculus.Ito), options));
        var nested = new Drift.Brownian.NestedBrownianIncrements(11, 0, 1, 64);
        SameBits(DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1), new EulerMaruyama(), nested, options),
            DiffEq.Solve(JumpSde.Problem(gbm, none, [1.0], 0, 1), new EulerMaruyama(), nested, options));
        // Adaptive: a plain SDE whose model declares itself free of t (GBM does) runs in SIMD lanes, whose Brownian source
        // (the RSwM queue) draws differently from the path-by-path loop that jump diffusions use; equal in law, not in
        // bits. The adaptive comparison therefore uses a model without that declaration, which both run path by path.
        var adaptive = Adaptive with { Save = SaveAt.Times(0.5, 1) };
        var damped = new DampedWithCounter(1.0, 0.3);
        SameBits(DiffEq.Solve(Sde.Problem(damped, [1.0, 0.0], 0, 1), new Sra1(), adaptive),
            DiffEq.Solve(JumpSde.Problem(damped, new NormalJumps(0, 0.1, 0.1, component: 0, dimension: 2), [1.0, 0.0], 0, 1), new Sra1(), adaptive));
    }

    [Fact]
    public void Results_are_bit_identical_on_any_thread_count_and_chunk_size()
    {
        var problem = JumpSde.Problem(new DampedWithCounter(1.0, 0.3), new LinearIntensity(2, 0.5, 0.5, 10), [0.0, 0.0], 0, 1);
        var one = DiffEq.Solve(problem, new EulerHeun(), Fixed with { Threads = 1, ChunkSize = 256 });
        SameBits(one, DiffEq.Solve(problem, new EulerHeun(), Fixed with { Threads = 2, ChunkSize = 1024 }));
        SameBits(one, DiffEq.Solve(problem, new EulerHeun(), Fixed with { Threads = 0, ChunkSize = 512 }));
        var adaptive = DiffEq.Solve(problem, new EulerHeun(), Adaptive with { Threads = 1, ChunkSize = 256 });
        SameBits(adaptive, DiffEq.Solve(problem, new EulerHeun(), Adaptive with { Threads = 2, ChunkSize = 512 }));
        Assert.True(one.Final(1).Mean > 1, "jumps happened");
    }

    [Theory]
    [InlineData(3.0, 3.0)]  // every candidate is a jump
    [InlineData(3.0, 7.5)]  // thinning keeps 40 % of the candidates
    public void Jump_counts_are_Poisson_by_chi_squared_and_the_same_under_fixed_and_adaptive_steps(double intensity, double maxIntensity)
    {
        var problem = JumpSde.Problem(new LogPriceDiffusion(0, 0.1), new Counter(intensity, maxIntensity), [0.0], 0, 1);
        var options = Fixed with { Paths = 20_000, Controller = ConstantStep.WithSteps(7) };
        var solution = DiffEq.Solve(problem, new EulerMaruyama(), options);
        // N(1) = X(1) − σW(1): the diffusion adds no integer part, and the Brownian part is N(0, 0.01); count by rounding.
        var counts = new long[12];
        foreach (double x in solution.PathsAt(0, 0)) counts[Math.Min(11, (int)Math.Round(x))]++;
        double chi2 = 0, mean = intensity, pmf = Math.Exp(-mean), tail = 1;
        int bins = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            double probability = k == counts.Length - 1 ? tail : pmf;
            double expected = probability * options.Paths;
            chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
            bins++;
            tail -= pmf;
            pmf *= mean / (k + 1);
        }
        double p = 1 - GammaOracle.RegularizedLower(0.5 * (bins - 1), 0.5 * chi2);
        output.WriteLine($"λ = {intensity}, λ_max = {maxIntensity}: χ² = {chi2:F2} on {bins - 1} dof, p = {p:F3}; counts {string.Join(' ', counts)}");
        Assert.True(p > 1e-3, $"chi-squared p-value {p}");

        // Same seed, adaptive steps: the same candidate times and thinning uniforms, hence the same count on each path.
        var adaptive = DiffEq.Solve(problem, new EulerHeun(), options with { Controller = PidController.StochasticDefault, Paths = 256 });
        var fixedCounts = solution.PathsAt(0, 0)[..256].ToArray().Select(x => Math.Round(x)).ToArray();
        var adaptiveCounts = adaptive.PathsAt(0, 0).ToArray().Select(x => Math.Round(x)).ToArray();
        Assert.Equal(fixedCounts, adaptiveCounts);
    }

    [Fact]
    public void A_state_dependent_intensity_gives_the_closed_form_mean_and_jump_count()
    {
        // dX = −κX dt + σ dW + J dN, λ(X) = a + bX: m′ = −(κ − Jb)m + Ja, so with c = κ − Jb and X0 = 0
        // E X_t = (Ja/c)(1 − e^{−ct}) and E N_t = ∫(a + b m) = at + (bJa/c)(t − (1 − e^{−ct})/c).
        double kappa = 1, sigma = 0.3, a = 2, b = 0.5, size = 0.5, t = 1;
        double c = kappa - size * b;
        double mean = size * a / c * -double.ExpM1(-c * t);
        double count = a * t + b * size * a / c * (t - -double.ExpM1(-c * t) / c);
        var problem = JumpSde.Problem(new DampedWithCounter(kappa, sigma), new LinearIntensity(a, b, size, 10), [0.0, 0.0], 0, t);
        var fixedStep = DiffEq.Solve(problem, new EulerHeun(), Fixed with { Controller = ConstantStep.WithSteps(100), Paths = 20_000 });
        var adaptive = DiffEq.Solve(problem, new EulerHeun(), Adaptive with { Paths = 2048, Controller = PidController.StochasticDefault with { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3 } });
        foreach (var (name, solution) in new[] { ("fixed", fixedStep), ("adaptive", adaptive) })
        {
            var x = solution.Final(0);
            var n = solution.Final(1);
            double xSe = Math.Sqrt(x.Variance / x.Count), nSe = Math.Sqrt(n.Variance / n.Count);
            output.WriteLine($"{name}: E X = {x.Mean:F4} ± {xSe:F4} (exact {mean:F4}), E N = {n.Mean:F4} ± {nSe:F4} (exact {count:F4})");
            Assert.True(Math.Abs(x.Mean - mean) < 5 * xSe, $"{name}: E X = {x.Mean} ± {xSe} vs {mean}");
            Assert.True(Math.Abs(n.Mean - count) < 5 * nSe, $"{name}: E N = {n.Mean} ± {nSe} vs {count}");
        }
    }

    [Fact]
    public void An_intensity_above_its_bound_fails_the_path_and_unsupported_solvers_are_refused()
    {
        var problem = JumpSde.Problem(new LogPriceDiffusion(0, 0.1), new Counter(2, 1), [0.0], 0, 1);
        var solution = DiffEq.Solve(problem, new EulerMaruyama(), Fixed with { Paths = 256 });
        Assert.Equal(SolveStatus.NonFinite, solution.Status);
        Assert.True(solution.Failures[0].Time > 0 && solution.Failures[0].Time <= 1);
        var adaptive = DiffEq.Solve(problem, new EulerHeun(), Adaptive with { Paths = 256 });
        Assert.Equal(SolveStatus.NonFinite, adaptive.Status);

        var fine = JumpSde.Problem(new LogPriceDiffusion(0, 0.1), new Counter(1, 1), [0.0], 0, 1);
        Assert.Contains("Lévy", Assert.Throws<ArgumentException>(() => DiffEq.Solve(fine, new Sra1(), Fixed)).Message);
        Assert.Throws<ArgumentException>(() => DiffEq.Solve(fine, new ReversibleHeun(), Fixed));
        Assert.Throws<ArgumentException>(() => JumpSde.Problem(new LogPriceDiffusion(0, 0.1), new NormalJumps(1, 0, 0, 0, 2), [0.0], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NormalJumps(double.NaN, 0, 0));
    }
}
