using Drift.Ensembles;
using Drift.Models.Physics;
using Drift.Potentials;
using Drift.Solve;
using Drift.Solve.Sde;
using Xunit.Abstractions;

namespace Drift.Tests.Models;

public class PhysicsModelsTests(ITestOutputHelper output)
{
    [Fact]
    public void Overdamped_double_well_reaches_the_Boltzmann_density_computed_by_quadrature()
    {
        const double beta = 2;
        var model = new OverdampedLangevin<DoubleWellPotential>(new DoubleWellPotential(1), beta);
        // Start on the barrier top: the law stays symmetric, so only the fast intra-well modes must relax.
        var solution = DiffEq.Solve(new SdeProblem<OverdampedLangevin<DoubleWellPotential>, OverdampedLangevin<DoubleWellPotential>>(model, model, [0.0], 0, 6),
            new Sra1(), new SolveOptions { Controller = ConstantStep.WithSize(0.005), Paths = 20_000, Seed = 12, KeepPaths = true, TrackQuantiles = false });
        var x = solution.PathsAt(0, 0).ToArray();

        // Quadrature oracle: trapezoid rule for ∫e^{−βU} on [−3, 3] with 60 001 nodes.
        const int nodes = 60_001;
        double a = -3, h = 6.0 / (nodes - 1);
        var cdf = new double[nodes];
        double Density(double z) => Math.Exp(-beta * (z * z - 1) * (z * z - 1));
        double secondMoment = 0;
        for (int i = 1; i < nodes; i++)
        {
            double z0 = a + (i - 1) * h, z1 = z0 + h;
            cdf[i] = cdf[i - 1] + 0.5 * h * (Density(z0) + Density(z1));
            secondMoment += 0.5 * h * (z0 * z0 * Density(z0) + z1 * z1 * Density(z1));
        }
        double z = cdf[^1];
        secondMoment /= z;
        double Cdf(double v) => v <= a ? 0 : v >= 3 ? 1 : cdf[(int)Math.Round((v - a) / h)] / z;

        double p = StatisticalTests.KolmogorovSmirnovPValue(x, Cdf);
        double m2 = x.Average(v => v * v), se = Math.Sqrt(x.Select(v => (v * v - m2) * (v * v - m2)).Sum() / (x.Length - 1) / x.Length);
        output.WriteLine($"KS p = {p:G3}; <x^2> = {m2:F5} ± {se:F5} vs quadrature {secondMoment:F5}");
        Assert.True(p > 1e-3, $"KS p = {p}");
        Assert.True(Math.Abs(m2 - secondMoment) < 4.5 * se);
    }

    [Fact]
    public void Underdamped_Langevin_SDE_equilibrates_to_the_harmonic_Gibbs_law()
    {
        const double beta = 2, k = 1.5, mass = 2;
        var model = new UnderdampedLangevin<HarmonicPotential>(new HarmonicPotential(1, k), friction: 1, inverseTemperature: beta, mass: mass);
        var solution = DiffEq.Solve(new SdeProblem<UnderdampedLangevin<HarmonicPotential>, UnderdampedLangevin<HarmonicPotential>>(model, model, [0.0, 0.0], 0, 20),
            new Sra1(), new SolveOptions { Controller = ConstantStep.WithSize(0.01), Paths = 20_000, Seed = 13 });
        var q = solution.Final(0);
        var p = solution.Final(1);
        double q2 = q.Variance + q.Mean * q.Mean, p2 = p.Variance + p.Mean * p.Mean;
        double q2Se = Math.Sqrt(2.0 / q.Count) * q2, p2Se = Math.Sqrt(2.0 / p.Count) * p2;
        output.WriteLine($"<q^2> = {q2:F4} (1/(beta k) = {1 / (beta * k):F4}), <p^2> = {p2:F4} (M/beta = {mass / beta:F4})");
        Assert.True(Math.Abs(q2 - 1 / (beta * k)) < 4.5 * q2Se);
        Assert.True(Math.Abs(p2 - mass / beta) < 4.5 * p2Se);
    }

    [Fact]
    public void Free_active_Brownian_particles_have_the_exact_mean_square_displacement()
    {
        var model = new ActiveBrownianParticles(particles: 2, speed: 1, translationalDiffusion: 0.1, rotationalDiffusion: 0.5, stiffness: 0, diameter: 1, box: 10);
        double[] x0 = [1, 6, 1, 6, 0, 1];
        var save = SaveAt.Times([0.5, 2, 5]);
        var solution = DiffEq.Solve(new SdeProblem<ActiveBrownianParticles, ActiveBrownianParticles>(model, model, x0, 0, 5),
            new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSize(0.005), Paths = 10_000, Seed = 14, KeepPaths = true, TrackQuantiles = false, Save = save });
        for (int s = 0; s < solution.Times.Count; s++)
        {
            double t = solution.Times[s];
            var displacement = new List<double>();
            for (int i = 0; i < 2; i++)
            {
                var x = solution.PathsAt(s, i);
                var y = solution.PathsAt(s, 2 + i);
                for (int path = 0; path < x.Length; path++)
                    displacement.Add((x[path] - x0[i]) * (x[path] - x0[i]) + (y[path] - x0[2 + i]) * (y[path] - x0[2 + i]));
            }
            double msd = displacement.Average(), se = Math.Sqrt(displacement.Sum(v => (v - msd) * (v - msd)) / (displacement.Count - 1) / displacement.Count);
            double exact = model.FreeMeanSquareDisplacement(t);
            output.WriteLine($"t = {t}: MSD {msd:F4} ± {se:F4}, exact {exact:F4}");
            Assert.True(Math.Abs(msd - exact) < 4.5 * se, $"t = {t}: {msd} ± {se} vs {exact}");
        }
    }

    [Fact]
    public void Soft_repulsion_is_pairwise_antisymmetric_and_acts_across_the_periodic_boundary()
    {
        var model = new ActiveBrownianParticles(particles: 3, speed: 0, translationalDiffusion: 0, rotationalDiffusion: 0, stiffness: 10, diameter: 1, box: 5);
        double[] x = [0.1, 4.6, 2.5, 0.2, 0.0, 2.5, 0, 0, 0];   // particles 0 and 1 overlap through x = 0 ≡ 5
        var dx = new double[9];
        model.Evaluate(0, x, dx, 1);
        Assert.Equal(0, dx[0] + dx[1] + dx[2], 12);
        Assert.Equal(0, dx[3] + dx[4] + dx[5], 12);
        Assert.True(dx[0] > 0 && dx[1] < 0, "the pair is pushed apart through the boundary");
        Assert.Equal(0, dx[2]);
    }
}
