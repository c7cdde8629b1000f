using Drift.Generative.Schedules;

namespace Drift.Generative.Models;

/// <summary>
/// Exact conversions between model parameterisations at one time: every <see cref="Prediction"/> is
/// an affine function of the pair (x̂₀, ε̂) given x_t = α x̂₀ + σ ε̂, so each converts to any other.
/// </summary>
/// <remarks>
/// Inverse maps used: ε̂ → x̂₀ = (x − σε̂)/α; x̂₀ → ε̂ = (x − αx̂₀)/σ; v̂ → x̂₀ = (αx − σv̂)/(α² + σ²),
/// ε̂ = (σx + αv̂)/(α² + σ²); score → ε̂ = −σ·score; û → x̂₀ = (σ'x − σû)/(ασ' − σα'),
/// ε̂ = (αû − α'x)/(ασ' − σα'). Values divide by σ or α where the map needs it, so converting at σ = 0
/// (or α = 0) gives ±∞ or NaN exactly as the mathematics does.
/// </remarks>
public static class PredictionConverter
{
    /// <summary>Converts <paramref name="output"/> (a <paramref name="from"/> prediction at time t) into a <paramref name="to"/> prediction, in place.</summary>
    /// <param name="schedule">The schedule defining α, σ and their derivatives.</param>
    /// <param name="t">Time of the prediction.</param>
    /// <param name="x">The noisy input x_t, same length as <paramref name="output"/>.</param>
    /// <param name="output">The prediction; overwritten with the converted one.</param>
    /// <param name="from">Parameterisation of <paramref name="output"/> on entry.</param>
    /// <param name="to">Parameterisation wanted.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Convert(NoiseSchedule schedule, double t, ReadOnlySpan<double> x, Span<double> output, Prediction from, Prediction to)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (x.Length != output.Length)
            throw new ArgumentException($"x has {x.Length} values but output has {output.Length}.", nameof(output));
        if (from == to) return;
        double a = schedule.Alpha(t), s = schedule.Sigma(t);
        double da = 0, ds = 0;
        if (from == Prediction.Velocity || to == Prediction.Velocity)
        {
            da = schedule.AlphaDerivative(t);
            ds = schedule.SigmaDerivative(t);
        }
        Convert(a, s, da, ds, x, output, from, to);
    }

    /// <summary>As <see cref="Convert(NoiseSchedule, double, ReadOnlySpan{double}, Span{double}, Prediction, Prediction)"/> with α, σ and their time derivatives given (the derivatives matter only for <see cref="Prediction.Velocity"/>).</summary>
    public static void Convert(double alpha, double sigma, double alphaDot, double sigmaDot, ReadOnlySpan<double> x, Span<double> output, Prediction from, Prediction to)
    {
        if (x.Length != output.Length)
            throw new ArgumentException($"x has {x.Length} values but output has {output.Length}.", nameof(output));
        if (from == to) return;
        var (cx, co, dx, dd) = Stages(alpha, sigma, alphaDot, sigmaDot, from, to);
        for (int i = 0; i < output.Length; i++)
        {
            double x0 = cx * x[i] + co * output[i];
            output[i] = dx * x[i] + dd * x0;
        }
    }

    /// <summary>
    /// The coefficients (a, b) of the conversion as one affine map, target = a·x + b·output (a = 0, b = 1 when
    /// <paramref name="from"/> = <paramref name="to"/>). The same for every component, so a Jacobian converts as
    /// ∂target/∂x = a·I + b·∂output/∂x and a divergence as ∇·target = a·d + b·∇·output.
    /// </summary>
    public static (double X, double Output) Coefficients(NoiseSchedule schedule, double t, Prediction from, Prediction to)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (from == to) return (0, 1);
        bool velocity = from == Prediction.Velocity || to == Prediction.Velocity;
        var (cx, co, dx, dd) = Stages(schedule.Alpha(t), schedule.Sigma(t), velocity ? schedule.AlphaDerivative(t) : 0,
            velocity ? schedule.SigmaDerivative(t) : 0, from, to);
        return (dx + dd * cx, dd * co);
    }

    /// <summary>x̂₀ = cx·x + co·output, then target = dx·x + dd·x̂₀.</summary>
    static (double Cx, double Co, double Dx, double Dd) Stages(double alpha, double sigma, double alphaDot, double sigmaDot, Prediction from, Prediction to)
    {
        // Step 1: to the data prediction x̂₀ = cx·x + co·output.
        (double cx, double co) = from switch
        {
            Prediction.Data => (0.0, 1.0),
            Prediction.Noise => (1 / alpha, -sigma / alpha),
            Prediction.V => (alpha / (alpha * alpha + sigma * sigma), -sigma / (alpha * alpha + sigma * sigma)),
            Prediction.Score => (1 / alpha, sigma * sigma / alpha),
            Prediction.Velocity => (sigmaDot / (alpha * sigmaDot - sigma * alphaDot), -sigma / (alpha * sigmaDot - sigma * alphaDot)),
            _ => throw new ArgumentOutOfRangeException(nameof(from), from, "unknown prediction."),
        };
        // Step 2: from x̂₀ to the target, target = dx·x + dd·x̂₀ (ε̂ = (x − αx̂₀)/σ).
        (double dx, double dd) = to switch
        {
            Prediction.Data => (0.0, 1.0),
            Prediction.Noise => (1 / sigma, -alpha / sigma),
            // v = αε − σx₀ = (α/σ)x − (α²/σ + σ)x₀
            Prediction.V => (alpha / sigma, -(alpha * alpha / sigma + sigma)),
            // score = −ε/σ = −x/σ² + (α/σ²)x₀
            Prediction.Score => (-1 / (sigma * sigma), alpha / (sigma * sigma)),
            // u = α'x₀ + σ'ε = (σ'/σ)x + (α' − σ'α/σ)x₀
            Prediction.Velocity => (sigmaDot / sigma, alphaDot - sigmaDot * alpha / sigma),
            _ => throw new ArgumentOutOfRangeException(nameof(to), to, "unknown prediction."),
        };
        return (cx, co, dx, dd);
    }
}
