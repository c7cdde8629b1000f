using Drift.Generative.Grids;
using Drift.Generative.Models;

namespace Drift.Generative.Samplers;

/// <summary>
/// Euler–Maruyama on the reverse-time SDE (Anderson 1982; Song et al. 2021):
/// dx = [f(t)x − g²(t)∇log p_t(x)]dt + g(t)dW̄ integrated from t_i down to t_{i+1}:
/// x ← x + (f x − g² s)(t_{i+1} − t_i) + g(t_i)√(t_i − t_{i+1})·z. Weak order 1; NFE = 1 per step.
/// </summary>
public sealed class EulerMaruyamaSampler : DiffusionSampler
{
    /// <inheritdoc/>
    public override string Name => "euler-maruyama";
    /// <inheritdoc/>
    public override bool IsStochastic => true;
    /// <inheritdoc/>
    protected internal override int BufferCount => 1;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        var sch = g.Schedule;
        var s = context.Buffer(0);
        for (int i = 0; i < g.Steps; i++)
        {
            if (i == g.Steps - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, s, evaluate: true);
                break;
            }
            double t = g.Time(i), dt = g.Time(i + 1) - t;
            context.Predict(t, x, s, Prediction.Score);
            double f = sch.DriftCoefficient(t), g2 = sch.DiffusionSquared(t);
            double noise = Math.Sqrt(g2 * -dt);
            var z = context.Noise(i, 0);
            double cx = 1 + f * dt, cs = -g2 * dt;
            for (int k = 0; k < x.Length; k++) x[k] = cx * x[k] + cs * s[k] + noise * z[k];
        }
    }
}
