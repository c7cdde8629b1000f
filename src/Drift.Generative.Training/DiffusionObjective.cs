using Drift.Generative.Models;
using Drift.Generative.Schedules;

namespace Drift.Generative.Training;

/// <summary>
/// A regression objective that teaches a network F a diffusion model's prediction: for a data row x₀, a
/// noise row ε and a time t drawn by <see cref="SampleTime"/>, the input is x_t = α_t x₀ + σ_t ε, the model is
/// P = c_skip·x_t + c_out·F(c_in·x_t, c_noise) (<see cref="Precondition"/>), and the loss is
/// w(t)·‖P − y_P‖² / d with y_P the exact prediction of (x₀, ε) in the parameterisation <see cref="Prediction"/>:
/// y_ε = ε, y_x₀ = x₀, y_v = α ε − σ x₀, y_score = −ε/σ, y_u = α' x₀ + σ' ε. Its minimiser is the conditional
/// expectation E[y_P | x_t], i.e. the exact model of the data distribution (denoising score matching,
/// Vincent 2011). The network is trained on the equivalent target (y_P − c_skip x_t)/c_out with weight w·c_out².
/// </summary>
/// <remarks>
/// <para><b>Score matching</b> (<see cref="ScoreMatching"/>): any schedule, any prediction, t uniform on
/// [t_min, T] with t_min the schedule's default end time (σ &gt; 0), weighting per <see cref="LossWeighting"/>.</para>
/// <para><b>EDM</b> (<see cref="Edm"/>), Karras et al. 2022, Table 1: σ = t on the EDM schedule,
/// ln σ ~ N(P_mean, P_std²) with P_mean = −1.2, P_std = 1.2; c_skip = σ_d²/(σ² + σ_d²), c_out = σσ_d/√(σ² + σ_d²),
/// c_in = 1/√(σ² + σ_d²), c_noise = ¼ ln σ, λ(σ) = (σ² + σ_d²)/(σσ_d)², σ_d = 0.5 by default (the data's standard
/// deviation). λ·c_out² = 1, so the network's loss is unweighted.</para>
/// <para><b>Flow matching</b> (<see cref="FlowMatching"/>): the rectified-flow schedule α = 1 − t, σ = t, velocity
/// target u = x₁ − x₀ (x₁ = ε, possibly re-paired by a coupling), t uniform on [0, 0.999].</para>
/// <para><b>Interpolant</b> (<see cref="Interpolant"/>): an <see cref="InterpolantSchedule"/>; the velocity b
/// (<see cref="Prediction.Velocity"/>) or the latent denoiser η_z (trained as <see cref="Prediction.Noise"/>,
/// η_z = (γ/σ)ε̂) are learned, t uniform on [0, 0.999].</para>
/// <para>The network's time input is 1000·(t − t_lo)/(T − t_lo) (the DDPM convention, so a sinusoidal embedding
/// with periods up to 10⁴ resolves it) except for EDM, whose is 1000·c_noise = 250 ln σ.</para>
/// </remarks>
public sealed class DiffusionObjective
{
    const double NetworkTimeScale = 1000;

    DiffusionObjective(ObjectiveKind kind, NoiseSchedule schedule, Prediction prediction, LossWeighting weighting, double gamma,
        double sigmaData, double pMean, double pStd, double timeLow)
    {
        Kind = kind;
        Schedule = schedule;
        Prediction = prediction;
        Weighting = weighting;
        Gamma = gamma;
        SigmaData = sigmaData;
        PMean = pMean;
        PStd = pStd;
        TimeLow = timeLow;
    }

