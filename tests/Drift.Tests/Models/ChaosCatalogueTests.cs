using Drift.Ensembles;
using Drift.Models.Chaos;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Models;

public class ChaosCatalogueTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var s in ChaosCatalogue.All) data.Add(s.Name);
        return data;
    }

    [Fact]
    public void Catalogue_holds_at_least_forty_documented_flows_with_unique_names()
    {
        Assert.True(ChaosCatalogue.All.Count >= 40, $"{ChaosCatalogue.All.Count} flows");
        Assert.Equal(ChaosCatalogue.All.Count, ChaosCatalogue.All.Select(s => s.Name.ToUpperInvariant()).Distinct().Count());
        foreach (var s in ChaosCatalogue.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Citation), s.Name);
            Assert.Contains("dx", s.Equations, StringComparison.Ordinal);
            Assert.Equal(s.ParameterNames.Count, s.DefaultParameters.Count);
            Assert.Equal(s.Dimension, s.Flow().Dimension);
            Assert.True(s.PublishedMaximalLyapunov > 0, s.Name);
        }
        foreach (string name in new[] { "Lorenz", "Rossler", "Chen", "LuChen", "Chua", "Duffing", "Thomas", "Halvorsen", "Aizawa", "SprottA", "SprottS", "Lorenz96" })
            Assert.NotNull(ChaosCatalogue.TryFind(name));
        Assert.Same(ChaosCatalogue.Find("sprott-a"), ChaosCatalogue.Find("SprottA"));
        Assert.Throws<ArgumentException>(() => ChaosCatalogue.Find("nope"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Hand_written_jacobian_matches_central_differences(string name)
    {
        var system = ChaosCatalogue.Find(name);
        var flow = system.Flow();
        int d = system.Dimension;
        var rng = new System.Random(7);
        for (int trial = 0; trial < 3; trial++)
        {
            double[] x = system.InitialState.Select(v => v + (trial == 0 ? 0 : 0.3 * (rng.NextDouble() - 0.5) * (1 + Math.Abs(v)))).ToArray();
            var j = new double[d * d];
            flow.Jacobian(0, x, j);
            var plus = new double[d];
            var minus = new double[d];
            for (int c = 0; c < d; c++)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(x[c]));
                double[] xp = (double[])x.Clone(), xm = (double[])x.Clone();
                xp[c] += h;
                xm[c] -= h;
                flow.EvaluateOne(xp, plus);
                flow.EvaluateOne(xm, minus);
                for (int r = 0; r < d; r++)
                {
                    double fd = (plus[r] - minus[r]) / (2 * h);
                    double scale = Math.Max(1, Math.Abs(fd));
                    Assert.True(Math.Abs(fd - j[r * d + c]) < 1e-5 * scale, $"{name}: J[{r},{c}] = {j[r * d + c]}, finite difference {fd} at x = ({string.Join(", ", x)})");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Batch_evaluation_gives_every_path_the_bits_of_a_lone_state(string name)
    {
        var system = ChaosCatalogue.Find(name);
        var flow = system.Flow();
        int d = system.Dimension, paths = 13;
        var x = new double[d * paths];
        for (int p = 0; p < paths; p++)
            for (int i = 0; i < d; i++) x[i * paths + p] = system.InitialState[i] * (1 + 0.01 * p) + 0.001 * i;
        var dx = new double[d * paths];
        flow.Evaluate(0, x, dx, paths);
        var one = new double[d];
        var lone = new double[d];
        for (int p = 0; p < paths; p++)
        {
            for (int i = 0; i < d; i++) one[i] = x[i * paths + p];
            flow.EvaluateOne(one, lone);
            for (int i = 0; i < d; i++) Assert.Equal(lone[i], dx[i * paths + p]);
        }
    }

    [Fact]
    public void Stochastic_flow_spreads_paths_and_does_not_depend_on_threads()
    {
        var system = ChaosCatalogue.Find("Thomas");
        var flow = system.Flow(noise: 0.3);
        var problem = new SdeProblem<ChaoticFlow, ChaoticFlow>(flow, flow, [.. system.InitialState], 0, 2);
        Solution Run(int threads) => DiffEq.Solve(problem, new Sra1(), new SolveOptions { Controller = ConstantStep.WithSteps(200), Paths = 1000, Seed = 3, Threads = threads, ChunkSize = 256 });
        var a = Run(1);
        var b = Run(2);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(a.Final(i).Mean, b.Final(i).Mean);
            Assert.True(a.Final(i).StandardDeviation > 0.05, $"component {i} spread {a.Final(i).StandardDeviation}");
        }
        var quiet = system.Flow(noise: 0);
        var still = DiffEq.Solve(new SdeProblem<ChaoticFlow, ChaoticFlow>(quiet, quiet, [.. system.InitialState], 0, 2), new Sra1(),
            new SolveOptions { Controller = ConstantStep.WithSteps(200), Paths = 256, Seed = 3 });
        Assert.Equal(0, still.Final(0).StandardDeviation, 12);
    }

    [Fact]
    public void Parameters_are_validated_and_named_overrides_apply()
    {
        var lorenz = ChaosCatalogue.Find("Lorenz");
        Assert.Throws<ArgumentException>(() => lorenz.Flow([1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => lorenz.Flow(noise: -1));
        Assert.Throws<ArgumentException>(() => lorenz.Flow(new Dictionary<string, double> { ["kappa"] = 1 }));
        var flow = lorenz.Flow(new Dictionary<string, double> { ["rho"] = 10 });
        Assert.Equal(10, flow.Parameters[1]);
        Assert.Equal(10, flow.Parameters[2]);
    }
}
