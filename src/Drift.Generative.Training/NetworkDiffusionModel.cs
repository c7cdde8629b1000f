using System.Numerics;
using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Learning.Autodiff;

namespace Drift.Generative.Training;

/// <summary>
/// A trained network as an <see cref="IDiffusionModel"/>: P(x, t) = c_skip·x + c_out·F(c_in·x, τ(t), label) with the
/// objective's preconditioning (<see cref="DiffusionObjective.Precondition"/>), in the objective's parameterisation, so
/// every sampler, guidance wrapper and likelihood of Drift.Generative runs on it unchanged.
/// </summary>
/// <remarks>
/// <para>The batch is evaluated in one forward pass with recording off, in a private <see cref="TensorArena{T}"/> (no autodiff
/// tape, no allocation after the first call of a given size). One instance serves one thread at a time; instances made
/// by <see cref="WithLabel"/> share the (read-only) network.</para>
/// <para><b>Exact divergence.</b> As an <see cref="IScoreDivergence"/> it gives ∇·s = a·d + b·(c_skip·d + c_out·c_in·tr ∂F/∂u)
/// at u = c_in·x, with target = a·x + b·P the affine map from the model's prediction to the score
/// (<see cref="PredictionConverter.Coefficients"/>). The trace tr ∂F/∂u is exact (to rounding): one forward pass recorded
/// with the parameters held constant (<see cref="GradMode.ConstantParameters"/>), then d reverse passes with the unit
/// cotangents e_i, each giving row i of the Jacobian (<see cref="Autograd.Divergence{T}"/>); no weight gradients are
/// formed, so the cost is about 1 + d forward passes' worth of arithmetic against 2d for central differences. It works
/// through every layer of every <see cref="NetworkKind"/> (U-Net included), but for large d (images) Hutchinson's
/// estimator is the practical choice.</para>
/// </remarks>
public sealed class NetworkDiffusionModel<T> : IDiffusionModel, IScoreDivergence where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly TensorArena<T> arena = new();
    int[] labelRow = [];

    /// <summary>Wraps a network trained with <paramref name="objective"/>; <paramref name="label"/> conditions a class-conditional network (null: the null label).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label on an unconditional network, or outside [0, classes).</exception>
    public NetworkDiffusionModel(DiffusionNetwork<T> network, DiffusionObjective objective, int? label = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(objective);
        int classes = network.Spec.Classes;
        if (label is { } l && (classes == 0 || l < 0 || l >= classes))
            throw new ArgumentOutOfRangeException(nameof(label), label, classes == 0 ? "the network is unconditional; it takes no label." : $"the label must lie in [0, {classes}).");
        Network = network;
        Objective = objective;
        Label = label;
    }

    /// <summary>The network.</summary>
    public DiffusionNetwork<T> Network { get; }
    /// <summary>The objective it was trained with.</summary>
    public DiffusionObjective Objective { get; }
    /// <summary>The class label, or null (unconditional, or the null label of a conditional network).</summary>
    public int? Label { get; }

    /// <inheritdoc/>
    public int Dimension => Network.Spec.Dimension;
    /// <inheritdoc/>
    public NoiseSchedule Schedule => Objective.Schedule;
    /// <inheritdoc/>
    public Prediction Prediction => Objective.Prediction;

    /// <summary>The same network with another label (for classifier-free guidance: a labelled and an unlabelled model).</summary>
    public NetworkDiffusionModel<T> WithLabel(int? label) => new(Network, Objective, label);

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> output, int samples)
    {
        int d = Dimension;
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (x.Length < samples * d || output.Length < samples * d)
            throw new ArgumentException($"x and output need {samples}·{d} values, got {x.Length} and {output.Length}.", nameof(output));
        if (samples == 0) return;
        var p = Objective.Precondition(t);
        arena.Reset();
        using var active = arena.Activate();
        using var off = GradMode.NoGrad();
        var (input, tau) = Inputs(p, x, samples);
        var f = Network.Forward(input, tau, Labels(samples).Span).Span;
        for (int k = 0; k < samples * d; k++) output[k] = p.Skip * x[k] + p.Out * double.CreateChecked(f[k]);
    }

    /// <summary>
    /// The exact ∇·s(x_s, t) of each row (see the remarks): d reverse passes through the network with its parameters
    /// held constant. The arithmetic is in <typeparamref name="T"/>, so a float32 network's trace carries float32 rounding.
    /// </summary>
    /// <exception cref="ArgumentException">Spans shorter than <paramref name="samples"/> rows (or values).</exception>
    public void ScoreDivergence(double t, ReadOnlySpan<double> x, Span<double> divergence, int samples)
    {
        int d = Dimension;
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (x.Length < samples * d || divergence.Length < samples)
            throw new ArgumentException($"x needs {samples}·{d} values and divergence {samples}, got {x.Length} and {divergence.Length}.", nameof(divergence));
        if (samples == 0) return;
        var p = Objective.Precondition(t);
        var (a, b) = PredictionConverter.Coefficients(Schedule, t, Prediction, Prediction.Score);
        arena.Reset();
        using var active = arena.Activate();
        using var constant = GradMode.ConstantParameters();
        var (input, tau) = Inputs(p, x, samples);
        var labels = Labels(samples);
        var trace = Autograd.Divergence(u => Network.Forward(u, tau, labels.Span), input).Span;
        for (int s = 0; s < samples; s++)
            divergence[s] = a * d + b * (p.Skip * d + p.Out * p.In * double.CreateChecked(trace[s]));
    }

    /// <summary>The network's inputs c_in·x [n, d] and τ [n], in the active arena.</summary>
    (Tensor<T> Input, Tensor<T> Tau) Inputs(Preconditioning p, ReadOnlySpan<double> x, int samples)
    {
        int d = Dimension;
        var input = Tensor<T>.Zeros(samples, d);
        var tau = Tensor<T>.Full(T.CreateChecked(p.Noise), samples);
        var s = input.Span;
        for (int k = 0; k < samples * d; k++) s[k] = T.CreateChecked(p.In * x[k]);
        return (input, tau);
    }

    /// <summary>The label of every row (empty for an unconditional network).</summary>
    ReadOnlyMemory<int> Labels(int samples)
    {
        if (Network.Spec.Classes == 0) return default;
        if (labelRow.Length < samples)
        {
            labelRow = new int[samples];
            Array.Fill(labelRow, Label ?? Network.NullLabel);
        }
        return labelRow.AsMemory(0, samples);
    }
}
