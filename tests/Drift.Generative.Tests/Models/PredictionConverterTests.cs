using Drift.Generative.Models;
using Drift.Generative.Schedules;

namespace Drift.Generative.Tests.Models;

public class PredictionConverterTests
{
    [Theory]
    [InlineData("vp", 0.4)]
    [InlineData("edm", 3.0)]
    [InlineData("rf", 0.35)]
    [InlineData("subvp", 0.2)]
    public void Every_parameterisation_converts_to_every_other_exactly(string name, double t)
    {
        var s = Tests.Schedules.ScheduleTests.Make(name);
        double a = s.Alpha(t), sg = s.Sigma(t), da = s.AlphaDerivative(t), ds = s.SigmaDerivative(t);
        double[] x0 = [0.3, -1.2, 2.0], eps = [1.1, 0.4, -0.7];
        var x = x0.Zip(eps, (p, q) => a * p + sg * q).ToArray();
        double[] Truth(Prediction p) => p switch
        {
            Prediction.Data => x0,
            Prediction.Noise => eps,
            Prediction.V => x0.Zip(eps, (p0, e) => a * e - sg * p0).ToArray(),
            Prediction.Score => eps.Select(e => -e / sg).ToArray(),
            _ => x0.Zip(eps, (p0, e) => da * p0 + ds * e).ToArray(),
        };
        foreach (var from in Enum.GetValues<Prediction>())
            foreach (var to in Enum.GetValues<Prediction>())
            {
                var v = Truth(from).ToArray();
                PredictionConverter.Convert(s, t, x, v, from, to);
                var want = Truth(to);
                var (cx, co) = PredictionConverter.Coefficients(s, t, from, to);
                var source = Truth(from);
                for (int i = 0; i < 3; i++)
                {
                    Assert.Equal(want[i], v[i], 1e-10 * Math.Max(1, Math.Abs(want[i])));
                    // The same conversion as one affine map target = a·x + b·output (what a divergence converts by).
                    Assert.Equal(want[i], cx * x[i] + co * source[i], 1e-10 * Math.Max(1, Math.Abs(want[i])));
                }
            }
    }
}