    /// <summary>Denoising score matching on <paramref name="schedule"/> with the given prediction and weighting.</summary>
    /// <param name="schedule">Any noise schedule.</param>
    /// <param name="prediction">Noise, Data, V, Score or Velocity.</param>
    /// <param name="weighting">The loss weighting.</param>
    /// <param name="gamma">γ of min-SNR-γ (used only by <see cref="LossWeighting.MinSnr"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">γ not positive.</exception>
    public static DiffusionObjective ScoreMatching(NoiseSchedule schedule, Prediction prediction = Prediction.Noise,
        LossWeighting weighting = LossWeighting.Simple, double gamma = 5)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!(gamma > 0) || !double.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "min-SNR γ must be positive and finite.");
        if (!Enum.IsDefined(prediction)) throw new ArgumentOutOfRangeException(nameof(prediction), prediction, "unknown prediction.");
        return new DiffusionObjective(ObjectiveKind.ScoreMatching, schedule, prediction, weighting, gamma, 0, 0, 0,
            Likelihood.DataLikelihood.DefaultStartTime(schedule));
    }

    /// <summary>The EDM objective (Karras et al. 2022) with σ_data, P_mean and P_std.</summary>
    /// <exception cref="ArgumentOutOfRangeException">σ_data or P_std not positive, or P_mean not finite.</exception>
    public static DiffusionObjective Edm(double sigmaData = 0.5, double pMean = -1.2, double pStd = 1.2, EdmSchedule? schedule = null)
    {
        if (!(sigmaData > 0) || !double.IsFinite(sigmaData)) throw new ArgumentOutOfRangeException(nameof(sigmaData), sigmaData, "σ_data must be positive.");
        if (!(pStd > 0) || !double.IsFinite(pStd)) throw new ArgumentOutOfRangeException(nameof(pStd), pStd, "P_std must be positive.");
        if (!double.IsFinite(pMean)) throw new ArgumentOutOfRangeException(nameof(pMean), pMean, "P_mean must be finite.");
        var s = schedule ?? new EdmSchedule();
        return new DiffusionObjective(ObjectiveKind.Edm, s, Prediction.Data, LossWeighting.Simple, 0, sigmaData, pMean, pStd, s.SigmaMin);
    }

    /// <summary>Conditional flow matching on the straight path (rectified flow): velocity prediction on <see cref="RectifiedFlowSchedule"/>.</summary>
    public static DiffusionObjective FlowMatching()
        => new(ObjectiveKind.FlowMatching, new RectifiedFlowSchedule(), Prediction.Velocity, LossWeighting.Simple, 0, 0, 0, 0, 0);

    /// <summary>A stochastic interpolant; learns the velocity b (<see cref="Prediction.Velocity"/>) or the latent denoiser (<see cref="Prediction.Noise"/>).</summary>
    /// <exception cref="ArgumentException">Another prediction.</exception>
    public static DiffusionObjective Interpolant(InterpolantSchedule schedule, Prediction prediction = Prediction.Velocity)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (prediction is not (Prediction.Velocity or Prediction.Noise))
            throw new ArgumentException($"an interpolant learns the velocity b or the denoiser η_z (noise), not {prediction}.", nameof(prediction));
        return new DiffusionObjective(ObjectiveKind.Interpolant, schedule, prediction, LossWeighting.Simple, 0, 0, 0, 0, 0);
    }

    /// <summary>The family.</summary>
    public ObjectiveKind Kind { get; }
    /// <summary>The forward process x_t = α_t x₀ + σ_t ε.</summary>
    public NoiseSchedule Schedule { get; }
    /// <summary>What the wrapped model predicts.</summary>
    public Prediction Prediction { get; }
    /// <summary>The loss weighting (score matching).</summary>
    public LossWeighting Weighting { get; }
    /// <summary>γ of min-SNR-γ.</summary>
    public double Gamma { get; }
    /// <summary>σ_data (EDM).</summary>
    public double SigmaData { get; }
    /// <summary>P_mean (EDM).</summary>
    public double PMean { get; }
    /// <summary>P_std (EDM).</summary>
    public double PStd { get; }
    /// <summary>The smallest training time.</summary>
    public double TimeLow { get; }
    /// <summary>
    /// The center μ of a mean-reverting forward process x_t = μ + α_t(x₀ − μ) + σ_t ε, or null (μ = 0). As for
    /// <see cref="Oracles.GaussianMixture.AsModel"/>: the data prediction is in x-space, the others describe the deviation x − μ.
    /// </summary>
    public IReadOnlyList<double>? Center { get; private init; }

    /// <summary>
    /// This objective with center μ (the reversion mean of a <see cref="MeanRevertingSchedule"/>; <see cref="DiffusionTrainer{T}"/>
    /// sets it to the data mean when a mean-reverting objective has none).
    /// </summary>
    /// <exception cref="ArgumentException">An empty or non-finite center, or an EDM objective.</exception>
    public DiffusionObjective WithCenter(IReadOnlyList<double> center)
    {
        ArgumentNullException.ThrowIfNull(center);
        if (center.Count == 0 || center.Any(v => !double.IsFinite(v))) throw new ArgumentException("the center needs finite values.", nameof(center));
        if (Kind == ObjectiveKind.Edm) throw new ArgumentException("an EDM objective has no center (its preconditioning assumes x_t = x₀ + σε).", nameof(center));
        return new DiffusionObjective(Kind, Schedule, Prediction, Weighting, Gamma, SigmaData, PMean, PStd, TimeLow) { Center = center.ToArray() };
    }

    /// <summary>A training time from a uniform u ∈ [0, 1) and a standard normal n (EDM uses n, the others u).</summary>
    public double SampleTime(double u, double n)
    {
        if (Kind == ObjectiveKind.Edm)
            return Math.Clamp(Math.Exp(PMean + PStd * n), Schedule.MinTime + 1e-12, Schedule.MaxTime);
        return TimeLow + u * (Schedule.MaxTime - TimeLow);
    }

    /// <summary>The wrapper (c_skip, c_out, c_in, network time) at time t.</summary>
    public Preconditioning Precondition(double t)
    {
        if (Kind == ObjectiveKind.Edm)
        {
            double s2 = t * t + SigmaData * SigmaData, r = Math.Sqrt(s2);
            return new Preconditioning(SigmaData * SigmaData / s2, t * SigmaData / r, 1 / r, NetworkTimeScale * 0.25 * Math.Log(t));
        }
        return new Preconditioning(0, 1, 1, NetworkTimeScale * (t - TimeLow) / (Schedule.MaxTime - TimeLow));
    }

    /// <summary>The weight w(t) of ‖P − y_P‖² (before the c_out² that turns it into the network's weight).</summary>
    public double Weight(double t)
    {
        if (Kind == ObjectiveKind.Edm)
        {
            double s2 = t * t + SigmaData * SigmaData;
            return s2 / (t * t * SigmaData * SigmaData);
        }
        if (Weighting == LossWeighting.Simple) return 1;
        double a = Schedule.Alpha(t), s = Schedule.Sigma(t), snr = a * a / (s * s);
        double w0 = Weighting switch
        {
            LossWeighting.Snr => snr,
            LossWeighting.Likelihood => Schedule.DiffusionSquared(t) * snr / (s * s),
            _ => Math.Min(snr, Gamma),
        };
        return w0 / DataErrorFactor(t);
    }

    /// <summary>k_P(t): the squared error of prediction P per unit squared data error (see <see cref="LossWeighting"/>).</summary>
    public double DataErrorFactor(double t)
    {
        double a = Schedule.Alpha(t), s = Schedule.Sigma(t);
        switch (Prediction)
        {
            case Prediction.Data: return 1;
            case Prediction.Noise: return a * a / (s * s);
            case Prediction.V: { double q = (a * a + s * s) / s; return q * q; }
            case Prediction.Score: return a * a / (s * s * s * s);
            default:
            {
                double q = (a * Schedule.SigmaDerivative(t) - s * Schedule.AlphaDerivative(t)) / s;
                return q * q;
            }
        }
    }

    /// <summary>
    /// Writes the noisy input x_t = α x₀ + σ ε and the network's target (y_P − c_skip x_t)/c_out for one row, and
    /// returns the network's weight w·c_out².
    /// </summary>
    public double Row(double t, ReadOnlySpan<double> x0, ReadOnlySpan<double> noise, Span<double> xt, Span<double> target)
    {
        double a = Schedule.Alpha(t), s = Schedule.Sigma(t);
        var p = Precondition(t);
        double ca, ce; // y_P = ca·x₀ + ce·ε
        switch (Prediction)
        {
            case Prediction.Data: ca = 1; ce = 0; break;
            case Prediction.Noise: ca = 0; ce = 1; break;
            case Prediction.V: ca = -s; ce = a; break;
            case Prediction.Score: ca = 0; ce = -1 / s; break;
            default: ca = Schedule.AlphaDerivative(t); ce = Schedule.SigmaDerivative(t); break;
        }
        double inv = 1 / p.Out;
        var center = Center;
        if (center is not null && center.Count != x0.Length) throw new ArgumentException($"the center has {center.Count} values, the row {x0.Length}.", nameof(x0));
        for (int j = 0; j < x0.Length; j++)
        {
            double mu = center?[j] ?? 0, y0 = x0[j] - mu;
            double x = mu + a * y0 + s * noise[j];
            xt[j] = x;
            target[j] = (ca * y0 + ce * noise[j] + (Prediction == Prediction.Data ? mu : 0) - p.Skip * x) * inv;
        }
        return Weight(t) * p.Out * p.Out;
    }
}
