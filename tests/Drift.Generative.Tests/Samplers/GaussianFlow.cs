using Drift.Numerics;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;

namespace Drift.Generative.Tests.Samplers;

/// <summary>The closed-form probability-flow map of a single Gaussian N(μ, Σ): in Σ's eigenbasis
/// (x_t − α_tμ)_i/√(α_t²λ_i + σ_t²) is constant along the flow.</summary>
internal static class GaussianFlow
{
    public static GaussianMixture Target { get; } = new([1.0], [[1.0, -0.5]], [[0.4, 0.25, 0.25, 0.2]]);

    public static double[] Exact(NoiseSchedule sch, double from, double to, ReadOnlySpan<double> x, int samples)
    {
        var m = Target;
        int d = m.Dimension;
        var (ev, u) = SymmetricEigen.Decompose(m.ComponentCovariance(0), d);
        double aS = sch.Alpha(from), sS = sch.Sigma(from), aT = sch.Alpha(to), sT = sch.Sigma(to);
        var mu = m.ComponentMean(0);
        var result = new double[samples * d];
        var z = new double[d];
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = 0;
                for (int i = 0; i < d; i++) v += u[i * d + j] * (x[s * d + i] - aS * mu[i]);
                z[j] = v * Math.Sqrt((aT * aT * ev[j] + sT * sT) / (aS * aS * ev[j] + sS * sS));
            }
            for (int i = 0; i < d; i++)
            {
                double v = aT * mu[i];
                for (int j = 0; j < d; j++) v += u[i * d + j] * z[j];
                result[s * d + i] = v;
            }
        }
        return result;
    }
}
