using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Generative.Training;
using Xunit.Abstractions;

namespace Drift.Generative.Training.Tests;

public class DiagnosticTests(ITestOutputHelper output)
{
    [Fact]
    public void Diag_threads()
    {
        var data = PointDatasets.Generate("eight-gaussians", 1000, 4);
        var cases = new (string, DiffusionTrainingOptions)[]
        {
            ("mlp-indep-dsm", new() { Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2), BatchSize = 192, EmaDecay = 0 }),
            ("resmlp-indep-dsm", new() { Network = new NetworkSpec(NetworkKind.ResidualMlp, 2, 32, 2), BatchSize = 192, EmaDecay = 0 }),
            ("resmlp-labels", new() { Network = new NetworkSpec(NetworkKind.ResidualMlp, 2, 32, 2, 8), BatchSize = 192, EmaDecay = 0 }),
            ("mlp-labels", new() { Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2, 8), BatchSize = 192, EmaDecay = 0 }),
            ("mlp-edm", new() { Objective = DiffusionObjective.Edm(), Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2), BatchSize = 192, EmaDecay = 0 }),
            ("mlp-sb", new() { Coupling = Coupling.Entropic, Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2), BatchSize = 192, EmaDecay = 0 }),
            ("mlp-ema", new() { Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2), BatchSize = 192, EmaDecay = 0.9 }),
            ("mlp-noclip", new() { Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2), BatchSize = 192, EmaDecay = 0, ClipNorm = null }),
        };
        foreach (var (name, o) in cases)
        {
            var results = new List<double[]>();
            foreach (int threads in new[] { 1, 1, 2 })
            {
                using var t = new DiffusionTrainer<double>(data.Points, o.Network.Classes > 0 ? data.Labels : null, o with { Threads = threads });
                var sw = System.Diagnostics.Stopwatch.StartNew();
                for (int k = 0; k < 3; k++) t.Step();
                results.Add([.. t.Network.Parameters().SelectMany(p => p.ToArray())]);
                output.WriteLine($"{name} threads {threads}: {sw.ElapsedMilliseconds} ms");
            }
            output.WriteLine($"{name}: 1==1 {results[0].AsSpan().SequenceEqual(results[1])}, 1==2 {results[0].AsSpan().SequenceEqual(results[2])}");
        }
    }
}
