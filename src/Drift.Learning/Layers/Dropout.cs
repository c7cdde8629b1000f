using System.Numerics;
using Drift.Learning.Autodiff;
using Drift.Random;

namespace Drift.Learning.Layers;

/// <summary>
/// Inverted dropout: in training each element is kept with probability 1 − p and scaled by
/// 1/(1 − p), else zeroed; in evaluation it is the identity. The mask is drawn from Philox keyed by
/// (seed, stream): the caller passes a stream that identifies the call (e.g. the training step, or
/// step × shards + shard), so a run is reproducible whatever the threads.
/// </summary>
public sealed class Dropout<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a dropout with drop probability p.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When p is not in [0, 1).</exception>
    public Dropout(double p, ulong seed)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be in [0, 1).");
        Probability = p;
        Seed = seed;
    }

    /// <summary>The drop probability.</summary>
    public double Probability { get; }
    /// <summary>The Philox key of the masks.</summary>
    public ulong Seed { get; }

    /// <summary>x with dropout applied (identity when not training or p = 0).</summary>
    public Tensor<T> Forward(Tensor<T> x, ulong stream)
    {
        if (!Training || Probability == 0) return x;
        var uniforms = new double[x.Length];
        new PhiloxUniforms(Seed).FillStream(stream, 0, uniforms);
        var mask = Tensor<T>.Zeros(x.Shape);
        T scale = T.CreateChecked(1 / (1 - Probability));
        var m = mask.Span;
        for (int i = 0; i < m.Length; i++) m[i] = uniforms[i] >= Probability ? scale : T.Zero;
        return Ops.Multiply(x, mask);
    }
}
