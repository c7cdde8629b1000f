using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Optimisers;

/// <summary>
/// An exponential moving average of parameters, θ̄ ← δθ̄ + (1 − δ)θ after each update, the weights
/// diffusion models are sampled with. With warm-up the decay at update n (1-based) is
/// δₙ = min(δ, (1 + n)/(10 + n)), as in Song et al.'s score_sde and DDPM implementations, so early
/// averages are not dominated by the random initialisation.
/// </summary>
public sealed class ExponentialMovingAverage<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly IReadOnlyList<Tensor<T>> parameters;
    readonly Tensor<T>[] shadow;

    /// <summary>Creates an average that starts at the parameters' current values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When decay is not in [0, 1).</exception>
    public ExponentialMovingAverage(IReadOnlyList<Tensor<T>> parameters, double decay = 0.999, bool warmup = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay must be in [0, 1).");
        this.parameters = parameters;
        Decay = decay;
        Warmup = warmup;
        shadow = new Tensor<T>[parameters.Count];
        for (int i = 0; i < shadow.Length; i++)
        {
            shadow[i] = Tensor<T>.Wrap(parameters[i].ToArray(), parameters[i].Shape);
            shadow[i].Name = parameters[i].Name;
        }
    }

    /// <summary>δ.</summary>
    public double Decay { get; }
    /// <summary>Whether the warm-up decay is used.</summary>
    public bool Warmup { get; }
    /// <summary>Number of updates folded in.</summary>
    public long Updates { get; private set; }

    /// <summary>The averaged tensors, in parameter order.</summary>
    public IReadOnlyList<Tensor<T>> Averages => shadow;

    /// <summary>The decay used for update number n (1-based).</summary>
    public double DecayAt(long n) => Warmup ? Math.Min(Decay, (1.0 + n) / (10.0 + n)) : Decay;

    /// <summary>Folds the parameters' current values into the average.</summary>
    public void Update()
    {
        Updates++;
        T d = T.CreateChecked(DecayAt(Updates));
        T keep = T.One - d;
        for (int i = 0; i < shadow.Length; i++)
        {
            var s = shadow[i].Span;
            var p = parameters[i].Span;
            for (int k = 0; k < s.Length; k++) s[k] = d * s[k] + keep * p[k];
        }
    }

    /// <summary>Copies the averages into the given tensors (e.g. an evaluation copy of the network).</summary>
    public void CopyTo(IReadOnlyList<Tensor<T>> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Count != shadow.Length) throw new ArgumentException($"{destination.Count} tensors for {shadow.Length} averages.", nameof(destination));
        for (int i = 0; i < shadow.Length; i++) destination[i].CopyFrom(shadow[i]);
    }

    /// <summary>Restores averages and the update count (from a checkpoint).</summary>
    public void Load(IReadOnlyList<Tensor<T>> averages, long updates)
    {
        ArgumentNullException.ThrowIfNull(averages);
        ArgumentOutOfRangeException.ThrowIfNegative(updates);
        if (averages.Count != shadow.Length) throw new ArgumentException($"{averages.Count} tensors for {shadow.Length} averages.", nameof(averages));
        for (int i = 0; i < shadow.Length; i++)
        {
            if (!averages[i].SameShape(shadow[i]))
                throw new ArgumentException($"Average {i} ({shadow[i].Name}) has shape {ShapeRules.Format(shadow[i].Shape)}, the saved one {ShapeRules.Format(averages[i].Shape)}.", nameof(averages));
            shadow[i].CopyFrom(averages[i]);
        }
        Updates = updates;
    }
}
