using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Jumps.Inference;

/// <summary>
/// The log-likelihood ℓ(θ) of the data as a function of the log rate constants θₖ = ln c_{jₖ} of the fitted reactions
/// jₖ (<see cref="Reactions"/>), with its gradient: the input of a Bayesian fit (a prior on θ plus ℓ, sampled by MCMC
/// in a layer above this one, e.g. <c>Drift.Sampling.Targets.RatePosterior</c>) or of any other optimiser.
/// </summary>
/// <remarks>
/// <para><b>Full trajectories</b> (<see cref="FromTrajectories"/>): ℓ(θ) = Σⱼ (nⱼθⱼ − e^θⱼ·Eⱼ), nⱼ the firings and Eⱼ the
/// exposure of <see cref="RateInference.FromTrajectories"/>; ∂ℓ/∂θⱼ = nⱼ − e^θⱼEⱼ exactly. Every reaction is fitted.</para>
/// <para><b>Sparse observations</b> (<see cref="FromObservations"/>): ℓ is the forward filter of
/// <see cref="RateInference.FromObservations"/> (finite state projection, uniformisation); its gradient is by central
/// differences of step <see cref="GradientStep"/> in θ (2·d extra likelihood evaluations; with the default transient
/// tolerance 10⁻¹¹ the difference quotient is accurate to about 10⁻⁶ relative). A θ with |θₖ| ≥ 700, or at which the
/// data are impossible, gives −∞.</para>
/// <para>Evaluations share no mutable state, so one instance may be evaluated from several threads at once.</para>
/// </remarks>
public sealed class RateLikelihood
{
    /// <summary>Step h of the central differences (∂ℓ/∂θₖ ≈ (ℓ(θ + heₖ) − ℓ(θ − heₖ))/2h) for sparse observations.</summary>
    public const double GradientStep = 1e-4;

    private readonly long[]? _firings;
    private readonly double[]? _exposure;
    private readonly ObservationProblem? _problem;

    private RateLikelihood(ReactionNetwork network, int[] reactions, double[] start, long[]? firings, double[]? exposure, ObservationProblem? problem)
    {
        Network = network;
        Reactions = reactions;
        Start = start;
        _firings = firings;
        _exposure = exposure;
        _problem = problem;
    }

    /// <summary>The network.</summary>
    public ReactionNetwork Network { get; }

    /// <summary>The fitted reactions (indices into <see cref="ReactionNetwork.Reactions"/>): θₖ is ln c of reaction Reactions[k].</summary>
    public IReadOnlyList<int> Reactions { get; }

    /// <summary>The dimension d of θ.</summary>
    public int Dimension => Reactions.Count;

    /// <summary>
    /// A reasonable starting θ: for trajectories the maximum-likelihood ln(nⱼ/Eⱼ) (ln of half a firing's worth,
    /// ln(½/Eⱼ), where nⱼ = 0); for observations ln of the options' initial rates or of the network's constants.
    /// </summary>
    public IReadOnlyList<double> Start { get; }

    /// <summary>The likelihood of fully observed paths (checks as <see cref="RateInference.FromTrajectories"/>).</summary>
    /// <exception cref="ArgumentException">As <see cref="RateInference.FromTrajectories"/>.</exception>
    public static RateLikelihood FromTrajectories(IReadOnlyList<JumpTrajectory> trajectories)
    {
        var (network, firings, exposure) = RateInference.SufficientStatistics(trajectories);
        int m = network.ReactionCount;
        var start = new double[m];
        for (int j = 0; j < m; j++) start[j] = Math.Log(Math.Max(firings[j], 0.5) / exposure[j]);
        return new RateLikelihood(network, [.. Enumerable.Range(0, m)], start, firings, exposure, null);
    }

    /// <summary>
    /// The likelihood of sparse, noisy observations (checks as <see cref="RateInference.FromObservations"/>; of the
    /// options, <see cref="ObservationFitOptions.MaxCounts"/>, <see cref="ObservationFitOptions.Fit"/>,
    /// <see cref="ObservationFitOptions.InitialRates"/> and <see cref="ObservationFitOptions.TransientTolerance"/> are used).
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="RateInference.FromObservations"/>.</exception>
    public static RateLikelihood FromObservations(ReactionNetwork network, IReadOnlyList<Observations> data, ObservationNoise noise, ObservationFitOptions options)
    {
        var problem = ObservationProblem.Create(network, data, noise, options);
        return new RateLikelihood(network, problem.Fit, problem.Start, null, null, problem);
    }

    /// <summary>
    /// ℓ(θ) alone: for sparse observations one forward filter instead of the 1 + 2d of <see cref="Evaluate"/> — for
    /// samplers and optimisers that need no gradient (random-walk Metropolis, Nelder–Mead, quadrature).
    /// </summary>
    /// <param name="logRates">θ, length <see cref="Dimension"/>.</param>
    /// <exception cref="ArgumentException">The length differs from <see cref="Dimension"/>.</exception>
    public double LogLikelihood(ReadOnlySpan<double> logRates)
    {
        if (_problem is null) return Evaluate(logRates, stackalloc double[Dimension]);
        if (logRates.Length != Dimension) throw new ArgumentException($"expected {Dimension} log rates, got {logRates.Length}.", nameof(logRates));
        return _problem.LogLikelihood(logRates, out _);
    }

    /// <summary>ℓ(θ), writing ∂ℓ/∂θ into <paramref name="gradient"/> (see the remarks for how it is computed).</summary>
    /// <param name="logRates">θ, length <see cref="Dimension"/>.</param>
    /// <param name="gradient">Receives the gradient, length <see cref="Dimension"/> (unspecified when ℓ is −∞).</param>
    /// <exception cref="ArgumentException">A length differs from <see cref="Dimension"/>.</exception>
    public double Evaluate(ReadOnlySpan<double> logRates, Span<double> gradient)
    {
        int d = Dimension;
        if (logRates.Length != d) throw new ArgumentException($"expected {d} log rates, got {logRates.Length}.", nameof(logRates));
        if (gradient.Length != d) throw new ArgumentException($"expected a gradient of length {d}, got {gradient.Length}.", nameof(gradient));
        if (_problem is null)
        {
            double log = 0;
            for (int j = 0; j < d; j++)
            {
                double theta = logRates[j];
                if (double.IsNaN(theta)) return double.NaN;
                double c = Math.Exp(theta), e = c * _exposure![j];
                log += _firings![j] * theta - e;
                gradient[j] = _firings[j] - e;
            }
            return log;
        }
        double value = _problem.LogLikelihood(logRates, out _);
        if (!double.IsFinite(value)) return value;
        var shifted = logRates.ToArray();
        for (int k = 0; k < d; k++)
        {
            double theta = shifted[k];
            shifted[k] = theta + GradientStep;
            double up = _problem.LogLikelihood(shifted, out _);
            shifted[k] = theta - GradientStep;
            double down = _problem.LogLikelihood(shifted, out _);
            shifted[k] = theta;
            gradient[k] = (up - down) / (2 * GradientStep);
        }
        return value;
    }
}
