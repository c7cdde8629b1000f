using Drift.Generative.Grids;
using Drift.Generative.Models;

namespace Drift.Generative.Samplers;

/// <summary>
/// Euler–Maruyama on the family of generative SDEs with tunable diffusion ε(t) ≥ 0 that all share the marginals p_t
/// (Albergo, Boffi &amp; Vanden-Eijnden 2023, "Stochastic interpolants", §2.3; Karras et al. 2022, Eq. 6):
/// dx = [v(x, t) − ε(t)·s(x, t)]dt + √(2ε(t)) dW̄, integrated from t_i down to t_{i+1}, with v = f x − ½g²s the
/// probability-flow velocity and s the score:
/// x ← x + (v − ε s)(t_{i+1} − t_i) + √(2ε(t_i)(t_i − t_{i+1}))·z. ε = 0 is the probability-flow ODE (Euler), ε = g²/2
/// the reverse-time SDE of Anderson (1982) (then identical to <see cref="EulerMaruyamaSampler"/>); larger ε adds Langevin
/// correction. NFE = 1 per step; weak order 1.
/// </summary>
public sealed class TunableNoiseSampler : DiffusionSampler
{
    private readonly Func<double, double>? _epsilon;

    /// <summary>ε(t) = <paramref name="scale"/>·g²(t)/2 (0: probability-flow ODE, 1: reverse SDE).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite scale.</exception>
    public TunableNoiseSampler(double scale)
    {
        if (!(scale >= 0) || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the noise scale must be finite and ≥ 0.");
        Scale = scale;
    }

    /// <summary>A caller-given ε(t) ≥ 0 (evaluated at the start of each step).</summary>
    public TunableNoiseSampler(Func<double, double> epsilon)
    {
        ArgumentNullException.ThrowIfNull(epsilon);
        _epsilon = epsilon;
        Scale = double.NaN;
    }

    /// <summary>The scale c of ε = c·g²/2 (NaN when ε is a caller's function).</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    public override string Name => "sde-tunable";
    /// <inheritdoc/>
    public override bool IsStochastic => true;
    /// <inheritdoc/>
    protected internal override int BufferCount => 1;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(context);
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
            double eps = _epsilon is null ? 0.5 * Scale * g2 : _epsilon(t);
            if (!(eps >= 0) || !double.IsFinite(eps)) throw new InvalidOperationException($"ε({t}) = {eps}; the diffusion must be finite and ≥ 0.");
            double noise = Math.Sqrt(2 * eps * -dt);
            var z = context.Noise(i, 0);
            double cx = 1 + f * dt, cs = (-0.5 * g2 - eps) * dt;
            for (int k = 0; k < x.Length; k++) x[k] = cx * x[k] + cs * s[k] + noise * z[k];
        }
    }
}
