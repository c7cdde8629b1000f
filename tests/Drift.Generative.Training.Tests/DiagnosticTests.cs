using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Generative.Training;
using Drift.Learning.Autodiff;
using Xunit.Abstractions;

namespace Drift.Generative.Training.Tests;

public class DiagnosticTests(ITestOutputHelper output)
{
    [Fact]
    public void Diag_threads()
    {
        var data = PointDatasets.Generate("eight-gaussians", 1000, 4);
        var o = new DiffusionTrainingOptions { Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2), BatchSize = 192, EmaDecay = 0, ClipNorm = null, Threads = 1 };
        using var a = new DiffusionTrainer<double>(data.Points, null, o);
        using var b = new DiffusionTrainer<double>(data.Points, null, o);
        double[] W(DiffusionTrainer<double> t) => [.. t.Network.Parameters().SelectMany(p => p.ToArray())];
        output.WriteLine($"init equal {W(a).AsSpan().SequenceEqual(W(b))}");
        var x = Tensor<double>.Wrap([.. Enumerable.Range(0, 400).Select(i => Math.Sin(i * 0.37))], 200, 2);
        var tau = Tensor<double>.Wrap([.. Enumerable.Range(0, 200).Select(i => 5.0 * i)], 200);
        double[] fa, fb, fa2;
        using (GradMode.NoGrad())
        {
            fa = a.Network.Forward(x, tau, default).ToArray();
            fb = b.Network.Forward(x, tau, default).ToArray();
            fa2 = a.Network.Forward(x, tau, default).ToArray();
        }
        output.WriteLine($"forward equal a/b {fa.AsSpan().SequenceEqual(fb)}, a/a {fa.AsSpan().SequenceEqual(fa2)}");
        for (int k = 0; k < 3; k++)
        {
            var sa = a.Step();
            var sb = b.Step();
            output.WriteLine($"step {k}: loss {sa.Loss:R} vs {sb.Loss:R}, grad norm {sa.GradientNorm:R} vs {sb.GradientNorm:R}, weights equal {W(a).AsSpan().SequenceEqual(W(b))}");
        }
    }
}
