using System.Reflection;
using Drift.Brownian.Fractional;
using Drift.Ensembles;
using Drift.Models;
using Drift.Models.Chaos;
using Drift.Models.Finance;
using Drift.Models.Physics;
using Drift.Models.Text;
using Drift.Potentials;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve;

/// <summary>
/// <see cref="IDrift.TimeIndependent"/> and <see cref="IDiffusion.TimeIndependent"/> send adaptive ensembles to the
/// SIMD-lane loop, which time-changes each path's step and so gives wrong results for an f or g that reads t: every
/// declaration must be honest, and text models must detect it from their expressions.
/// </summary>
public class TimeIndependenceTests
{
    private const string Autonomous = """
        param theta = 1.0
        param sigma = 0.5
        state x = 0.2
        state y = 1.0
        dx = theta*(y - x)*dt + sigma*dW1
        dy = -x*y*dt + sigma*sqrt(abs(y))*dW2
        """;

    [Fact]
    public void A_text_model_without_t_is_marked_time_independent_and_one_with_t_is_not()
    {
        var free = TextModel.Parse(Autonomous);
        Assert.True(free.TimeIndependent);
        Assert.True(free.Compile().TimeIndependent);
        foreach (var (from, to) in new[]
        {
            ("theta*(y - x)*dt", "theta*(y - x)*sin(t)*dt"),   // t in a drift, inside a call
            ("-x*y*dt", "-x*y*(1 + 0*t)*dt"),                  // t that cancels still counts: decided from the text
            ("sigma*sqrt(abs(y))*dW2", "sigma*sqrt(abs(y))*exp(-t)*dW2"), // t in a diffusion only
        })
        {
            var text = Autonomous.Replace(from, to, StringComparison.Ordinal);
            Assert.NotEqual(Autonomous, text);
            var model = TextModel.Parse(text);
            Assert.False(model.TimeIndependent, to);
            Assert.False(model.Compile().TimeIndependent, to);
        }
        Assert.False(default(TextSde).TimeIndependent);
    }

    [Fact]
    public void A_time_independent_text_model_runs_in_lanes_and_agrees_with_the_same_model_forced_path_by_path_in_law()
    {
        // Lanes and the per-path loop read different (equally distributed) Brownian paths: compare means within standard errors.
        var problem = TextModel.Parse(Autonomous).Problem(1.0);
        var options = new AdaptiveSdeOptions { Paths = 400, Seed = 5, Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = 3e-2, AbsoluteTolerance = 3e-2 } };
        var lanes = AdaptiveSde.Solve(problem, new Sriw1(), options);
        var perPath = AdaptiveSde.Solve(problem, new Sriw1(), options with { LaneWidth = -1 });
        Assert.Equal(SolveStatus.Success, lanes.Ensemble.Status);
        for (int i = 0; i < 2; i++)
        {
            var a = lanes.Ensemble.Final(i);
            var b = perPath.Ensemble.Final(i);
            double se = Math.Sqrt(a.StandardError * a.StandardError + b.StandardError * b.StandardError);
            Assert.True(Math.Abs(a.Mean - b.Mean) < 4.5 * se, $"component {i}: lanes {a.Mean}, per path {b.Mean} (se {se})");
        }
        // Different Brownian sources, so the bits differ: proof that the lanes ran.
        Assert.NotEqual(lanes.Ensemble.Final(0).Mean, perPath.Ensemble.Final(0).Mean);
    }

    /// <summary>One instance of every catalogue struct that declares time independence.</summary>
    private static IEnumerable<object> Declared()
    {
        yield return StochasticLorenz.Classic(2.0);
        yield return new OrnsteinUhlenbeck(1.0, 2.0, 0.5);
        yield return new GeometricBrownianMotion(0.05, 0.2);
        yield return new LogPriceDiffusion(0.01, 0.2);
        yield return new Heston(HestonParameters.Example);
        yield return new CoxIngersollRoss(1.0, 0.5, 0.3);
        yield return ChaosCatalogue.Find("lorenz").Flow(noise: 0.5);
        yield return new MarkovFractionalNoise(new MarkovFbmApproximation(0.3, 4, 1.0));
        yield return new ActiveBrownianParticles(particles: 2, speed: 1, translationalDiffusion: 0.1, rotationalDiffusion: 0.5, stiffness: 1, diameter: 1, box: 10);
        yield return new UnderdampedLangevin<HarmonicPotential>(new HarmonicPotential(2, 1.5), 0.7, 2.0);
        yield return new OverdampedLangevin<HarmonicPotential>(new HarmonicPotential(2, 1.5), 2.0);
        yield return TextModel.Parse(Autonomous).Compile();
    }

    [Fact]
    public void Every_declaration_of_time_independence_is_checked_and_honest()
    {
        // Every public model type that declares the property must be in Declared() (so a new declaration gets checked).
        var declaring = typeof(IDrift).Assembly.GetExportedTypes()
            .Where(t => t.IsValueType && (typeof(IDrift).IsAssignableFrom(t) || typeof(IDiffusion).IsAssignableFrom(t))
                && t.GetProperty(nameof(IDrift.TimeIndependent), BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly) is not null)
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .ToHashSet();
        var checkedTypes = Declared().Select(m => m.GetType()).Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t).ToHashSet();
        Assert.Empty(declaring.Except(checkedTypes).Select(t => t.Name));
        var check = typeof(TimeIndependenceTests).GetMethod(nameof(AssertHonest), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var model in Declared())
            check.MakeGenericMethod(model.GetType()).Invoke(null, [model]);
    }

    /// <summary>A model that declares time independence: f(t, x) and g(t, x) the same bits at several t.</summary>
    private static void AssertHonest<T>(T model) where T : struct, IDrift, IDiffusion
    {
        IDrift drift = model;
        IDiffusion diffusion = model;
        Assert.True(drift.TimeIndependent && diffusion.TimeIndependent, typeof(T).Name);
        const int Paths = 5;
        int d = drift.Dimension, rows = d * Math.Max(diffusion.NoiseDimension, 1);
        var rng = new System.Random(3);
        var x = new double[d * Paths];
        for (int i = 0; i < x.Length; i++) x[i] = 0.5 + rng.NextDouble();
        double[]? f0 = null, g0 = null;
        foreach (double t in new[] { 0.0, 0.37, 5.0, 123.25 })
        {
            var f = new double[d * Paths];
            var g = new double[rows * Paths];
            var copy = model;
            EvaluateDrift(ref copy, t, x, f, Paths);
            EvaluateDiffusion(ref copy, t, x, g, Paths);
            Assert.All(f, v => Assert.True(double.IsFinite(v), typeof(T).Name));
            if (f0 is null) (f0, g0) = (f, g);
            else
            {
                Assert.True(f0.SequenceEqual(f), $"{typeof(T).Name}: f depends on t");
                Assert.True(g0!.SequenceEqual(g), $"{typeof(T).Name}: g depends on t");
            }
        }
    }

    private static void EvaluateDrift<T>(ref T model, double t, double[] x, double[] dx, int paths) where T : struct, IDrift
        => model.Evaluate(t, x, dx, paths);

    private static void EvaluateDiffusion<T>(ref T model, double t, double[] x, double[] g, int paths) where T : struct, IDiffusion
        => model.Evaluate(t, x, g, paths);
}
