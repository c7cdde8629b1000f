using Drift.Jumps.Cme;
using Drift.Jumps.Networks;

namespace Drift.Jumps.Inference;

/// <summary>
/// The validated likelihood problem of sparse observations, shared by the maximum-likelihood fit
/// (<see cref="RateInference.FromObservations"/>) and the likelihood function for samplers
/// (<see cref="RateLikelihood.FromObservations"/>): the network, the projection box, the series, the noise model,
/// the fitted reactions and the starting point θ₀ = ln c₀. <see cref="LogLikelihood"/> is thread-safe (no shared state).
/// </summary>
internal sealed class ObservationProblem
{
    private ObservationProblem(ReactionNetwork network, long[] box, Observations[] data, ObservationNoise noise, int[] fit, double[] start, double tolerance)
    {
        Network = network;
        Box = box;
        Data = data;
        Noise = noise;
        Fit = fit;
        Start = start;
        Tolerance = tolerance;
    }

    public ReactionNetwork Network { get; }
    public long[] Box { get; }
    public Observations[] Data { get; }
    public ObservationNoise Noise { get; }
    /// <summary>Indices of the fitted (mass-action) reactions, in the caller's order.</summary>
    public int[] Fit { get; }
    /// <summary>θ₀ = ln c₀ of the fitted reactions: the options' initial rates or the network's constants.</summary>
    public double[] Start { get; }
    public double Tolerance { get; }

    /// <summary>Checks every input as <see cref="RateInference.FromObservations"/> documents.</summary>
    public static ObservationProblem Create(ReactionNetwork network, IReadOnlyList<Observations> data, ObservationNoise noise, ObservationFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Level > 0 && options.Level < 1)) throw new ArgumentException($"the confidence level must lie in (0, 1), got {options.Level}.", nameof(options));
        var box = options.MaxCounts ?? throw new ArgumentException("ObservationFitOptions.MaxCounts (the projection box) is required.", nameof(options));
        if (data.Count == 0) throw new ArgumentException("there are no observation series.", nameof(data));
        foreach (var series in data)
        {
            ArgumentNullException.ThrowIfNull(series, nameof(data));
            series.Check(network, nameof(data));
        }
        int[] fit = options.Fit is null
            ? [.. Enumerable.Range(0, network.ReactionCount).Where(j => network.Reactions[j].IsMassAction)]
            : [.. options.Fit];
        if (fit.Length == 0 || fit.Distinct().Count() != fit.Length) throw new ArgumentException("the reactions to fit must be a non-empty list without repeats.", nameof(options));
        foreach (int j in fit)
        {
            if ((uint)j >= (uint)network.ReactionCount) throw new ArgumentException($"reaction index {j} is out of range; the network has {network.ReactionCount}.", nameof(options));
            if (!network.Reactions[j].IsMassAction) throw new ArgumentException($"the reaction on line {network.Reactions[j].Line} has an explicit propensity and cannot be fitted.", nameof(options));
        }
        if (!(options.Tolerance > 0)) throw new ArgumentException($"the tolerance must be positive, got {options.Tolerance}.", nameof(options));
        if (options.MaxEvaluations < 1) throw new ArgumentException($"the evaluation limit must be positive, got {options.MaxEvaluations}.", nameof(options));
        if (!(options.TransientTolerance > 0 && options.TransientTolerance < 1)) throw new ArgumentException($"the transient tolerance must lie in (0, 1), got {options.TransientTolerance}.", nameof(options));
        if (options.InitialRates is not null && options.InitialRates.Count != fit.Length)
            throw new ArgumentException($"expected {fit.Length} initial rates, got {options.InitialRates.Count}.", nameof(options));
        var start = new double[fit.Length];
        for (int k = 0; k < fit.Length; k++)
        {
            double c = options.InitialRates is null ? network.Reactions[fit[k]].RateConstant : options.InitialRates[k];
            if (!(c > 0) || double.IsInfinity(c)) throw new ArgumentException($"the starting rate of reaction {fit[k]} must be positive and finite, got {c}.", nameof(options));
            start[k] = Math.Log(c);
        }
        _ = FiniteStateProjection.Build(network, box); // validates the box once, before any evaluation
        return new ObservationProblem(network, [.. box], [.. data], noise, fit, start, options.TransientTolerance);
    }

    /// <summary>
    /// ln L at cⱼ = e^θₖ for the fitted reactions (the others keep their constants); −∞ when |θₖ| ≥ 700 or the data are
    /// impossible. <paramref name="lost"/> receives the largest projection loss of one interval.
    /// </summary>
    public double LogLikelihood(ReadOnlySpan<double> theta, out double lost)
    {
        var rates = Network.Reactions.Select(r => r.IsMassAction ? r.RateConstant : double.NaN).ToArray();
        for (int k = 0; k < Fit.Length; k++)
        {
            if (!(Math.Abs(theta[k]) < 700))
            {
                lost = 0;
                return double.NegativeInfinity;
            }
            rates[Fit[k]] = Math.Exp(theta[k]);
        }
        var (log, loss) = RateInference.LogLikelihood(Network.WithRateConstants(rates), Box, Data, Noise, Tolerance);
        lost = loss;
        return log;
    }
}
