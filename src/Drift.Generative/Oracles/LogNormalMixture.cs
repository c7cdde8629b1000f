using Drift.Generative.Models;
using Drift.Generative.Schedules;

namespace Drift.Generative.Oracles;

/// <summary>
/// A log-normal mixture of positive data: X₀ = exp(Y₀) coordinate-wise with Y₀ ~ <see cref="LogMixture"/> (a
/// Gaussian mixture), and its exact law under the geometric-Brownian forward process
/// dX = g(t)·X ∘ dW (Itô, coordinate-wise, no drift) of "Dale meets Langevin" (Shetty, Prasath &amp; Seelamantula 2025).
/// </summary>
/// <remarks>
/// <para>With β(t) = ∫₀ᵗ g², Itô's formula gives Y = log X: dY = −½g² dt + g dW, so
/// Y_t = Y₀ − β/2 + √β ε and X_t is again a log-normal mixture: log X_t ~ Σ π_k N(μ_k − β/2, Σ_k + βI). GBM has no
/// drift, so E[X_t] = E[X₀] = Σ_k π_k exp(μ_k + diag Σ_k/2) at every t. The shifted variable
/// Ỹ = log X + β/2 follows the variance-exploding process Ỹ_t = Y₀ + √β ε exactly, so the model of Ỹ on a schedule
/// with α ≡ 1 and σ(t)² = β(t) is <see cref="AsLogSpaceModel"/>, and the Hyvärinen score x∘∇ₓlog p_t(x) is
/// s(Ỹ) − 1 with s the score of Ỹ (p_X(x) = q(log x)/∏x gives ∇ₓlog p_X = (s_q − 1)/x).</para>
/// </remarks>
public sealed class LogNormalMixture
{
    /// <summary>Creates the mixture of exp(Y₀), Y₀ ~ <paramref name="logMixture"/>.</summary>
    public LogNormalMixture(GaussianMixture logMixture)
    {
        ArgumentNullException.ThrowIfNull(logMixture);
        LogMixture = logMixture;
    }

    /// <summary>The Gaussian mixture of log X₀.</summary>
    public GaussianMixture LogMixture { get; }

    /// <summary>Data dimension.</summary>
    public int Dimension => LogMixture.Dimension;

    /// <summary>E[X_t] = Σ_k π_k exp(μ_k + diag Σ_k/2), the same for every t (GBM is a martingale).</summary>
    public double[] Mean()
    {
        int d = Dimension;
        var m = new double[d];
        for (int k = 0; k < LogMixture.ComponentCount; k++)
            for (int i = 0; i < d; i++)
                m[i] += LogMixture.Weights[k] * Math.Exp(LogMixture.ComponentMean(k)[i] + 0.5 * LogMixture.ComponentCovariance(k)[i * d + i]);
        return m;
    }

    /// <summary>Exact samples of X_t for β = <paramref name="beta"/>: exp of the mixture's samples at σ = √β, less β/2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">β negative or not finite.</exception>
    public void Sample(double beta, ulong seed, long firstSample, Span<double> destination, int samples)
    {
        if (!(beta >= 0) || !double.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and non-negative.");
        LogMixture.Sample(1, Math.Sqrt(beta), seed, firstSample, destination, samples);
        int n = samples * Dimension;
        for (int i = 0; i < n; i++) destination[i] = Math.Exp(destination[i] - 0.5 * beta);
    }

    /// <summary>The exact model of Ỹ = log X + β/2 on <paramref name="schedule"/> (α ≡ 1, β(t) = σ(t)²): the Gaussian mixture's model.</summary>
    /// <exception cref="ArgumentException">The schedule has α ≠ 1.</exception>
    public GaussianMixtureModel AsLogSpaceModel(NoiseSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.LogAlpha(schedule.DefaultStartTime) != 0 || schedule.LogAlpha(schedule.DefaultEndTime) != 0)
            throw new ArgumentException($"the log-space model of GBM needs a schedule with α ≡ 1 (ve or edm), got {schedule.Name}.", nameof(schedule));
        return LogMixture.AsModel(schedule, Prediction.Score);
    }

    /// <summary>The Hyvärinen score H = x∘∇ₓlog p_t(x) = s(log x + β/2) − 1 at β = <paramref name="beta"/>, for positive x.</summary>
    /// <exception cref="ArgumentException">A coordinate of x is not positive, or β is not positive.</exception>
    public void HyvarinenScore(double beta, ReadOnlySpan<double> x, Span<double> score, int samples)
    {
        if (!(beta > 0) || !double.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and positive.");
        int n = samples * Dimension;
        if (x.Length < n || score.Length < n) throw new ArgumentException($"x and score need {n} values.", nameof(x));
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!(x[i] > 0)) throw new ArgumentException($"x[{i}] = {x[i]} is not positive.", nameof(x));
            y[i] = Math.Log(x[i]) + 0.5 * beta;
        }
        LogMixture.Score(1, Math.Sqrt(beta), y, score, samples);
        for (int i = 0; i < n; i++) score[i] -= 1;
    }
}
